// An observer at a polling station checks the result sheet its device
// posted: a photo of its QR codes, uploaded at /sheet, gets one verdict
// against the publication. The demo's sheets (`shafaf demo` writes them in
// its keys folder, sheets/) are each made for one verdict against the full
// election night (sequence/step-4/); against the setup alone
// (sequence/step-1/) a genuine sheet is not published yet.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { assertNoSeriousViolations } from './axe.mjs';
import { appConfig, baseUrl, launch, newPage, run, SETTLE_MS, shafafBin } from './browser.mjs';
import { readGreyPng, writeY4m } from './y4m.mjs';

const liveKeys = process.env.SHAFAF_LIVE_KEYS_DIR;

let browser;
let sheets;
before(async () => {
  assert.ok(liveKeys, 'the live demo is not served (SHAFAF_LIVE_KEYS_DIR)');
  sheets = JSON.parse(await readFile(join(liveKeys, 'sheets', 'sheets.json'), 'utf8'));
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Uploads the demo's sheet `name` on `folder` and returns the verdict element. */
async function check(page, name, folder) {
  await page.goto(new URL(`sheet?pub=sequence/${folder}/`, baseUrl).href);
  const upload = page.locator('[data-testid=sheet-upload]');
  await upload.waitFor({ timeout: SETTLE_MS });
  await upload.setInputFiles(join(liveKeys, 'sheets', `${name}.png`));
  const verdict = page.locator('[data-testid=sheet-verdict]');
  await verdict.waitFor({ timeout: SETTLE_MS });
  return verdict;
}

for (const name of ['matches', 'corrected', 'differs', 'wrong-device', 'invalid']) {
  test(`a photo of the "${name}" sheet is said to be ${name}`, async () => {
    const sheet = sheets.find((s) => s.name === name);
    assert.ok(sheet, `the demo wrote no ${name} sheet`);
    const page = await newPage(browser);
    const verdict = await check(page, name, 'step-4');
    assert.equal(await verdict.getAttribute('data-verdict'), name);
    if (name !== 'invalid') {
      assert.equal(await verdict.locator('[data-testid=sheet-station]').getAttribute('data-station'), sheet.station);
    }
    if (name === 'differs' || name === 'corrected') {
      // Every figure that differs, side by side: the sheet's and the published one.
      const rows = verdict.locator('[data-testid=sheet-difference]');
      assert.ok((await rows.count()) > 0, 'no differing figure listed');
      const [onSheet, published] = await rows.first().locator('td').evaluateAll((tds) => tds.map((td) => td.dataset.value));
      assert.notEqual(onSheet, published);
    }
    if (name === 'differs') {
      // The evidence: downloaded, then checked here and by the CLI with nothing but the pinned root.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('[data-testid=sheet-evidence]').click(),
      ]);
      const file = join(tmpdir(), `shafaf-evidence-${process.pid}.json`);
      await download.saveAs(file);
      await page.locator('[data-testid=evidence-upload]').setInputFiles(file);
      const checked = page.locator('[data-testid=evidence-verdict]');
      await checked.waitFor({ timeout: SETTLE_MS });
      assert.equal(await checked.getAttribute('data-proven'), 'true');
      const { root_sha256: pin } = await appConfig();
      const { stdout } = await run(shafafBin, ['evidence', 'verify', file, '--root-sha256', pin]);
      assert.match(stdout, /^PROVEN/);
      // The same file with the published line altered proves nothing.
      const altered = JSON.parse(await readFile(file, 'utf8'));
      altered.line = altered.line.replace('"ballots_cast":', '"ballots_cast":1');
      const alteredFile = join(tmpdir(), `shafaf-evidence-altered-${process.pid}.json`);
      await writeFile(alteredFile, JSON.stringify(altered));
      await page.locator('[data-testid=evidence-upload]').setInputFiles(alteredFile);
      await page.locator('[data-testid=evidence-verdict][data-proven=false]').waitFor({ timeout: SETTLE_MS });
      await rm(file, { force: true });
      await rm(alteredFile, { force: true });
    }
    if (name === 'matches') await assertNoSeriousViolations(page, '/sheet');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test('against the setup release alone, a genuine sheet is not published yet', async () => {
  const page = await newPage(browser);
  const verdict = await check(page, 'matches', 'step-1');
  assert.equal(await verdict.getAttribute('data-verdict'), 'unpublished');
  await page.close();
});

/** Uploads, on the full election night, a photo without any QR code (a
 * 16 × 16 grey checkerboard) and returns the verdict element. */
async function checkPhotoWithoutCodes(page) {
  await page.goto(new URL('sheet?pub=sequence/step-4/', baseUrl).href);
  const upload = page.locator('[data-testid=sheet-upload]');
  await upload.waitFor({ timeout: SETTLE_MS });
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAAAAAA6mKC9AAAAHElEQVR42mM4AQT/gQBGM5AhgMwB0eQIDBJ3AADkGOOB4GBmZwAAAABJRU5ErkJggg==',
    'base64',
  );
  await upload.setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png });
  const verdict = page.locator('[data-testid=sheet-verdict]');
  await verdict.waitFor({ timeout: SETTLE_MS });
  return verdict;
}

test('a photo without a sheet is not a valid sheet', async () => {
  const page = await newPage(browser);
  const verdict = await checkPhotoWithoutCodes(page);
  assert.equal(await verdict.getAttribute('data-verdict'), 'invalid');
  await page.close();
});

test('offline, after a first visit, a sheet still checks', async () => {
  const page = await newPage(browser);
  // Online: the app, and the province's registry and results, are fetched once.
  await check(page, 'matches', 'step-4');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  // Once the service worker controls the page, what it fetches is kept.
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  assert.equal(await (await check(page, 'matches', 'step-4')).getAttribute('data-verdict'), 'matches');
  await page.context().setOffline(true);
  const verdict = await check(page, 'differs', 'step-4');
  assert.equal(await verdict.getAttribute('data-verdict'), 'differs');
  await page.close();
});

test("the phone's camera reads the sheet's QR codes", async () => {
  // Chromium's fake camera plays a video of the demo's sheet.
  const video = join(tmpdir(), `shafaf-sheet-${process.pid}.y4m`);
  await writeY4m(await readGreyPng(join(liveKeys, 'sheets', 'matches.png')), video);
  const camera = await launch([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
  ]);
  try {
    const page = await newPage(camera);
    await page.goto(new URL('sheet?pub=sequence/step-4/', baseUrl).href);
    const start = page.locator('[data-testid=sheet-camera]');
    await start.waitFor({ timeout: SETTLE_MS });
    await start.click();
    const verdict = page.locator('[data-testid=sheet-verdict]');
    await verdict.waitFor({ timeout: SETTLE_MS });
    assert.equal(await verdict.getAttribute('data-verdict'), 'matches');
    assert.deepEqual(page.errors, []);
  } finally {
    await camera.close();
    await rm(video, { force: true });
  }
});

test("where the browser has a BarcodeDetector (Chrome on Android and macOS), the app reads the sheet with it", async () => {
  // Chromium on Linux has none: the page gets a stand-in that answers with
  // the QR texts of the demo's "matches" sheet (as zbarimg reads them) and
  // records how it was asked.
  const { stdout } = await run('zbarimg', ['--raw', '-q', '-Sdisable', '-Sqrcode.enable', join(liveKeys, 'sheets', 'matches.png')]);
  const parts = stdout.split('\n').filter(Boolean);
  assert.ok(parts.length > 0, 'zbarimg read no QR code in the demo sheet');
  const page = await newPage(browser);
  await page.addInitScript((texts) => {
    window.detectorCalls = [];
    window.BarcodeDetector = class {
      constructor(options) {
        this.formats = options?.formats ?? [];
      }
      async detect(source) {
        window.detectorCalls.push({ formats: this.formats, source: source?.constructor?.name });
        return texts.map((rawValue) => ({ rawValue, format: 'qr_code' }));
      }
    };
  }, parts);
  // A photo without any QR code: only the detector can have read the sheet.
  const verdict = await checkPhotoWithoutCodes(page);
  assert.equal(await verdict.getAttribute('data-verdict'), 'matches');
  const calls = await page.evaluate(() => window.detectorCalls);
  assert.deepEqual(calls, [{ formats: ['qr_code'], source: 'ImageBitmap' }]);
  assert.deepEqual(page.errors, []);
  await page.close();
});
