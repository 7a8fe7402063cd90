import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { baseUrl, launch, newPage, publicationDir } from './browser.mjs';

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
  // The title is in the static HTML; the body text appears only once the wasm ran.
  await page.waitForFunction(() => document.body.innerText.includes('شفاف'));
  assert.deepEqual(page.errors, []);
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
