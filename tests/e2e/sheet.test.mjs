// An observer at a polling station checks the result sheet its device
// posted: a photo of its QR codes, uploaded at /sheet, gets one verdict
// against the publication. The demo's sheets (`shafaf demo` writes them in
// its keys folder, sheets/) are each made for one verdict against the full
// election night (sequence/step-4/); against the setup alone
// (sequence/step-1/) a genuine sheet is not published yet.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { assertNoSeriousViolations } from './axe.mjs';
import { baseUrl, launch, newPage, SETTLE_MS } from './browser.mjs';

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

test('a photo without a sheet is not a valid sheet', async () => {
  const page = await newPage(browser);
  await page.goto(new URL('sheet?pub=sequence/step-4/', baseUrl).href);
  const upload = page.locator('[data-testid=sheet-upload]');
  await upload.waitFor({ timeout: SETTLE_MS });
  // Any image without a QR code: the app's own icon, drawn as a PNG by the test.
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAAAAAA6mKC9AAAAEklEQVR4nGP4z8DAwMDAxMDAAAAfSQMBTXNXpQAAAABJRU5ErkJggg==',
    'base64',
  );
  await upload.setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png });
  const verdict = page.locator('[data-testid=sheet-verdict]');
  await verdict.waitFor({ timeout: SETTLE_MS });
  assert.equal(await verdict.getAttribute('data-verdict'), 'invalid');
  await page.close();
});
