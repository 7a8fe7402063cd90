// A reader uses the maps: the national map on the overview, Lorestan opened
// by a click or by the keyboard, its county map with every county of the
// publication, the choice of what colours the map, the tooltip, and an
// accessibility audit of both pages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  baseUrl,
  cliReport,
  launch,
  newPage,
  reportContests,
  settledStatus,
  tamperedPageUrl,
  withFindingsDemo,
} from './browser.mjs';
import { assertNoSeriousViolations } from './axe.mjs';

let browser;
let lorestan;
before(async () => {
  browser = await launch();
  const report = await cliReport();
  lorestan = report.election.provinces.find((p) => p.code === 'IR-15');
  assert.ok(lorestan, 'the demo has Lorestan');
});
after(async () => {
  await browser?.close();
});

async function open(path = '') {
  const page = await newPage(browser);
  await page.goto(new URL(path, baseUrl).href);
  assert.equal(await settledStatus(page), 'verified');
  return page;
}

const pathOf = (page) => new URL(page.url()).pathname;

/** The county map has one shape per county that has councils, none missing. */
async function assertCountyMap(page) {
  const map = page.locator('[data-testid=county-map]');
  await map.waitFor();
  const drawn = await map.locator('path[data-code]').evaluateAll((ps) => ps.map((p) => p.dataset.code));
  assert.equal(new Set(drawn).size, drawn.length, 'a county is drawn twice');
  const counties = new Set(lorestan.contests.map((c) => c.county));
  for (const county of counties) assert.ok(drawn.includes(county), `county ${county} is missing from the map`);
  // Every county with councils is a link.
  const links = await map.locator('path[role=link]').count();
  assert.equal(links, counties.size);
}

test('the overview shows the national map; clicking Lorestan opens its county map', async () => {
  const page = await open();
  const map = page.locator('[data-testid=national-map]');
  await map.waitFor();
  assert.equal(await map.locator('path[data-code]').count(), 31, 'every province is drawn');
  // Provinces without results are drawn as "no data", not as links.
  assert.equal(await map.locator('path.region-nodata').count(), 30);
  await map.locator('path[data-code="IR-15"]').click();
  await page.waitForURL((url) => url.pathname === '/p/IR-15');
  // The address changes at once; the view follows once its code is there.
  await page.locator('[data-testid=breadcrumbs] li').nth(1).waitFor();
  const crumbs = await page.locator('[data-testid=breadcrumbs] li').allTextContents();
  assert.equal(crumbs.length, 2);
  assert.match(crumbs[1], /لرستان/);
  await assertCountyMap(page);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("on a phone the national map, below the first screen, is fetched and drawn once the reader scrolls near it", async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const code = [];
  page.on('request', (request) => {
    if (/\/pack_national_map-[0-9a-f]+\.wasm$/.test(new URL(request.url()).pathname)) code.push(request.url());
  });
  const boundaries = page.waitForResponse((response) => /\/demo\/files\/geo-provinces\./.test(response.url()));
  await page.goto(baseUrl);
  assert.equal(await settledStatus(page), 'verified');
  // The boundaries are fetched and checked all the same: the verdict covers them.
  await boundaries;
  await page.waitForTimeout(500);
  const slot = page.locator('[data-testid=national-map-slot]');
  assert.ok((await slot.boundingBox()).y > 844, 'the map is below the first screen');
  assert.deepEqual(code, []);
  assert.equal(await page.locator('[data-testid=national-map]').count(), 0);
  // Its place is kept: the table below does not move much when it comes.
  const table = page.locator('[data-testid=province-table]');
  const top = () => table.evaluate((t) => t.getBoundingClientRect().top + window.scrollY);
  const before = await top();
  await slot.scrollIntoViewIfNeeded();
  const map = page.locator('[data-testid=national-map]');
  await map.waitFor();
  assert.equal(await map.locator('path[data-code]').count(), 31, 'every province is drawn');
  assert.equal(code.length, 1);
  const moved = Math.abs((await top()) - before);
  assert.ok(moved < 200, `the table moved ${moved} px when the map came`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('Enter on a focused region opens it, and the county map opens a county', async () => {
  const page = await open();
  const lorestanShape = page.locator('[data-testid=national-map] path[data-code="IR-15"]');
  await lorestanShape.focus();
  // Focus shows the tooltip with the name and figures.
  const tooltip = page.locator('[data-testid=map-tooltip]');
  await tooltip.waitFor();
  assert.match(await tooltip.textContent(), /لرستان/);
  assert.match((await lorestanShape.getAttribute('aria-label')) ?? '', /لرستان/);
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname === '/p/IR-15');
  await assertCountyMap(page);
  const county = lorestan.contests[0].county;
  await page.locator(`[data-testid=county-map] path[data-code="${county}"]`).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname === `/p/IR-15/${county}`);
  assert.equal(pathOf(page), `/p/IR-15/${county}`);
  await page.locator('[data-testid=breadcrumbs] li').nth(2).waitFor();
  assert.equal(await page.locator('[data-testid=breadcrumbs] li').count(), 3);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the national map zooms with its buttons, pans by dragging and with the arrow keys, and a drag opens nothing', async () => {
  const page = await open();
  const map = page.locator('[data-testid=national-map]');
  const drawing = map.locator('svg.map-svg > g');
  const transform = () => drawing.getAttribute('transform');
  // A zoom or a pan eases the drawing for a moment (style/maps.css): measure where it ends.
  const settled = () => drawing.evaluate((g) => Promise.all(g.getAnimations().map((a) => a.finished)));
  const start = await transform();
  await map.locator('.map-zoom button').first().click();
  const zoomed = await transform();
  assert.notEqual(zoomed, start);
  await map.locator('path[data-code="IR-15"]').focus();
  // Left: Lorestan, in the west, moves further into the zoomed view (to the right it would leave it).
  await page.keyboard.press('ArrowLeft');
  const panned = await transform();
  assert.notEqual(panned, zoomed);
  await settled();
  // A drag that starts on Lorestan moves the map and does not open the province.
  const box = await map.locator('path[data-code="IR-15"]').boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  const under = await page.evaluate(
    ([x, y]) => document.elementFromPoint(x, y)?.closest('path')?.dataset.code,
    [x, y],
  );
  assert.equal(under, 'IR-15', 'the drag starts on Lorestan');
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 80, y + 30, { steps: 5 });
  await page.mouse.up();
  assert.notEqual(await transform(), panned);
  assert.equal(pathOf(page), '/');
  await map.locator('.map-zoom button').last().click();
  assert.equal(await transform(), start);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a link with ?pub= keeps it when a region is opened from the map', async () => {
  const page = await open('?pub=demo/');
  await page.locator('[data-testid=national-map] path[data-code="IR-15"]').click();
  await page.waitForURL((url) => url.pathname === '/p/IR-15');
  assert.equal(new URL(page.url()).searchParams.get('pub'), 'demo/');
  await page.close();
});

test('choosing what colours the map changes the legend and the table', async () => {
  const page = await open('p/IR-15');
  const legend = page.locator('[data-testid=county-map] [data-testid=map-legend]');
  assert.equal(await legend.getAttribute('data-metric'), 'turnout');
  const before = await legend.textContent();
  const fills = async () =>
    page.locator('[data-testid=county-map] path[data-code]').evaluateAll((ps) => ps.map((p) => p.getAttribute('fill')));
  const turnoutFills = await fills();
  // Five classes of turnout among eleven counties.
  assert.ok(new Set(turnoutFills).size > 1, 'the counties are not all one colour');
  for (const metric of ['invalid_share', 'votes_per_ballot', 'councils', 'verified', 'turnout_vs_median']) {
    await page.locator('[data-testid=county-map] [data-testid=map-metric]').selectOption(metric);
    await page.waitForFunction(
      (m) => document.querySelector('[data-testid=county-map] [data-testid=map-legend]')?.dataset.metric === m,
      metric,
    );
  }
  assert.notEqual(await legend.textContent(), before);
  // The diverging palette around the median: counties on both sides of it.
  const diverging = await fills();
  assert.notDeepEqual(diverging, turnoutFills);
  await page.close();
});

test('regions with findings stand out on both maps, by their outline', async (t) => {
  // The same demo with signed impossible figures (as in the observer's test).
  const name = 'maps-test-with-findings';
  await withFindingsDemo(t, name, async (out) => {
    const report = await cliReport(out);
    const flagged = new Set(reportContests(report).filter((c) => !c.matches_published).map((c) => c.county));
    assert.ok(flagged.size > 0);
    const page = await newPage(browser);
    await page.goto(tamperedPageUrl(name));
    assert.equal(await settledStatus(page), 'verified_with_findings');
    const national = page.locator('[data-testid=national-map] path[data-code="IR-15"]');
    // The map is drawn once the reader comes near it.
    await page.locator('[data-testid=national-map-slot]').scrollIntoViewIfNeeded();
    await national.waitFor();
    assert.match(await national.getAttribute('class'), /region-findings/);
    await national.click();
    await page.waitForURL((url) => url.pathname === '/p/IR-15');
    await page.locator('[data-testid=county-map]').waitFor();
    const outlined = await page
      .locator('[data-testid=county-map] path.region-findings')
      .evaluateAll((ps) => ps.map((p) => p.dataset.code));
    for (const county of flagged) assert.ok(outlined.includes(county), `county ${county} is not outlined`);
    // The table says so in words.
    const findings = await page
      .locator(`[data-testid=county-map-table] tr[data-code="${[...flagged][0]}"] td`)
      .last()
      .textContent();
    assert.notEqual(findings.trim(), '۰');
    await page.close();
  });
});

test('the overview and a province page with their maps pass an accessibility audit', async () => {
  for (const path of ['', 'p/IR-15']) {
    const page = await open(path);
    await page.locator('[data-testid$=-map]').first().waitFor();
    await assertNoSeriousViolations(page, `/${path}`);
    await page.close();
  }
});
