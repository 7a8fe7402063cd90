// Shared set-up for the end-to-end tests (not a test itself: the runner takes
// only *.test.mjs). `cargo xtask test` serves the app and passes, in the
// environment:
//   SHAFAF_BASE_URL         the served app, e.g. http://127.0.0.1:40123/
//   SHAFAF_PUBLICATION_DIR  the demo publication on disk (served at demo/)
//   SHAFAF_TAMPERED_DIR     one folder per tampered copy (served at tampered/<case>/)
//   SHAFAF_TAMPER_CASES     the case names, comma-separated
//   SHAFAF_DEMO_KEYS_DIR    the demo's secret keys and anomaly list (not served)
//   SHAFAF_CHROMIUM         Debian's Chromium
//   SHAFAF_BIN              the shafaf CLI (default target/release/shafaf)
//   SHAFAF_GEO              the boundaries the demo is made from
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

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
export function launch(extra = []) {
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
      ...extra,
    ],
  });
}

/** A new page that records uncaught errors and CSP violations in `page.errors`. */
export async function newPage(browser, options = {}) {
  const page = await browser.newPage(options);
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error));
  // The app runs under a strict Content-Security-Policy: a violation is an error.
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy/i.test(message.text())) page.errors.push(message.text());
  });
  return page;
}

/** A browser that asks to save data: the audit waits for the reader. */
export async function savingData(page) {
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'connection', { value: { saveData: true, type: 'cellular' } });
  });
}

// Helpers the user-path tests share (citizen, journalist, observer).

export const run = promisify(execFile);
export const repo = fileURLToPath(new URL('../../', import.meta.url));
export const shafafBin = process.env.SHAFAF_BIN ?? `${repo}target/release/shafaf`;

/** Verifying thousands of signatures in the browser takes a few seconds; give it room. */
export const SETTLE_MS = 120_000;

/** The app opened at `path` (e.g. `verify`) on a tampered copy of the demo. */
export function tamperedPageUrl(name, path = '') {
  return new URL(`${path}?pub=tampered/${name}/`, baseUrl).href;
}

/** Waits until the verdict is final — every station of the release verified
 * and recounted (`data-audit="complete"`), or loading refused the release —
 * and returns it. */
export async function settledStatus(page) {
  const status = page.locator('[data-testid=status][data-audit=complete]');
  try {
    await status.waitFor({ timeout: SETTLE_MS });
  } catch (error) {
    const errors = (page.errors ?? []).map(String).join('; ') || 'none';
    throw new Error(`the verdict never settled; the page shows: ${await pageState(page)}; errors: ${errors}`, {
      cause: error,
    });
  }
  return status.getAttribute('data-status');
}

/** What the page shows of its status, for a test that timed out. */
async function pageState(page) {
  try {
    return await page.evaluate(() => {
      const status = document.querySelector('[data-testid=status]');
      const attributes = status ? [...status.attributes].map((a) => `${a.name}=${a.value}`).join(' ') : 'no status';
      const progress = document.querySelector('[data-testid=progress]');
      const fetched = performance
        .getEntriesByType('resource')
        .map((e) => `${new URL(e.name).pathname} ${Math.round(e.startTime)}-${Math.round(e.responseEnd)}ms`);
      const worker = navigator.serviceWorker?.controller ? 'controlled by the service worker' : 'no service worker';
      return [
        `${attributes}; "${(status?.innerText ?? document.body.innerText).slice(0, 400)}"`,
        `progress ${progress?.dataset.phase}: "${progress?.innerText}"`,
        `${worker}; ${Math.round(performance.now())} ms since the page opened; fetched: ${fetched.join(', ')}`,
      ].join('\n');
    });
  } catch (error) {
    return `(unreadable: ${error.message})`;
  }
}

/** Waits until the view's figures are drawn from signed files (the first
 * verified view, before the audit of every station) and returns the status. */
export async function signedStatus(page) {
  const status = page.locator('[data-testid=status][data-audit]:not([data-status=loading])');
  await status.waitFor({ timeout: SETTLE_MS });
  return status.getAttribute('data-status');
}

/** The served config.json. */
export async function appConfig() {
  const response = await fetch(new URL('config.json', baseUrl));
  assert.equal(response.status, 200);
  return response.json();
}

/** What `shafaf verify --json` reports for `dir` (the served demo by default), pinned to the served root. */
export async function cliReport(dir = publicationDir) {
  assert.ok(dir, 'SHAFAF_PUBLICATION_DIR is not set');
  assert.ok(existsSync(shafafBin), `the shafaf CLI is not at ${shafafBin} (set SHAFAF_BIN)`);
  const { root_sha256: rootSha256 } = await appConfig();
  try {
    const { stdout } = await run(shafafBin, ['verify', dir, '--root-sha256', rootSha256, '--json'], {
      maxBuffer: 256 * 1024 * 1024,
    });
    return JSON.parse(stdout);
  } catch (error) {
    // Exit status 1 means findings: the report is still on stdout.
    if (error.stdout) return JSON.parse(error.stdout);
    throw error;
  }
}

/** Every contest of a CLI report, with its province code. */
export function reportContests(report) {
  return report.election.provinces.flatMap((p) => p.contests.map((c) => ({ ...c, province: p.code })));
}

/** Parses RFC 4180 CSV (quoted fields, CRLF) into rows of strings. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/**
 * Makes the served demo again with signed impossible figures (`shafaf demo
 * --tamper`, same seed, so the same keys and pinned root), serves it at
 * tampered/<name>/, runs `body(folder)` and removes it. The files are
 * authentic: only the figures disagree. Skips the test where it cannot be made.
 */
export async function withFindingsDemo(t, name, body) {
  const geo = process.env.SHAFAF_GEO;
  if (!tamperedDir || !geo || !existsSync(shafafBin)) {
    t.skip('needs SHAFAF_TAMPERED_DIR, SHAFAF_GEO and the shafaf CLI');
    return;
  }
  const out = join(tamperedDir, name);
  const keys = join(tmpdir(), `${name}-${process.pid}.keys`);
  await rm(out, { recursive: true, force: true });
  try {
    await run(shafafBin, ['demo', '--out', out, '--tamper', '--seed', '1', '--scale', 'lorestan', '--geo', geo, '--keys', keys]);
    const { root_sha256: pinned } = await appConfig();
    const root = createHash('sha256').update(await readFile(join(out, 'root.json'))).digest('hex');
    if (root !== pinned) {
      t.skip('the served demo was not made with seed 1');
      return;
    }
    await body(out);
  } finally {
    await rm(out, { recursive: true, force: true });
    await rm(keys, { recursive: true, force: true });
  }
}
