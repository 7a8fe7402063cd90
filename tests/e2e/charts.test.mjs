// A journalist opens the charts and tests of a region: the stations the demo
// stuffed are in the outlier list and in the fingerprint's corner, the digit
// tests give their chi-square and p-value, the charts turn English with the
// page, every chart can be saved as SVG and PNG, and the pages pass an
// accessibility audit.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { baseUrl, demoKeysDir, launch, newPage, settledStatus } from './browser.mjs';
import { assertNoSeriousViolations } from './axe.mjs';

let browser;
let anomalies;
before(async () => {
  browser = await launch();
  assert.ok(demoKeysDir, 'SHAFAF_DEMO_KEYS_DIR is not set');
  anomalies = JSON.parse(await readFile(join(demoKeysDir, 'anomalies.json'), 'utf8'));
});
after(async () => {
  await browser?.close();
});

async function open(path) {
  const page = await newPage(browser);
  await page.goto(new URL(path, baseUrl).href);
  assert.equal(await settledStatus(page), 'verified');
  await page.locator('[data-testid=charts]').waitFor();
  return page;
}

const datum = (page, chart, key) =>
  page.locator(`[data-testid=chart-${chart}] data[data-key="${key}"]`).getAttribute('value');

test('the province page links to its charts, and the country and a county have theirs', async () => {
  const page = await newPage(browser);
  await page.goto(new URL('p/IR-15', baseUrl).href);
  assert.equal(await settledStatus(page), 'verified');
  await page.locator('[data-testid=charts-link]').click();
  await page.waitForURL((url) => url.pathname === '/charts/IR-15');
  assert.equal(await page.locator('[data-testid=charts]').getAttribute('data-region'), 'IR-15');
  // The breadcrumb leads back to the province.
  await page.locator('[data-testid=breadcrumbs] a').last().click();
  await page.waitForURL((url) => url.pathname === '/p/IR-15');
  await page.close();
  const county = anomalies.find((a) => a.kind === 'BallotStuffing').contest.split('-').slice(2, 3)[0];
  for (const [path, region] of [
    ['charts', 'all'],
    [`charts/IR-15/${county}`, county],
  ]) {
    const p = await open(path);
    assert.equal(await p.locator('[data-testid=charts]').getAttribute('data-region'), region);
    assert.ok(Number(await p.locator('[data-testid=charts-stations]').getAttribute('data-value')) > 0);
    assert.deepEqual(p.errors, []);
    await p.close();
  }
});

test("a council's page links to its own charts, where its stuffed station is listed", async () => {
  const stuffed = anomalies.find((a) => a.kind === 'BallotStuffing');
  const page = await newPage(browser);
  await page.goto(new URL(`c/${stuffed.contest}`, baseUrl).href);
  assert.equal(await settledStatus(page), 'verified');
  await page.locator('[data-testid=charts-link]').click();
  await page.waitForURL((url) => url.pathname === `/c/${stuffed.contest}/charts`);
  await page.locator('[data-testid=charts]').waitFor();
  assert.equal(await page.locator('[data-testid=charts]').getAttribute('data-region'), stuffed.contest);
  const stations = await page
    .locator('[data-testid=outlier-table] tbody tr')
    .evaluateAll((trs) => trs.map((tr) => tr.dataset.station));
  assert.ok(stations.includes(stuffed.station), `${stuffed.station} not in ${stations}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the stuffed stations are listed as outliers and fill the fingerprint corner, and the tests say so', async () => {
  const page = await open('charts/IR-15');
  const stuffed = anomalies.filter((a) => a.kind === 'BallotStuffing');
  assert.ok(stuffed.length >= 2, 'the demo stuffs two or three stations');
  const rows = await page
    .locator('[data-testid=outlier-table] tbody tr')
    .evaluateAll((trs) => trs.map((tr) => ({ ...tr.dataset })));
  for (const a of stuffed) {
    const row = rows.find((r) => r.station === a.station);
    assert.ok(row, `stuffed station ${a.station} is not listed`);
    assert.equal(row.contest, a.contest);
    assert.match(row.reasons, /landslide/);
  }
  // The village where every voter voted is listed too.
  const full = anomalies.find((a) => a.kind === 'FullTurnout');
  if (full) assert.ok(rows.some((r) => r.contest === full.contest && /full_turnout/.test(r.reasons)));
  // The fingerprint's top corner (turnout and the station's top share ≥ 95%) holds them.
  assert.ok(Number(await datum(page, 'fingerprint', 'corner-top')) >= stuffed.length);
  await page.locator('[data-testid=fingerprint-share]').selectOption({ index: 3 });
  const result = await page.locator('[data-testid=fingerprint-result]').textContent();
  const corner = Number(await datum(page, 'fingerprint', 'corner-top'));
  const persian = String(corner).replace(/[0-9]/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[d]);
  assert.ok(result.endsWith(`: ${persian}`), result);
  // The digit tests state their chi-square and p-value.
  for (const chart of ['last-digit', 'second-digit']) {
    const chi = Number(await datum(page, chart, 'chi-square'));
    const p = Number(await datum(page, chart, 'p-value'));
    assert.ok(chi >= 0 && p >= 0 && p <= 1, `${chart}: χ² ${chi}, p ${p}`);
    assert.match(await page.locator(`[data-testid=${chart}-result]`).textContent(), /χ²/);
  }
  assert.ok(Number(await datum(page, 'integer-percent', 'stations')) > 0);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the charts turn English with the page, with the value axis on the left', async () => {
  const page = await open('charts/IR-15');
  const svgs = page.locator('svg.chart-svg');
  assert.ok((await svgs.count()) >= 6);
  assert.deepEqual(await svgs.evaluateAll((s) => [...new Set(s.map((x) => x.dataset.lang))]), ['fa']);
  // The vertical axis's title (rotated) sits on the right in Persian, on the left in English.
  const axisTitleX = () =>
    page.locator('#chart-turnout-histogram text[transform]').first().evaluate((t) => Number(t.getAttribute('x')));
  assert.ok((await axisTitleX()) > 360);
  await page.locator('[data-testid=lang-toggle]').click();
  await page.waitForFunction(() =>
    [...document.querySelectorAll('svg.chart-svg')].every((s) => s.dataset.lang === 'en'),
  );
  assert.ok((await axisTitleX()) < 360);
  const texts = await svgs.evaluateAll((s) => s.map((x) => x.textContent).join(' '));
  assert.doesNotMatch(texts, /[\u0600-\u06FF]/, 'Persian text left in an English chart');
  assert.match(await page.locator('[data-testid=chart-fingerprint] h2').textContent(), /fingerprint/i);
  await page.close();
});

test('a chart downloads as SVG and as PNG', async () => {
  const page = await open('charts/IR-15');
  const [svg] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=fingerprint-svg]').click()]);
  assert.equal(svg.suggestedFilename(), 'shafaf-fingerprint.svg');
  const text = await readFile(await svg.path(), 'utf8');
  assert.match(text, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(text, /<rect/);
  const [png] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=last-digit-png]').click()]);
  assert.equal(png.suggestedFilename(), 'shafaf-last-digit.png');
  const bytes = await readFile(await png.path());
  assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], 'not a PNG');
  await page.close();
});

test('the charts pages pass an accessibility audit', async () => {
  for (const path of ['charts', 'charts/IR-15']) {
    const page = await open(path);
    await assertNoSeriousViolations(page, `/${path}`);
    await page.close();
  }
});
