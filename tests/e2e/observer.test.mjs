// An observer opens the verification panel: the trust root and its keys, the
// thresholds, every file with its hash, the station signatures, the recount
// of every council, and what "verified" does and does not prove. On tampered
// copies the panel says what failed and where, and shows no result; on a demo
// with impossible figures it lists the mismatches and links them to councils.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  appConfig,
  baseUrl,
  cliReport,
  launch,
  newPage,
  publicationDir,
  reportContests,
  settledStatus,
  shafafBin,
  tamperCases,
  tamperedDir,
  tamperedPageUrl,
  withFindingsDemo,
} from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Shows every row of a paginated table. */
async function showAllRows(page, testid) {
  const size = page.locator(`[data-testid=${testid}-page-size]`);
  if ((await size.count()) > 0) {
    await size.selectOption('0');
  }
}

/** No result of the election anywhere on the page. */
async function assertNoResults(page) {
  for (const selector of [
    '[data-testid=summary]',
    '[data-testid=contest]',
    '[data-testid=contest-table]',
    '[data-testid=province-table]',
    '[data-testid=recount-table]',
    '[data-testid=signature-table]',
    '[data-figure]',
  ]) {
    assert.equal(await page.locator(selector).count(), 0, `${selector} is shown although verification failed`);
  }
}

test('the panel lists the trust root keys, every file with its hash, every signature and every recount', async () => {
  const report = await cliReport();
  const root = JSON.parse(await readFile(join(publicationDir, 'root.json'), 'utf8'));
  const release = JSON.parse(await readFile(join(publicationDir, 'release.json'), 'utf8'));
  const page = await newPage(browser);
  await page.goto(new URL('verify', baseUrl).href);
  assert.equal(await settledStatus(page), 'verified');
  const panel = page.locator('[data-testid=verify-panel]');
  await panel.waitFor();

  // What it proves and what it does not, in words.
  assert.match(await page.locator('[data-testid=proves]').innerText(), /ثابت می‌کند[\s\S]*ثابت نمی‌کند/);

  // The trust root: its fingerprint is the pin, and its keys are root.json's.
  const { root_sha256: pin } = await appConfig();
  assert.equal(await page.locator('[data-testid=root-sha256]').innerText(), pin);
  assert.equal(await page.locator('[data-testid=root-pinned]').getAttribute('data-value'), 'true');
  const keyIds = await page
    .locator('[data-testid=keys-table] tr[data-key-id]')
    .evaluateAll((rows) => rows.map((tr) => tr.dataset.keyId));
  assert.deepEqual([...new Set(keyIds)].sort(), root.keys.map((k) => k.id).sort());
  for (const role of ['root', 'publisher']) {
    assert.equal(await page.locator(`[data-testid=thresholds] li[data-role=${role}]`).getAttribute('data-met'), 'true');
  }

  // The release, and every file it lists with its hash, verified.
  assert.equal(Number(await page.locator('[data-testid=release-version]').getAttribute('data-value')), release.version);
  const files = await page
    .locator('[data-testid=files-table] tbody tr')
    .evaluateAll((rows) => rows.map((tr) => [tr.dataset.path, tr.dataset.sha256, tr.dataset.verified]));
  assert.deepEqual(
    files.sort(),
    release.files.map((f) => [f.path, f.sha256, 'true']).sort(),
  );

  // Station signatures: the counts, and one row per registered station.
  const counts = page.locator('[data-testid=signature-counts]');
  assert.equal(Number(await counts.getAttribute('data-verified')), report.audit.station_signatures_verified);
  assert.equal(Number(await counts.getAttribute('data-registered')), report.audit.stations_registered);
  const signatures = page.locator('[data-testid=signature-table]').first();
  assert.equal(Number(await signatures.getAttribute('data-rows')), report.audit.stations_registered);

  // The recount: one row per council, all matching on the demo.
  const contests = reportContests(report);
  await showAllRows(page, 'recount-table');
  const recount = page.locator('[data-testid=recount-table] tbody tr');
  assert.equal(await recount.count(), contests.length);
  assert.equal(await page.locator('[data-testid=recount-table] td[data-matches=true]').count(), contests.length);
  assert.deepEqual(
    (await recount.evaluateAll((rows) => rows.map((tr) => tr.dataset.code))).sort(),
    contests.map((c) => c.id).sort(),
  );
  assert.equal(await page.locator('[data-testid=no-findings]').count(), 1);
  assert.deepEqual(page.errors, []);
});

// The file each tampered copy must be blamed on.
const blamed = {
  'flip-byte': /^files\//,
  'drop-signature': /^release\.json\.sigs$/,
  'edit-release': /^release\.json(\.sigs)?$/,
  'swap-key': /^root\.json$/,
  'replay-station': /^files\/results-/,
  'edit-total': /^files\/contests-/,
  'ghost-station': /^files\/stations-/,
};

// The finding each tampered copy must be blamed on, where one cause is expected.
const cause = {
  // The release and its log were re-signed with the real keys: only the station check can tell.
  'replay-station': 'duplicate_result',
  // A station registered after the setup, under a device key nobody committed.
  'ghost-station': 'not_committed',
};

for (const name of tamperCases) {
  test(`on the tampered copy "${name}" the panel says what failed and where, and shows no result`, async () => {
    const page = await newPage(browser);
    await page.goto(tamperedPageUrl(name, 'verify'));
    assert.equal(await settledStatus(page), 'failed');
    await page.locator('[data-testid=verify-panel]').waitFor();
    const findings = page.locator('[data-testid=findings]');
    const files = await findings.locator('li[data-file]').evaluateAll((items) => items.map((li) => li.dataset.file));
    assert.ok(files.length > 0, 'no finding is listed');
    if (blamed[name]) {
      assert.ok(files.some((file) => blamed[name].test(file)), `${name}: findings name ${files.join(', ')}`);
    }
    const codes = await findings.locator('li[data-code]').evaluateAll((items) => items.map((li) => li.dataset.code));
    if (cause[name]) {
      assert.deepEqual(codes, [cause[name]], `${name}: findings are ${codes.join(', ')}`);
    }
    // `shafaf verify` refuses the same folder for the same reasons.
    if (tamperedDir && existsSync(shafafBin)) {
      const report = await cliReport(join(tamperedDir, name));
      assert.equal(report.status, 'failed');
      const shown = await findings
        .locator('li[data-code]')
        .evaluateAll((items) => items.map((li) => `${li.dataset.code} ${li.dataset.file ?? ''}`));
      assert.deepEqual(report.findings.map((f) => `${f.code} ${f.file ?? ''}`).sort(), shown.sort());
    }
    const text = await findings.innerText();
    for (const file of files) {
      assert.ok(text.includes(file), `the findings do not show the file ${file}`);
    }
    // What was checked up to the failure is still shown, and what was not reached is said.
    assert.equal(await page.locator('[data-testid=not-checked]').count(), 1);
    const rootFailed = files.some((file) => file.startsWith('root.json'));
    assert.equal(await page.locator('[data-testid=trust-root]').count(), rootFailed ? 0 : 1);
    if (name === 'flip-byte') {
      const failed = await page
        .locator('[data-testid=files-table] tr[data-verified=false]')
        .evaluateAll((rows) => rows.map((tr) => tr.dataset.path));
      assert.ok(failed.length > 0 && failed.every((path) => files.includes(path)));
    }
    await assertNoResults(page);

    // Every other view of the tampered copy refuses too, and links keep the copy.
    await page.locator('a[href^="/?pub="]').first().click();
    await page.waitForURL(/\/\?pub=/);
    assert.equal(await settledStatus(page), 'failed');
    await assertNoResults(page);
    assert.deepEqual(page.errors, []);
  });
}

test('on a demo with impossible figures the mismatches come first and link to their councils', async (t) => {
  // `shafaf demo --tamper` signs impossible station totals and an edited
  // published total with the same keys as the served demo (same seed): the
  // files are authentic and only the figures disagree.
  const name = 'observer-test-with-findings';
  await withFindingsDemo(t, name, async (out) => {
    const report = await cliReport(out);
    assert.equal(report.status, 'verified_with_findings');
    const mismatched = reportContests(report).filter((c) => !c.matches_published);
    assert.ok(mismatched.length > 0, 'the tampered demo has no recount mismatch');

    const page = await newPage(browser);
    await page.goto(tamperedPageUrl(name, 'verify'));
    assert.equal(await settledStatus(page), 'verified_with_findings');
    const rows = page.locator('[data-testid=recount-table] tbody tr');
    await rows.first().waitFor();
    const order = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({ id: tr.dataset.code, matches: tr.querySelector('td[data-matches]').dataset.matches })),
    );
    const first = order.slice(0, mismatched.length);
    assert.ok(first.every((row) => row.matches === 'false'), 'the mismatches are not listed first');
    assert.deepEqual(first.map((row) => row.id).sort(), mismatched.map((c) => c.id).sort());

    // Findings name their councils and link to them.
    const linked = page.locator('[data-testid=findings] [data-testid=finding-contest-link]');
    assert.ok((await linked.count()) > 0, 'no finding links to its council');

    // The first mismatch opens its council page, on the same publication, with the finding beside it.
    const target = mismatched.find((c) => c.id === first[0].id);
    await rows.first().locator('th a').click();
    await page.waitForURL(new RegExp(`/c/${target.id}\\?pub=`));
    const council = page.locator(`[data-testid=contest][data-contest="${target.id}"]`);
    await council.waitFor();
    assert.ok((await council.locator(`[data-testid=findings] [data-contest="${target.id}"]`).count()) > 0);
    assert.deepEqual(page.errors, []);
  });
});

test('the publication page shows the pinned source and can switch to another and back', async () => {
  const page = await newPage(browser);
  await page.goto(new URL('source', baseUrl).href);
  assert.equal(await settledStatus(page), 'verified');
  const current = page.locator('[data-testid=source-current]');
  assert.equal(await current.getAttribute('data-kind'), 'default');
  const { root_sha256: pin } = await appConfig();
  assert.match(await current.innerText(), new RegExp(pin));
  // The app names itself by one hash: the SHA-256 of its served app-files.txt.
  const list = await (await fetch(new URL('app-files.txt', baseUrl))).arrayBuffer();
  const appHash = createHash('sha256').update(Buffer.from(list)).digest('hex');
  assert.equal(await page.locator('[data-testid=app-build]').getAttribute('data-hash'), appHash);

  // A saved source is remembered: a tampered copy, under the same pin, fails.
  await page.locator('#source-publication').fill('tampered/flip-byte/');
  await Promise.all([page.waitForURL(baseUrl), page.locator('[data-testid=source-form] button[type=submit]').click()]);
  assert.equal(await settledStatus(page), 'failed');
  await page.goto(new URL('source', baseUrl).href);
  assert.equal(await settledStatus(page), 'failed');
  assert.equal(await page.locator('[data-testid=source-current]').getAttribute('data-kind'), 'saved');

  // Reset to the default: verified again.
  await Promise.all([page.waitForURL(baseUrl), page.locator('[data-testid=source-reset]').click()]);
  assert.equal(await settledStatus(page), 'verified');
  assert.deepEqual(page.errors, []);
});
