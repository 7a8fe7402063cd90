// A journalist opens the history of releases and corrections: every release
// of the log with its time, signers and witnesses, what changed from the one
// before (the correction names its stations and the council whose elected
// members changed), and a comparison of one council in two releases. The
// live demo's folders are served at sequence/<name>/ (see xtask/src/serve.rs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { assertNoSeriousViolations } from './axe.mjs';
import { baseUrl, launch, newPage, SETTLE_MS } from './browser.mjs';

const liveKeys = process.env.SHAFAF_LIVE_KEYS_DIR;

let browser;
let releases;
before(async () => {
  assert.ok(liveKeys, 'the live demo is not served (SHAFAF_LIVE_KEYS_DIR)');
  releases = JSON.parse(await readFile(join(liveKeys, 'releases.json'), 'utf8'));
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function historyUrl(query = '') {
  return new URL(`history?${query}${query ? '&' : ''}pub=sequence/step-4/`, baseUrl).href;
}

test('the history lists every release, its signers and witnesses, and what the correction changed', async () => {
  const page = await newPage(browser);
  await page.goto(historyUrl());
  const list = page.locator('[data-testid=release-list]');
  await list.waitFor({ timeout: SETTLE_MS });
  const items = list.locator('> li[data-testid=release]');
  assert.deepEqual(await items.evaluateAll((lis) => lis.map((li) => li.dataset.version)), ['4', '3', '2', '1']);
  for (const release of releases) {
    const item = list.locator(`> li[data-version="${release.version}"]`);
    assert.equal(
      Number(await item.locator('[data-testid=stations-reported]').getAttribute('data-value')),
      release.stations_reported,
    );
    assert.equal(
      Number(await item.locator('dd[data-issued]').getAttribute('data-issued')),
      Date.parse(release.issued) / 1000,
    );
    assert.ok((await item.locator('li[data-role=publisher]').count()) >= 1, 'no publisher signature listed');
    assert.equal(Number(await item.locator('[data-testid=witnesses]').getAttribute('data-count')), 2);
  }
  assert.equal(await list.locator('> li[data-version="1"] [data-testid=first-release]').count(), 1);
  const correction = releases.find((r) => r.kind === 'correction');
  const change = list.locator(`> li[data-version="${correction.version}"] [data-testid=live-change]`);
  assert.equal(await change.getAttribute('data-from'), String(correction.version - 1));
  const stations = await change
    .locator('[data-testid=stations-corrected] li[data-station]')
    .evaluateAll((lis) => lis.map((li) => li.dataset.station));
  assert.deepEqual(stations.sort(), [...correction.corrected_stations].sort());
  const winners = await change
    .locator('[data-testid=winners-changed] li[data-contest]')
    .evaluateAll((lis) => lis.map((li) => li.dataset.contest));
  assert.deepEqual(winners.sort(), [...correction.contests_with_new_winners].sort());
  // The complete release added the stations the partial one lacked.
  const complete = list.locator('> li[data-version="3"] [data-testid=change-counts]');
  assert.equal(Number(await complete.getAttribute('data-added')), releases[2].stations_reported - releases[1].stations_reported);
  assert.deepEqual(page.errors, []);
  await assertNoSeriousViolations(page, '/history');
  await page.close();
});

test('the history opened again in the same tab is shown without verifying every release again', async () => {
  const page = await newPage(browser);
  await page.goto(historyUrl());
  const list = page.locator('[data-testid=release-list]');
  await list.waitFor({ timeout: SETTLE_MS });
  const manifests = [];
  page.on('request', (request) => {
    if (/\/releases\/\d+\/release\.json/.test(request.url())) manifests.push(request.url());
  });
  // Away to the overview and back, inside the app.
  await page.locator('header a.brand').click();
  await page.locator('[data-testid=summary]').waitFor({ timeout: SETTLE_MS });
  await page.goBack();
  await list.waitFor({ timeout: SETTLE_MS });
  assert.equal(await list.locator('> li[data-testid=release]').count(), releases.length);
  assert.deepEqual(manifests, [], 'the releases were fetched and verified again');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a journalist compares one council in two releases, candidate by candidate', async () => {
  const correction = releases.find((r) => r.kind === 'correction');
  const contest = correction.contests_with_new_winners[0];
  const page = await newPage(browser);
  await page.goto(historyUrl(`from=3&to=4&contest=${contest}`));
  const compare = page.locator(`[data-testid=council-compare][data-contest="${contest}"]`);
  await compare.waitFor({ timeout: SETTLE_MS });
  const rows = await compare.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.dataset.value)),
  );
  assert.ok(rows.length > 1, 'no candidate compared');
  // The winners changed, so some candidate's rank did.
  assert.ok(rows.some(([, rankBefore, , rankAfter]) => rankBefore !== rankAfter), 'no rank changed');
  const summary = page.locator('[data-testid=compare] > [data-testid=live-change]');
  assert.equal(await summary.getAttribute('data-from'), '3');
  assert.equal(await summary.getAttribute('data-to'), '4');
  // Choosing another release to compare from keeps the council.
  await page.locator('[data-testid=compare-from]').selectOption('2');
  await page.locator('[data-testid=compare] > [data-testid=live-change][data-from="2"]').waitFor();
  assert.match(page.url(), new RegExp(`from=2&to=4&contest=${contest}`));
  await compare.waitFor();
  await page.close();
});

test('the verification panel shows the checkpoint of the release shown and who witnessed it', async () => {
  const page = await newPage(browser);
  await page.goto(new URL('verify?pub=sequence/step-4/', baseUrl).href);
  const log = page.locator('[data-testid=log-audit]');
  await log.waitFor({ timeout: SETTLE_MS });
  assert.equal(await log.locator('[data-testid=log-size]').getAttribute('data-value'), String(releases.length));
  const witnesses = log.locator('[data-testid=checkpoint-signer][data-role=witness][data-valid=true]');
  assert.equal(await witnesses.count(), 2);
  assert.match(await witnesses.first().innerText(), /demo-witness-1/);
  // Each witness's time reads as a date, with how long ago it was.
  assert.match(await witnesses.first().locator('[data-testid=cosigned-at]').innerText(), /[۰-۹]{4}[\s\S]*\([۰-۹]+ .+ پیش\)/);
  assert.equal(await log.locator('[data-testid=checkpoint-signer][data-role=publisher]').count(), 2);
  assert.ok(Number(await log.locator('[data-testid=pointer-expires]').getAttribute('data-expires')) > Date.now() / 1000);
  // When the registry was committed, and by whom it was witnessed, against the polls' opening.
  const setup = page.locator('[data-testid=setup-audit]');
  const pollsOpen = Number(await setup.locator('[data-testid=polls-open]').getAttribute('data-value'));
  assert.equal(pollsOpen, Date.parse('2026-06-19T08:00:00+03:30') / 1000);
  assert.equal(Number(await setup.locator('[data-testid=setup-issued]').getAttribute('data-value')), Date.parse(releases[0].issued) / 1000);
  assert.equal(await setup.locator('[data-testid=setup-witnessed]').getAttribute('data-value'), '2');
  const early = setup.locator('[data-testid=setup-witness][data-before-polls=true]');
  assert.equal(await early.count(), 2);
  assert.ok(Number(await early.first().locator('[data-testid=setup-cosigned-at]').getAttribute('data-value')) < pollsOpen);
  await assertNoSeriousViolations(page, '/verify');
  await page.close();
});

test("a council's page links to its comparison with the release before", async () => {
  const correction = releases.find((r) => r.kind === 'correction');
  const contest = correction.contests_with_new_winners[0];
  const page = await newPage(browser);
  await page.goto(new URL(`c/${contest}?pub=sequence/step-4/`, baseUrl).href);
  const link = page.locator('[data-testid=council-history]');
  await link.waitFor({ timeout: SETTLE_MS });
  await link.click();
  await page.locator(`[data-testid=council-compare][data-contest="${contest}"]`).waitFor({ timeout: SETTLE_MS });
  const summary = page.locator('[data-testid=compare] > [data-testid=live-change]');
  assert.equal(await summary.getAttribute('data-from'), String(correction.version - 1));
  assert.equal(await summary.getAttribute('data-to'), String(correction.version));
  assert.match(page.url(), /pub=sequence/);
  await page.close();
});
