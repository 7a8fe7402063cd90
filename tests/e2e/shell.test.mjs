// The app shell as a citizen meets it: the demo verifies in the browser and
// shows the same figures the CLI computes; tampered copies are refused with
// findings and no figures; the language switch works and is remembered.
// (The users' paths through the views are in citizen, journalist and observer.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import {
  baseUrl,
  launch,
  newPage,
  publicationDir,
  settledStatus,
  tamperCases,
  tamperedDir,
  tamperedUrl,
} from './browser.mjs';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const shafafBin = process.env.SHAFAF_BIN ?? `${repo}target/release/shafaf`;

// Verifying thousands of signatures in the browser takes a few seconds; give it room.
const SETTLE_MS = 120_000;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});


async function config() {
  const response = await fetch(new URL('config.json', baseUrl));
  assert.equal(response.status, 200);
  return response.json();
}

/** What `shafaf verify --json` computes for the served demo. */
async function cliReport() {
  assert.ok(publicationDir, 'SHAFAF_PUBLICATION_DIR is not set');
  assert.ok(existsSync(shafafBin), `the shafaf CLI is not at ${shafafBin} (set SHAFAF_BIN)`);
  const { root_sha256: rootSha256 } = await config();
  const { stdout } = await run(shafafBin, ['verify', publicationDir, '--root-sha256', rootSha256, '--json'], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

/** Sums one of the `totals` figures of `shafaf verify --json` over provinces or contests. */
function sum(items, key) {
  return items.reduce((total, item) => total + item.totals[key], 0);
}

/** The raw values of the headline figures, by name. */
async function figures(page) {
  return page.locator('[data-testid=summary] [data-figure] dd[data-value]').evaluateAll((cells) =>
    Object.fromEntries(cells.map((dd) => [dd.parentElement.dataset.figure, Number(dd.dataset.value)])),
  );
}

const PERSIAN_DIGIT = /[۰-۹]/;
const LATIN_DIGIT = /[0-9]/;

test('the demo verifies in the browser and shows the figures the CLI computes', async () => {
  const report = await cliReport();
  assert.equal(report.status, 'verified');
  const provinces = report.election.provinces;
  const contests = provinces.flatMap((p) => p.contests);

  const page = await newPage(browser);
  const fetched = [];
  page.on('request', (request) => fetched.push(request.url()));
  await page.goto(baseUrl);
  assert.equal(await settledStatus(page), 'verified');
  // The open page asks for the pointer to the latest release every few
  // seconds (live updates); everything else is fetched once.
  const isPublicationFile = (url) => url.includes('/demo/') && !/\/latest\.json(\.sigs)?$/.test(url);
  const publicationFiles = fetched.filter(isPublicationFile);
  assert.deepEqual(publicationFiles, [...new Set(publicationFiles)], 'a publication file was downloaded twice');
  await page.locator('[data-testid=demo-banner]').waitFor();
  assert.match(await page.locator('[data-testid=demo-banner]').innerText(), /نمایشی/);

  const shown = await figures(page);
  assert.equal(shown.eligible, sum(provinces, 'eligible'));
  assert.equal(shown.ballots_cast, sum(provinces, 'ballots_cast'));
  assert.equal(shown.valid, sum(provinces, 'valid'));
  assert.equal(shown.invalid, sum(provinces, 'invalid'));
  assert.equal(shown.stations_registered, sum(provinces, 'stations_registered'));
  assert.equal(shown.stations_reported, sum(provinces, 'stations_reported'));
  assert.equal(shown.contests, contests.length);
  assert.equal(shown.contests_city, contests.filter((c) => c.kind === 'city').length);
  assert.equal(shown.contests_village, contests.filter((c) => c.kind === 'village').length);

  // The audit line agrees with the CLI's audit.
  const signatures = page.locator('[data-testid=signatures-verified]');
  assert.equal(Number(await signatures.getAttribute('data-value')), report.audit.station_signatures_verified);
  const recounted = page.locator('[data-testid=contests-recounted]');
  assert.equal(Number(await recounted.getAttribute('data-value')), report.audit.contests_recounted);
  assert.equal(Number(await recounted.getAttribute('data-matching')), report.audit.contests_matching);

  // Each province row matches, and the county rows add up to the whole.
  for (const province of provinces) {
    const row = page.locator(`[data-testid=province-table] tr[data-code="${province.code}"]`);
    const values = await row.locator('td[data-value]').evaluateAll((cells) => cells.map((c) => Number(c.dataset.value)));
    assert.deepEqual(values.slice(3, 7), [
      province.totals.stations_registered,
      province.totals.stations_reported,
      province.totals.eligible,
      province.totals.ballots_cast,
    ]);
  }

  // Persian digits by default, and the tables are real tables.
  const eligibleText = await page.locator('[data-figure=eligible] dd').innerText();
  assert.match(eligibleText, PERSIAN_DIGIT);
  assert.doesNotMatch(eligibleText, LATIN_DIGIT);
  assert.equal(await page.locator('table caption').count(), 1);
  assert.ok((await page.locator('th[scope=col]').count()) > 0);
  assert.ok((await page.locator('th[scope=row]').count()) >= provinces.length);
  assert.ok((await page.locator('[data-testid=attribution] li').count()) > 0);

  // Each province's page: its county rows add up to the province.
  for (const province of provinces) {
    await page.locator(`[data-testid=province-table] tr[data-code="${province.code}"] a`).click();
    await page.locator(`[data-testid=summary][data-province="${province.code}"]`).waitFor();
    const countyEligible = await page
      .locator('[data-testid=county-table] tbody tr')
      .evaluateAll((rows) => rows.reduce((t, r) => t + Number(r.querySelectorAll('td[data-value]')[5].dataset.value), 0));
    assert.equal(countyEligible, province.totals.eligible);
    await page.goBack();
    await page.locator('[data-testid=province-table]').waitFor();
  }
  const publicationFilesAfter = fetched.filter(isPublicationFile);
  assert.deepEqual(publicationFilesAfter, publicationFiles, 'navigating fetched the publication again');
  assert.deepEqual(page.errors, []);
});

// The file each tampered copy must be blamed on, as far as it is known.
const blamed = {
  'flip-byte': /^files\//,
  'drop-signature': /^release\.json\.sigs$/,
  'edit-release': /^release\.json(\.sigs)?$/,
};

for (const name of tamperCases) {
  test(`the tampered copy "${name}" is refused with findings and no figures`, async () => {
    const page = await newPage(browser);
    await page.goto(tamperedUrl(name));
    assert.equal(await settledStatus(page), 'failed');
    const findings = page.locator('[data-testid=findings]');
    await findings.waitFor();
    const files = await findings.locator('li[data-file]').evaluateAll((items) => items.map((li) => li.dataset.file));
    assert.ok(files.length > 0, 'no finding is listed');
    const text = await findings.innerText();
    for (const file of files) {
      assert.ok(file.length > 0, 'a finding names no file');
      assert.ok(text.includes(file), `the findings do not show the file ${file}`);
    }
    if (blamed[name]) {
      assert.ok(files.some((file) => blamed[name].test(file)), `${name}: findings name ${files.join(', ')}`);
    }
    assert.equal(await page.locator('[data-testid=summary]').count(), 0);
    assert.equal(await page.locator('[data-value], [data-percent], table').count(), 0);
    assert.deepEqual(page.errors, []);
  });
}

test('a publication that cannot be fetched fails, naming the URL', async () => {
  const page = await newPage(browser);
  await page.goto(new URL('?pub=no-such-publication/', baseUrl).href);
  assert.equal(await settledStatus(page), 'failed');
  const text = await page.locator('[data-testid=findings]').innerText();
  assert.match(text, /no-such-publication\/root\.json/);
  assert.equal(await page.locator('[data-testid=summary]').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('the language switches to English and back, and is remembered', async () => {
  const page = await newPage(browser);
  const html = page.locator('html');
  const toggle = page.locator('[data-testid=lang-toggle]');
  const eligible = page.locator('[data-figure=eligible] dd');
  await page.goto(baseUrl);
  assert.equal(await settledStatus(page), 'verified');
  assert.equal(await html.getAttribute('lang'), 'fa');
  assert.equal(await html.getAttribute('dir'), 'rtl');

  assert.equal(await toggle.evaluate((b) => b.tagName), 'BUTTON');
  const description = page.locator('meta[name=description]');
  assert.match(await description.getAttribute('content'), /[\u0600-\u06FF]/);
  assert.match(await page.title(), /— شفاف$/);
  await toggle.click();
  assert.equal(await html.getAttribute('lang'), 'en');
  assert.equal(await html.getAttribute('dir'), 'ltr');
  assert.match(await eligible.innerText(), /^[0-9,]+$/);
  // Search engines and link previews get the page's language too.
  assert.match(await page.title(), /— Shafaf$/);
  assert.match(await description.getAttribute('content'), /^City and village council election results/);
  assert.match(await page.locator('[data-testid=status]').innerText(), /Verified/);
  assert.match(await page.locator('[data-testid=demo-banner]').innerText(), /DEMO/);

  await page.reload();
  assert.equal(await settledStatus(page), 'verified');
  assert.equal(await html.getAttribute('lang'), 'en');
  assert.equal(await html.getAttribute('dir'), 'ltr');
  assert.match(await eligible.innerText(), /^[0-9,]+$/);

  await toggle.click();
  assert.equal(await html.getAttribute('lang'), 'fa');
  assert.equal(await html.getAttribute('dir'), 'rtl');
  assert.match(await eligible.innerText(), PERSIAN_DIGIT);
  assert.doesNotMatch(await eligible.innerText(), LATIN_DIGIT);

  await page.reload();
  assert.equal(await settledStatus(page), 'verified');
  assert.equal(await html.getAttribute('lang'), 'fa');
  assert.deepEqual(page.errors, []);
});

test('a demo with impossible figures is verified with findings, labelled with their contests', async (t) => {
  // `shafaf demo --tamper` signs impossible station totals and an edited
  // published total with the same keys as the served demo (same seed), so the
  // files are authentic and only the figures disagree. It is made here, in a
  // folder the server serves as tampered/<name>/, and removed afterwards.
  const geo = process.env.SHAFAF_GEO;
  if (!tamperedDir || !geo || !existsSync(shafafBin)) {
    t.skip('needs SHAFAF_TAMPERED_DIR, SHAFAF_GEO and the shafaf CLI');
    return;
  }
  const name = 'shell-test-with-findings';
  const out = join(tamperedDir, name);
  // The demo's secret keys go outside anything served.
  const keys = join(tmpdir(), `${name}-${process.pid}.keys`);
  await rm(out, { recursive: true, force: true });
  try {
    await run(shafafBin, ['demo', '--out', out, '--tamper', '--seed', '1', '--scale', 'lorestan', '--geo', geo, '--keys', keys]);
    const { root_sha256: pinned } = await config();
    const root = createHash('sha256').update(await readFile(join(out, 'root.json'))).digest('hex');
    if (root !== pinned) {
      t.skip('the served demo was not made with seed 1');
      return;
    }
    const page = await newPage(browser);
    await page.goto(tamperedUrl(name));
    assert.equal(await settledStatus(page), 'verified_with_findings');
    const findings = page.locator('[data-testid=findings] li');
    assert.ok((await findings.count()) > 0);
    assert.ok((await page.locator('[data-testid=findings] [data-contest]').count()) > 0, 'no finding names its contest');
    await page.locator('[data-testid=summary]').waitFor();
    assert.deepEqual(page.errors, []);
  } finally {
    await rm(out, { recursive: true, force: true });
    await rm(keys, { recursive: true, force: true });
  }
});

test('robots.txt lets search engines read the app', async () => {
  const reply = await fetch(new URL('/robots.txt', baseUrl));
  assert.equal(reply.status, 200);
  assert.match(await reply.text(), /^User-agent: \*\nAllow: \/\n/);
});
