// The whole country on a phone, in small: on a publication of several
// provinces the page draws the signed figures first, from the summary,
// fetching only what a view needs; it audits every province in its workers
// and then reaches the verdict `shafaf verify` gives, also when one
// province's files are altered or a server sends a file without end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { baseUrl, cliReport, launch, newPage, savingData, settledStatus, signedStatus } from './browser.mjs';

const westDir = process.env.SHAFAF_WEST_DIR;
const westTamperedDir = process.env.SHAFAF_WEST_TAMPERED_DIR;
const shard = process.env.SHAFAF_SHARD_PROVINCE ?? 'IR-16';

/** The app at `path` on the several-province demo, or a copy of it. */
function west(path = '', publication = 'west/') {
  return new URL(`${path}?pub=${publication}`, baseUrl).href;
}

/** The publication files a page asked for (the paths under `files/`), in order. */
function publicationRequests(page) {
  const seen = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    const at = path.indexOf('/files/');
    if (at >= 0) seen.push(path.slice(at + 1));
  });
  return seen;
}

/**
 * Holds back the provinces' boundaries (after which the page makes its
 * audit's pool) until the returned function is called.
 */
async function holdBoundaries(page) {
  let arrive;
  const arrived = new Promise((resolve) => (arrive = resolve));
  await page.route(/\/files\/geo-provinces\.[0-9a-f]+\.geojson$/, async (route) => {
    await arrived;
    await route.continue();
  });
  return arrive;
}

/** The first council of the province the tampered copies alter, as the CLI reports it. */
async function shardCouncil() {
  const report = await cliReport(westDir);
  return report.election.provinces.find((p) => p.code === shard).contests[0];
}

/** The finding codes and files a page lists, as `code file`. */
async function shownFindings(page) {
  return page
    .locator('[data-testid=findings] li[data-code]')
    .evaluateAll((items) => items.map((li) => `${li.dataset.code} ${li.dataset.file ?? ''}`));
}

let browser;
before(async () => {
  assert.ok(westDir, 'SHAFAF_WEST_DIR is not set');
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('the landing page shows signed figures before any province file is requested, and its audit waits when the browser saves data', async () => {
  const page = await newPage(browser);
  await savingData(page);
  // The map's boundaries arrive only after the reader asked for the audit:
  // a click while the first view still settles starts it all the same.
  const asked = await holdBoundaries(page);
  const requested = publicationRequests(page);
  await page.goto(west());
  assert.equal(await signedStatus(page), 'verified');
  const status = page.locator('[data-testid=status]');
  assert.equal(await status.getAttribute('data-audit'), 'signed');

  // The country's figures are the CLI's, drawn from the summary alone.
  const report = await cliReport(westDir);
  const shown = page.locator('[data-testid=summary] [data-figure=ballots_cast] dd');
  assert.equal(Number(await shown.getAttribute('data-value')), report.election.totals.ballots_cast);
  // The table follows the figures in a task of its own.
  await page.locator('[data-testid=province-table]').waitFor();
  assert.equal(await page.locator('[data-testid=province-table] tbody tr').count(), report.election.provinces.length);
  const provinceFiles = requested.filter((path) => /^files\/(contests|stations|results|geo-counties)-/.test(path));
  assert.deepEqual(provinceFiles, [], `the landing page asked for ${provinceFiles.join(', ')}`);
  assert.ok(requested.some((path) => path.startsWith('files/summary.')));

  // Asked, the audit verifies every station and reaches the CLI's verdict.
  await page.locator('[data-testid=audit-start]').click();
  asked();
  assert.equal(await settledStatus(page), report.status);
  // Every province says it was recounted.
  const levels = page.locator('[data-testid=province-table] tbody td[data-raw=recounted]');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=province-table] tbody td[data-raw=recounted]').length === n, report.election.provinces.length);
  assert.equal(await levels.count(), report.election.provinces.length);
  assert.deepEqual(page.errors, []);
});

test("a council's deep link fetches its own province's files only", async () => {
  const council = await shardCouncil();
  const page = await newPage(browser);
  await savingData(page);
  const requested = publicationRequests(page);
  await page.goto(west(`c/${encodeURIComponent(council.id)}`));
  await page.locator(`[data-testid=contest][data-contest="${council.id}"]`).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid=candidate-table]').waitFor();
  assert.equal(await signedStatus(page), 'verified');
  assert.equal(await page.locator('[data-testid=level]').first().getAttribute('data-level'), 'signed');
  // The elected are the authority's, as signed.
  const elected = await page
    .locator('[data-testid=elected] li')
    .evaluateAll((items) => items.map((li) => li.dataset.candidate));
  assert.deepEqual(
    elected,
    council.candidates.filter((c) => c.standing === 'elected').map((c) => c.id),
  );
  const perProvince = requested.filter((path) => /^files\/[a-z-]+-IR-\d\d\./.test(path));
  assert.ok(perProvince.length > 0);
  for (const path of perProvince) {
    assert.ok(path.includes(`-${shard}.`), `the council's page asked for ${path}`);
    assert.ok(!/^files\/(stations|results)-/.test(path), `the council's page asked for ${path} before the audit`);
  }
  assert.deepEqual(page.errors, []);
});

test("a council whose province's councils cannot be downloaded says so, names the file, and shows them when the reader tries again", async () => {
  const council = await shardCouncil();
  const page = await newPage(browser);
  await savingData(page);
  const contests = new RegExp(`/files/contests-${shard}\\.[0-9a-f]+\\.json$`);
  await page.route(contests, (route) => route.abort());
  await page.goto(west(`c/${encodeURIComponent(council.id)}`));
  assert.equal(await signedStatus(page), 'verified');
  const unreachable = page.locator('[data-testid=province-unreachable]');
  await unreachable.waitFor({ timeout: 60_000 });
  assert.equal(await unreachable.getAttribute('role'), 'alert');
  assert.match(await unreachable.textContent(), new RegExp(`contests-${shard}\\.`));
  assert.equal(await page.locator('[data-testid=contest]').count(), 0);

  await page.unroute(contests);
  await page.locator('[data-testid=province-retry]').click();
  await page.locator(`[data-testid=contest][data-contest="${council.id}"]`).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid=candidate-table]').waitFor();
  assert.equal(await unreachable.count(), 0);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('on a phone a large audit waits for the reader, and the province the reader opens is audited alone', async () => {
  const report = await cliReport(westDir);
  const council = await shardCouncil();
  // A touch screen without a mouse; `phone_audit` makes this small
  // publication count as larger than a phone audits by itself.
  const page = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const requested = publicationRequests(page);
  await page.goto(`${west(`c/${encodeURIComponent(council.id)}`)}&phone_audit=1000`);
  assert.equal(await signedStatus(page), 'verified');
  // The council's province is recounted; the country waits.
  await page.locator('[data-testid=level][data-level=recounted]').first().waitFor({ timeout: 120_000 });
  const status = page.locator('[data-testid=status]');
  assert.equal(await status.getAttribute('data-audit'), 'signed');
  const results = requested.filter((path) => path.startsWith('files/results-'));
  assert.ok(results.length > 0 && results.every((path) => path.startsWith(`files/results-${shard}.`)), results.join(', '));

  // Asked, it audits the rest and reaches the CLI's verdict.
  await page.locator('[data-testid=audit-start]').click();
  assert.equal(await settledStatus(page), report.status);
  const progress = page.locator('[data-testid=audit-progress]');
  assert.equal(await progress.getAttribute('data-provinces-done'), String(report.election.provinces.length));
  assert.deepEqual(page.errors, []);
});

test('on a phone, a province opened from the landing page before its audit could start is audited alone', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  // The map's boundaries come late: the audit's pool is made after them,
  // and the reader opens a province before that.
  const arrive = await holdBoundaries(page);
  const requested = publicationRequests(page);
  await page.goto(`${west()}&phone_audit=1000`);
  assert.equal(await signedStatus(page), 'verified');
  await page.locator(`[data-testid=province-table] tr[data-code="${shard}"] th a`).click();
  await page.waitForURL((url) => url.pathname.endsWith(`/p/${shard}`));
  arrive();
  await page.locator('[data-testid=level][data-level=recounted]').first().waitFor({ timeout: 120_000 });
  assert.equal(await page.locator('[data-testid=status]').getAttribute('data-audit'), 'signed');
  const results = requested.filter((path) => path.startsWith('files/results-'));
  assert.ok(results.length > 0 && results.every((path) => path.startsWith(`files/results-${shard}.`)), results.join(', '));
  assert.deepEqual(page.errors, []);
});

test('on a desktop the audit starts by itself, province by province, and completes with the CLI\'s findings', async () => {
  const page = await newPage(browser);
  await page.goto(west('verify'));
  const report = await cliReport(westDir);
  assert.equal(await settledStatus(page), report.status);
  const signatures = page.locator('[data-testid=signature-counts]');
  assert.equal(Number(await signatures.getAttribute('data-verified')), report.audit.station_signatures_verified);
  const progress = page.locator('[data-testid=audit-progress]');
  assert.equal(await progress.getAttribute('data-provinces-done'), String(report.election.provinces.length));
  assert.deepEqual(page.errors, []);
});

test("the audit waits while the code that reads the workers' reports cannot be downloaded, then completes", async () => {
  const page = await newPage(browser, { serviceWorkers: 'block' });
  const chunk = /\/split_read_report-[0-9a-f]+\.wasm$/;
  let refusedOnce;
  const refused = new Promise((resolve) => (refusedOnce = resolve));
  await page.route(chunk, async (route) => {
    await route.abort('connectionfailed');
    refusedOnce();
  });
  await page.goto(west('verify'));
  await signedStatus(page);
  await refused;
  // Refused, the audit holds its reports back and stays at "signed": nothing is lost, nothing crashes.
  assert.equal(await page.locator('[data-testid=status]').getAttribute('data-audit'), 'signed');
  assert.deepEqual(page.errors, []);

  await page.unroute(chunk);
  const report = await cliReport(westDir);
  assert.equal(await settledStatus(page), report.status);
  const signatures = page.locator('[data-testid=signature-counts]');
  assert.equal(Number(await signatures.getAttribute('data-verified')), report.audit.station_signatures_verified);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a worker's report the page cannot read leaves its province without a verdict instead of hanging", async () => {
  const page = await newPage(browser, { serviceWorkers: 'block' });
  // The first message of stations of the audit's first job is damaged on its
  // way to the page (a page and a worker of different builds would do the same).
  await page.route(/\/shafaf-worker_loader\.js/, async (route) => {
    const response = await route.fetch();
    const damage = `(() => {
      const post = self.postMessage.bind(self);
      let damaged = false;
      self.postMessage = (message, transfer) => {
        const firstJob = message instanceof Uint8Array && [0, 1, 0, 0, 0].every((b, i) => message[i] === b);
        if (firstJob && !damaged) {
          damaged = true;
          message = new Uint8Array([0, 1, 0, 0, 0, 255, 255]);
          transfer = [message.buffer];
        }
        return post(message, transfer);
      };
    })();
`;
    await route.fulfill({ response, body: damage + (await response.text()) });
  });
  await page.goto(west('verify'));
  await signedStatus(page);
  const progress = page.locator('[data-testid=audit-progress]');
  const total = Number(await progress.getAttribute('data-provinces'));
  // Every other province is recounted; that one is unavailable, and the verdict waits for it.
  await page.waitForFunction(
    (n) => {
      const p = document.querySelector('[data-testid=audit-progress]');
      return p?.dataset.unavailable === '1' && p?.dataset.provincesDone === String(n);
    },
    total - 1,
    { timeout: 120_000 },
  );
  assert.equal(await page.locator('[data-testid=status]').getAttribute('data-audit'), 'signed');
  assert.match(await progress.textContent(), /could not be downloaded or read|دریافت یا خوانده نشد/);
  // The province is named, and why.
  const unavailable = page.locator('[data-testid=audit-unavailable] li');
  assert.equal(await unavailable.count(), 1);
  assert.match(await unavailable.textContent(), /could not be read/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("an audit whose worker cannot download its code names every province unavailable instead of waiting", async () => {
  const page = await newPage(browser, { serviceWorkers: 'block' });
  let asked = 0;
  await page.route(/\/shafaf-worker_bg\.wasm/, (route) => {
    asked += 1;
    return route.abort();
  });
  await page.goto(west('verify'));
  await signedStatus(page);
  const progress = page.locator('[data-testid=audit-progress]');
  const total = Number(await progress.getAttribute('data-provinces'));
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid=audit-progress]')?.dataset.unavailable === String(n),
    total,
    { timeout: 60_000 },
  );
  // The figures stay signed, the verdict waits, and the page says why.
  assert.equal(await page.locator('[data-testid=status]').getAttribute('data-audit'), 'signed');
  assert.equal(await page.locator('[data-testid=status]').getAttribute('data-status'), 'verified');
  assert.match(await progress.textContent(), /could not be downloaded or read|دریافت یا خوانده نشد/);
  // Each province is named, with the worker's file and why.
  const items = page.locator('[data-testid=audit-unavailable] li');
  assert.equal(await items.count(), total);
  for (const item of await items.all()) {
    assert.match(await item.getAttribute('data-file'), /shafaf-worker_loader\.js/);
    assert.match(await item.textContent(), /the audit's worker stopped/);
  }
  // A few workers tried (each stopped one is replaced, a bounded number of times), not one per province.
  assert.ok(asked >= 2 && asked <= 6, `the worker's code was asked for ${asked} times`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a worker whose code failed to download once is replaced, and the audit completes as the CLI's", async () => {
  const page = await newPage(browser, { serviceWorkers: 'block' });
  let failed = false;
  await page.route(/\/shafaf-worker_bg\.wasm/, (route) => {
    if (failed) return route.continue();
    failed = true;
    return route.abort();
  });
  await page.goto(west('verify'));
  const report = await cliReport(westDir);
  assert.equal(await settledStatus(page), report.status);
  assert.ok(failed);
  assert.equal(await page.locator('[data-testid=status]').getAttribute('data-audit'), 'complete');
  assert.equal(await page.locator('[data-testid=audit-progress]').getAttribute('data-unavailable'), '0');
  assert.deepEqual(page.errors, []);
  await page.close();
});

for (const [name, code] of [
  ['flip-results', 'hash_mismatch'],
  ['endless', 'too_large'],
]) {
  test(`one province's altered results ("${name}") withdraw that province's figures only, and fail the verdict as the CLI does`, async () => {
    const page = await newPage(browser);
    await page.goto(west('', `west-tampered/${name}/`));
    assert.equal(await settledStatus(page), 'failed');
    const shown = await shownFindings(page);
    assert.ok(
      shown.some((f) => f.startsWith(`${code} files/results-${shard}.`)),
      `findings: ${shown.join('; ')}`,
    );
    // The province is withdrawn; the others keep their recounted figures.
    const rows = page.locator('[data-testid=province-table] tbody tr');
    const codes = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.code));
    assert.ok(!codes.includes(shard), `the withdrawn ${shard} still has a row`);
    assert.ok(codes.length > 0, `no other province is shown; findings: ${shown.join('; ')}`);
    assert.equal(await page.locator('[data-testid=withdrawn]').count(), 1);

    // `shafaf verify` says the same of the same folder.
    const report = await cliReport(join(westTamperedDir, name));
    assert.equal(report.status, 'failed');
    assert.deepEqual(report.findings.map((f) => `${f.code} ${f.file ?? ''}`).sort(), shown.sort());

    // The province's own page says why, and shows none of its figures.
    await page.goto(west(`p/${shard}`, `west-tampered/${name}/`));
    await page.locator('[data-testid=withdrawn]').waitFor({ timeout: 120_000 });
    assert.equal(await page.locator('[data-testid=summary]').count(), 0);
    assert.deepEqual(page.errors, []);
  });
}
