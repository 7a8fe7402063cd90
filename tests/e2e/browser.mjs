// Shared set-up for the end-to-end tests (not a test itself: the runner takes
// only *.test.mjs). `cargo xtask test` serves the app and passes, in the
// environment:
//   SHAFAF_BASE_URL         the served app, e.g. http://127.0.0.1:40123/
//   SHAFAF_PUBLICATION_DIR  the demo publication on disk (served at demo/)
//   SHAFAF_TAMPERED_DIR     one folder per tampered copy (served at tampered/<case>/)
//   SHAFAF_TAMPER_CASES     the case names, comma-separated
//   SHAFAF_DEMO_KEYS_DIR    the demo's secret keys and anomaly list (not served)
//   SHAFAF_CHROMIUM         Debian's Chromium
import { chromium } from 'playwright-core';

export const baseUrl = process.env.SHAFAF_BASE_URL ?? 'http://127.0.0.1:8080/';
export const publicationDir = process.env.SHAFAF_PUBLICATION_DIR;
export const tamperedDir = process.env.SHAFAF_TAMPERED_DIR;
export const demoKeysDir = process.env.SHAFAF_DEMO_KEYS_DIR;
export const tamperCases = (process.env.SHAFAF_TAMPER_CASES ?? 'flip-byte,drop-signature,edit-release')
  .split(',')
  .filter(Boolean);

/** The app opened on a tampered copy of the demo (same pinned root). */
export function tamperedUrl(name) {
  return new URL(`?pub=tampered/${name}/`, baseUrl).href;
}

/** Debian's Chromium as this machine needs it: as root, without a GPU, and
 * without any request beyond the local server. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.SHAFAF_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A new page that records uncaught errors in `page.errors`. */
export async function newPage(browser) {
  const page = await browser.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error));
  return page;
}
