import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { baseUrl, cliReport, launch, newPage, publicationDir, reportContests, savingData } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('renders the app in Persian, right to left', async () => {
  const page = await newPage(browser);
  await page.goto(baseUrl);
  const html = page.locator('html');
  assert.equal(await html.getAttribute('lang'), 'fa');
  assert.equal(await html.getAttribute('dir'), 'rtl');
  // The language switch is drawn by the app, once the wasm ran.
  await page.locator('[data-testid="lang-toggle"]').waitFor();
  assert.deepEqual(page.errors, []);
});

test('while the app downloads the page names itself, says it is loading and what it will check, then the app takes its place', async () => {
  const page = await newPage(browser);
  // Hold the app's wasm back, as a slow network would.
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  await page.route(/shafaf-app-[0-9a-f]+_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(baseUrl);
  const shell = page.locator('#shell');
  await shell.getByText('در حال دریافت برنامه').waitFor();
  assert.match(await shell.innerText(), /شفاف/);
  assert.match(await shell.innerText(), /Loading the app/);
  // What it does before showing anything, and why that takes a while on a phone.
  assert.match(await shell.innerText(), /وارسی می‌کند/);
  assert.match(await shell.innerText(), /shows no figure before that/);
  // No figure before anything verified.
  assert.doesNotMatch(await page.locator('body').innerText(), /[0-9۰-۹]/);
  release();
  await page.locator('[data-testid="lang-toggle"]').waitFor();
  assert.equal(await page.locator('#shell').count(), 0);
  assert.equal(await page.locator('.brand-name').count(), 1);
  assert.deepEqual(page.errors, []);
});

/**
 * Opens `path` (with the audit waiting, so that only the view fetches) until
 * `view` is shown; the publication's paths it asked for, with how often, and
 * the downloads index.html started early that the app did not take.
 */
async function firstViewRequests(path, view) {
  // Without the service worker, whose copy of the app would hide the app's requests.
  const page = await newPage(browser, { serviceWorkers: 'block' });
  await savingData(page);
  const asked = new Map();
  const code = new Map();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== new URL(baseUrl).origin) return;
    const publication = url.pathname === '/config.json' || url.pathname.startsWith('/demo/');
    if (publication) asked.set(url.pathname, (asked.get(url.pathname) ?? 0) + 1);
    if (url.pathname.endsWith('.wasm')) code.set(url.pathname, (code.get(url.pathname) ?? 0) + 1);
  });
  // No polling for a newer release meanwhile.
  await page.goto(new URL(`${path}?poll=3600`, baseUrl).href);
  await page.locator('[data-testid=status][data-audit]:not([data-status=loading])').waitFor();
  await page.locator(view).waitFor();
  const unused = await page.evaluate(() => [...window.shafafEarly].filter(([, entry]) => entry).map(([url]) => url));
  assert.deepEqual(page.errors, []);
  return { asked: new Map(asked), code: new Map(code), unused };
}

/** The paths of `asked` requested more than once. */
function twice(asked) {
  return [...asked].filter(([, n]) => n > 1).map(([path]) => path);
}

test('the downloads index.html starts before the app runs are the ones the landing page uses: each file is asked for once, and the map\'s code in one', async () => {
  const { asked, code, unused } = await firstViewRequests('/', '[data-testid=summary] [data-testid=national-map]');
  // Taken by the app, every one that was started: none in vain.
  assert.deepEqual(unused, []);
  // The map, drawn after the figures, has its code in one download, its
  // pack, not chunk by chunk.
  assert.ok([...code.keys()].some((path) => /^\/pack_national_map-[0-9a-f]+\.wasm$/.test(path)), [...code.keys()].join(', '));
  assert.ok(![...code.keys()].some((path) => /^\/split_national_map-/.test(path)), [...code.keys()].join(', '));
  assert.deepEqual(twice(code), []);
  for (const path of ['/config.json', '/demo/root.json', '/demo/release.json', '/demo/latest.json']) {
    assert.ok(asked.has(path), `${path} was not asked for`);
  }
  assert.ok([...asked.keys()].some((path) => /^\/demo\/files\/summary\./.test(path)));
  assert.deepEqual(twice(asked), []);
});

test("a council's deep link uses every download index.html started, and asks for its province's files once", async () => {
  const contest = reportContests(await cliReport())[0];
  const { asked, code, unused } = await firstViewRequests(
    `/c/${encodeURIComponent(contest.id)}`,
    '[data-testid=candidate-table]',
  );
  assert.deepEqual(unused, []);
  const contests = new RegExp(`^/demo/files/contests-${contest.province}\\.`);
  assert.ok([...asked.keys()].some((path) => contests.test(path)), [...asked.keys()].join(', '));
  assert.deepEqual(twice(asked), []);
  // The view's code, which index.html starts once the app's main module
  // arrived, is downloaded once too: in one file, its pack, not chunk by chunk.
  assert.ok([...code.keys()].some((path) => /^\/pack_council-[0-9a-f]+\.wasm$/.test(path)), [...code.keys()].join(', '));
  assert.ok(![...code.keys()].some((path) => /^\/split_council-/.test(path)), [...code.keys()].join(', '));
  // A council draws no map: the maps' code is left for the views that do.
  assert.ok(![...code.keys()].some((path) => /^\/split_(places|national_map)-/.test(path)), [...code.keys()].join(', '));
  assert.deepEqual(twice(code), []);
});

test('config.json pins the sha256 of the served demo root', async () => {
  const page = await newPage(browser);
  const response = await page.goto(new URL('config.json', baseUrl).href);
  const config = await response.json();
  assert.equal(config.publication, 'demo/');
  assert.equal(config.demo, true);
  if (publicationDir) {
    const root = await readFile(join(publicationDir, 'root.json'));
    assert.equal(config.root_sha256, createHash('sha256').update(root).digest('hex'));
  }
  const served = await page.goto(new URL(`${config.publication}root.json`, baseUrl).href);
  assert.equal(served.status(), 200);
});
