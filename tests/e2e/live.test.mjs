// Election night, live: the server publishes the setup (the registry and
// candidates, before the polls open, no results), then a partial release,
// then the complete one, then a correction, and the open page moves forward through
// them without a reload, saying what changed. A server that then serves an
// older release (rollback), a rewritten log (fork) or an expired pointer
// (freeze) is refused in plain words, live and on reload, and `shafaf
// verify` refuses the same folders. `cargo xtask test` serves the sequence
// at live/ and switches it with __live/<name> (see xtask/src/site.rs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { appConfig, baseUrl, launch, newPage, run, settledStatus, shafafBin } from './browser.mjs';

/** name → folder of the live demo (step-1 the setup … step-4, fork, frozen). */
export const liveFolders = Object.fromEntries(
  (process.env.SHAFAF_LIVE_FOLDERS ?? '')
    .split(',')
    .filter(Boolean)
    .map((entry) => entry.split('=')),
);
const liveKeys = process.env.SHAFAF_LIVE_KEYS_DIR;

/** Seconds between polls for the tests: the app's `?poll=`. */
const POLL = 1;
/** A move forward takes a poll (with back-off, at most 8 polls) and a full verification. */
const MOVE_MS = 90_000;

let browser;
let releases;
before(async () => {
  assert.ok(liveKeys && liveFolders['step-4'], 'the live demo is not served (SHAFAF_LIVE_FOLDERS)');
  releases = JSON.parse(await readFile(join(liveKeys, 'releases.json'), 'utf8'));
  browser = await launch();
});
after(async () => {
  await fetch(new URL('__live/step-1', baseUrl));
  await browser?.close();
});

/** Makes the server publish `name` at live/ from now on. */
async function serveLive(name) {
  const response = await fetch(new URL(`__live/${name}`, baseUrl));
  assert.equal(response.status, 200, `could not switch the live demo to ${name}`);
}

/** The app at `path` on the live publication, polling every second. */
function liveUrl(path = '') {
  return new URL(`${path}?pub=live/&poll=${POLL}`, baseUrl).href;
}

async function shownVersion(page) {
  return page.locator('[data-testid=live-version]').getAttribute('data-version');
}

async function waitForVersion(page, version) {
  await page.locator(`[data-testid=live-version][data-version="${version}"]`).waitFor({ timeout: MOVE_MS });
}

const correction = () => releases.find((r) => r.kind === 'correction');

test('the open page moves forward from the setup through partial, complete and corrected results without a reload', async () => {
  const contest = correction().contests_with_new_winners[0];
  await serveLive('step-1');
  const page = await newPage(browser);
  await page.goto(liveUrl(`c/${contest}`));
  assert.equal(await settledStatus(page), 'verified');
  await page.locator('[data-testid=contest]').waitFor();
  assert.equal(await shownVersion(page), '1');
  // Before the polls open: the setup, no results yet, said where the figures will be.
  assert.equal(releases[0].kind, 'setup');
  await page.locator('[data-testid=setup-phase]').waitFor();
  // The page says who witnessed the release it shows.
  assert.equal(await page.locator('[data-testid=live-witnesses]').getAttribute('data-count'), '2');
  const before = await page.locator('[data-testid=contest]').innerText();
  // The reader sorted the candidates by name: a live update keeps the order.
  const byName = page.locator('[data-testid=candidate-table] th[data-column=name]');
  await byName.locator('button').click();
  assert.equal(await byName.getAttribute('aria-sort'), 'ascending');
  // The reader is searching when the new release arrives: the box keeps focus and text.
  const search = page.locator('#header-search');
  await search.fill('x');
  await search.focus();
  const url = page.url();
  // A page that navigated would lose this.
  await page.evaluate(() => {
    window.__stillHere = true;
  });

  await serveLive('step-2');
  await waitForVersion(page, 2);
  const change = page.locator('[data-testid=live] [data-testid=live-change]');
  // What changed is said once the new release's audit is complete, boundaries included.
  await change.waitFor({ timeout: MOVE_MS });
  assert.equal(await change.getAttribute('data-from'), '1');
  assert.equal(await change.getAttribute('data-to'), '2');
  const added = Number(await change.locator('[data-testid=change-counts]').getAttribute('data-added'));
  assert.equal(added, releases[1].stations_reported - releases[0].stations_reported);
  assert.equal(await page.evaluate(() => window.__stillHere), true, 'the page was reloaded');
  assert.equal(page.url(), url);
  assert.equal(await search.evaluate((el) => el === document.activeElement), true, 'the search box lost focus');
  assert.equal(await search.inputValue(), 'x');
  assert.match(await page.locator('[data-testid=live-checked]').innerText(), /Last checked|آخرین بررسی/);
  assert.equal(await byName.getAttribute('aria-sort'), 'ascending', 'the live update lost the sort');
  assert.equal(await page.locator('[data-testid=setup-phase]').count(), 0, 'results are shown as the setup');

  await serveLive('step-3');
  await waitForVersion(page, 3);
  // What changed is said between two releases audited in full: the reader has release 3's.
  await page.locator('[data-testid=status][data-audit=complete]').waitFor({ timeout: MOVE_MS });
  await serveLive('step-4');
  await waitForVersion(page, 4);
  await page.locator('[data-testid=live] [data-testid=live-change][data-to="4"]').waitFor({ timeout: MOVE_MS });
  const corrected = await change
    .locator('[data-testid=stations-corrected] li[data-station]')
    .evaluateAll((items) => items.map((li) => li.dataset.station));
  assert.deepEqual(corrected.sort(), [...correction().corrected_stations].sort());
  const winners = await change
    .locator('[data-testid=winners-changed] li[data-contest]')
    .evaluateAll((items) => items.map((li) => li.dataset.contest));
  assert.deepEqual(winners.sort(), [...correction().contests_with_new_winners].sort());
  // The named council links to its page, on the same publication.
  const link = change.locator(`[data-testid=winners-changed] a[data-contest="${contest}"]`);
  assert.match(await link.getAttribute('href'), new RegExp(`/c/${contest}\\?pub=live`));
  assert.equal(await page.evaluate(() => window.__stillHere), true);
  assert.equal(page.url(), url);
  // The council page shows the corrected figures, in place.
  await page.locator('[data-testid=contest]').waitFor();
  assert.notEqual(await page.locator('[data-testid=contest]').innerText(), before, "the council's figures did not update");

  // The server goes back to release 3: refused, release 4 stays.
  await serveLive('step-3');
  const refused = page.locator('[data-testid=live-refused]');
  await refused.waitFor({ timeout: MOVE_MS });
  assert.equal(await refused.getAttribute('data-code'), 'rollback');
  assert.match(await refused.innerText(), /Rollback|بازگشت به عقب/);
  assert.equal(await shownVersion(page), '4');

  // On reload the browser remembers release 4 and refuses release 3 outright.
  await page.reload();
  assert.equal(await settledStatus(page), 'failed');
  const finding = page.locator('[data-testid=findings] li[data-code=rollback]');
  await finding.waitFor();
  assert.equal(await page.locator('[data-testid=contest]').count(), 0, 'a rolled-back release is shown');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('after a new release the history audits only that release again', async () => {
  await serveLive('step-3');
  const page = await newPage(browser);
  // What the page asks its audit workers: past releases are audited as of their issue time.
  await page.addInitScript(() => {
    window.__pastJobs = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message, ...rest) {
      if (Array.isArray(message) && typeof message[0] === 'string') {
        const job = JSON.parse(message[0]);
        if (job.witnesses_pending) window.__pastJobs.push(job.now);
      }
      return post.call(this, message, ...rest);
    };
  });
  await page.goto(liveUrl('history'));
  const list = page.locator('[data-testid=release-list]');
  const items = list.locator('> li[data-testid=release]');
  await list.waitFor({ timeout: MOVE_MS });
  assert.equal(await items.count(), 3);
  await page.evaluate(() => {
    window.__pastJobs = [];
  });

  // On the overview when release 4 arrives, then back to the history of the grown log.
  await page.locator('header a.brand').click();
  await page.locator('[data-testid=summary]').waitFor({ timeout: MOVE_MS });
  await serveLive('step-4');
  await waitForVersion(page, 4);
  await page.goBack();
  await list.locator('> li[data-version="4"]').waitFor({ timeout: MOVE_MS });
  assert.equal(await items.count(), 4);
  const issued = (version) => Date.parse(releases[version - 1].issued) / 1000;
  const audited = new Set(await page.evaluate(() => window.__pastJobs));
  assert.deepEqual([...audited], [issued(4)], 'releases 1 to 3 were audited again');
  // What the correction changed is still said, beside the releases kept.
  const change = list.locator('> li[data-version="4"] [data-testid=live-change]');
  assert.equal(await change.getAttribute('data-from'), '3');
  assert.equal(await list.locator('> li[data-version="3"] [data-testid=live-change]').getAttribute('data-from'), '2');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a new release that arrives while the history is open is added to it in place', async () => {
  await serveLive('step-3');
  const page = await newPage(browser);
  await page.goto(liveUrl('history'));
  const list = page.locator('[data-testid=release-list]');
  await list.locator('> li[data-version="3"] [data-testid=live-change]').waitFor({ timeout: MOVE_MS });
  await serveLive('step-4');
  await waitForVersion(page, 4);
  await list.locator('> li[data-version="4"] [data-testid=live-change][data-from="3"]').waitFor({ timeout: MOVE_MS });
  assert.equal(await list.locator('> li[data-testid=release]').count(), 4);
  // The page still answers: the comparison follows the reader's choice.
  await page.locator('[data-testid=compare-from]').selectOption('2');
  await page.locator('#compare [data-testid=live-change][data-from="2"][data-to="4"]').waitFor({ timeout: MOVE_MS });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a forked log is refused, live and on reload', async () => {
  await serveLive('step-2');
  const page = await newPage(browser);
  await page.goto(liveUrl());
  assert.equal(await settledStatus(page), 'verified');
  assert.equal(await shownVersion(page), '2');
  // Another release 2 on the same setup (complete where the one seen was partial), properly signed.
  await serveLive('fork');
  const refused = page.locator('[data-testid=live-refused]');
  await refused.waitFor({ timeout: MOVE_MS });
  assert.equal(await refused.getAttribute('data-code'), 'fork');
  assert.match(await refused.innerText(), /Fork|دو شاخه/);
  assert.equal(await shownVersion(page), '2');
  await page.reload();
  assert.equal(await settledStatus(page), 'failed');
  await page.locator('[data-testid=findings] li[data-code=fork]').waitFor();
  assert.equal(await page.locator('[data-testid=summary]').count(), 0, 'a forked release is shown');
  await page.close();
});

test('an expired pointer is flagged as a freeze and never shown as current', async () => {
  await serveLive('step-4');
  const page = await newPage(browser);
  await page.goto(liveUrl());
  assert.equal(await settledStatus(page), 'verified');
  assert.equal(await shownVersion(page), '4');
  await serveLive('frozen');
  const refused = page.locator('[data-testid=live-refused]');
  await refused.waitFor({ timeout: MOVE_MS });
  assert.equal(await refused.getAttribute('data-code'), 'frozen');
  assert.match(await refused.innerText(), /Freeze|انجماد/);
  await page.reload();
  // A freeze is an expiry: the status says so, and the finding names the pointer.
  assert.equal(await settledStatus(page), 'expired');
  await page.locator('[data-testid=findings] li[data-code=frozen]').waitFor();
  assert.equal(await page.locator('[data-testid=summary]').count(), 0, 'a frozen release is shown as current');
  await page.close();
});

/** `shafaf verify` on `dir`, pinned to the served root: exit code and output. */
async function cliVerify(args) {
  const { root_sha256: pin } = await appConfig();
  try {
    const { stdout, stderr } = await run(shafafBin, ['verify', ...args, '--root-sha256', pin], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    return { code: error.code, out: (error.stdout ?? '') + (error.stderr ?? '') };
  }
}

test('shafaf verify refuses the rollback, the fork and the expired pointer with the reason', async () => {
  const extended = await cliVerify([liveFolders['step-4'], '--extends', liveFolders['step-1']]);
  assert.equal(extended.code, 0, extended.out);
  const rollback = await cliVerify([liveFolders['step-3'], '--extends', liveFolders['step-4']]);
  assert.notEqual(rollback.code, 0);
  assert.match(rollback.out, /rollback/i);
  const fork = await cliVerify([liveFolders.fork, '--extends', liveFolders['step-2']]);
  assert.notEqual(fork.code, 0);
  assert.match(fork.out, /fork/i);
  const frozen = await cliVerify([liveFolders.frozen]);
  assert.notEqual(frozen.code, 0);
  assert.match(frozen.out, /froze|expired/i);
});
