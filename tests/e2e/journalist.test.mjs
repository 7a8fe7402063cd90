// A journalist drills down from the country to a council, goes back and
// forward, sorts and filters a table of councils, and downloads exactly what
// the table shows as CSV; every number equals `shafaf verify --json`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

import { baseUrl, cliReport, launch, newPage, parseCsv, reportContests, settledStatus } from './browser.mjs';

let browser;
let report;
let province;
let county;
let contests;
before(async () => {
  browser = await launch();
  report = await cliReport();
  province = report.election.provinces.find((p) => p.code === 'IR-15') ?? report.election.provinces[0];
  // The county with the most councils: the longest table to sort.
  const count = new Map();
  for (const c of province.contests) count.set(c.county, (count.get(c.county) ?? 0) + 1);
  county = [...count.keys()].sort((a, b) => count.get(b) - count.get(a))[0];
  contests = new Map(reportContests(report).map((c) => [c.id, c]));
});
after(async () => {
  await browser?.close();
});

const path = (page) => {
  const url = new URL(page.url());
  return url.pathname + url.search;
};

/** The turnout of a CLI contest as an exact fraction. */
const turnout = (c) => [c.totals.ballots_cast, c.totals.eligible];
const compare = ([a, b], [c, d]) => Math.sign(a * d - c * b);

/** The rows of the council table: id, and the raw value of every cell. */
async function councilRows(page) {
  return page.locator('[data-testid=contest-table] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.children].map((cell) => ({ ...cell.dataset }));
      return { id: tr.dataset.code, cells };
    }),
  );
}

/** The column's index in the council table, by its key. */
async function columnIndex(page, key) {
  const keys = await page
    .locator('[data-testid=contest-table] thead th')
    .evaluateAll((ths) => ths.map((th) => th.dataset.column));
  const index = keys.indexOf(key);
  assert.ok(index >= 0, `no column ${key}`);
  return index;
}

test("a view's code comes when it is first opened, and a bar says so meanwhile", async () => {
  // Without the service worker, which would bring the chunk from its own copy.
  const page = await newPage(browser, { serviceWorkers: 'block' });
  // The places' code (a province, a county, a council, search), held back as a slow network would.
  let release;
  let askedFor;
  const held = new Promise((resolve) => (release = resolve));
  const asked = new Promise((resolve) => (askedFor = resolve));
  await page.route(/\/split_places-[0-9a-f]+\.wasm$/, async (route) => {
    askedFor();
    await held;
    await route.continue();
  });
  await page.goto(baseUrl);
  assert.equal(await settledStatus(page), 'verified');
  const bar = page.locator('[data-testid=routing]');
  assert.equal(await bar.isVisible(), false);
  await page.locator(`[data-testid=province-table] tr[data-code="${province.code}"] a`).click();
  await bar.waitFor();
  assert.equal(await page.locator('main').getAttribute('aria-busy'), 'true');
  assert.match((await bar.locator('progress').getAttribute('aria-label')) ?? '', /\S/);
  // The bar is up because the chunk is held, not by chance.
  await asked;
  release();
  await page.locator('[data-testid=county-table]').waitFor();
  await bar.waitFor({ state: 'hidden' });
  assert.equal(await page.locator('main').getAttribute('aria-busy'), null);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a view whose code does not arrive says so in its place, and trying again opens it", async () => {
  const page = await newPage(browser, { serviceWorkers: 'block' });
  // The places' code is lost on the way, as on a dropped connection: in the
  // one download a deep link's view comes in (its pack), and alone.
  let refused = 0;
  await page.route(/\/(pack|split)_places-[0-9a-f]+\.wasm$/, async (route) => {
    refused += 1;
    await route.abort('connectionfailed');
  });
  await page.goto(new URL(`p/${province.code}`, baseUrl).href);
  // The rest of the app stands: the verdict, the header, and the view's place says what happened.
  assert.equal(await settledStatus(page), 'verified');
  const unavailable = page.locator('[data-testid=view-unavailable]');
  await unavailable.waitFor();
  assert.ok(refused > 0, 'the chunk was never asked for');
  assert.equal(await unavailable.getAttribute('role'), 'alert');
  assert.match(await unavailable.locator('h1').innerText(), /\S/);
  assert.equal(await page.locator('[data-testid=county-table]').count(), 0);
  assert.deepEqual(page.errors, [], 'a missing chunk must not crash the app');

  // The connection is back: trying again opens the view.
  await page.unroute(/\/(pack|split)_places-[0-9a-f]+\.wasm$/);
  await page.locator('[data-testid=view-retry]').click();
  await page.locator('[data-testid=county-table]').waitFor();
  assert.equal(path(page), `/p/${province.code}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a journalist drills down country → province → county → council, and back and forward work', async () => {
  const page = await newPage(browser);
  const fetched = [];
  // The browser asks for the tab's icon again as the address changes: not ours to count.
  page.on('request', (request) => {
    if (!request.url().endsWith('/favicon.svg')) fetched.push(request.url());
  });
  await page.goto(baseUrl);
  assert.equal(await settledStatus(page), 'verified');
  const loaded = fetched.length;

  await page.locator(`[data-testid=province-table] tr[data-code="${province.code}"] a`).click();
  await page.waitForURL(`**/p/${province.code}`);
  await page.locator('[data-testid=county-table]').waitFor();
  assert.equal(path(page), `/p/${province.code}`);

  await page.locator(`[data-testid=county-table] tr[data-code="${county}"] a`).click();
  await page.waitForURL(`**/p/${province.code}/${county}`);
  await page.locator('[data-testid=contest-table]').waitFor();
  const ids = (await councilRows(page)).map((r) => r.id).sort();
  assert.deepEqual(ids, province.contests.filter((c) => c.county === county).map((c) => c.id).sort());

  const council = province.contests.find((c) => c.county === county);
  await page.locator(`[data-testid=contest-table] tr[data-code="${council.id}"] a`).click();
  await page.waitForURL(`**/c/${council.id}`);
  await page.locator(`[data-testid=contest][data-contest="${council.id}"]`).waitFor();
  // The breadcrumbs lead back up: country › province › county › council.
  assert.equal(await page.locator('[data-testid=breadcrumbs] li').count(), 4);

  await page.goBack();
  await page.waitForURL(`**/p/${province.code}/${county}`);
  await page.locator('[data-testid=contest-table]').waitFor();
  await page.goBack();
  await page.waitForURL(`**/p/${province.code}`);
  await page.locator('[data-testid=county-table]').waitFor();
  await page.goForward();
  await page.waitForURL(`**/p/${province.code}/${county}`);
  await page.locator('[data-testid=contest-table]').waitFor();
  await page.goBack();
  await page.goBack();
  await page.waitForURL(baseUrl);
  await page.locator('[data-testid=province-table]').waitFor();

  // Navigating never fetched or verified anything again: the one thing it
  // fetched is the code of the views it opened (their chunks), each once.
  const isChunk = (url) => /\/(chunk|split)_[\w-]+-[0-9a-f]{16}\.wasm$/.test(url);
  const afterwards = fetched.slice(loaded);
  assert.deepEqual(afterwards.filter((url) => !isChunk(url)), []);
  assert.ok(afterwards.length > 0, "opening the province's view fetched its code");
  assert.equal(new Set(afterwards).size, afterwards.length, 'a chunk was fetched twice');
  assert.deepEqual(page.errors, []);
});

test('the council table sorts by turnout both ways, by invalid ballots and by the closest last seat', async () => {
  const page = await newPage(browser);
  await page.goto(new URL(`p/${province.code}/${county}`, baseUrl).href);
  assert.equal(await settledStatus(page), 'verified');
  const table = page.locator('[data-testid=contest-table]');
  await table.waitFor();
  const turnoutColumn = await columnIndex(page, 'turnout');
  const header = page.locator('[data-testid=contest-table] th[data-column=turnout]');

  for (const direction of ['descending', 'ascending']) {
    await header.locator('button').click();
    assert.equal(await header.getAttribute('aria-sort'), direction);
    const rows = await councilRows(page);
    // Each row's turnout is the CLI's, and the order is the CLI's order.
    const values = rows.map((row) => {
      const cell = row.cells[turnoutColumn];
      assert.deepEqual([Number(cell.num), Number(cell.den)], turnout(contests.get(row.id)), row.id);
      return turnout(contests.get(row.id));
    });
    const sign = direction === 'descending' ? 1 : -1;
    for (let i = 1; i < values.length; i++) {
      assert.ok(sign * compare(values[i - 1], values[i]) >= 0, `${direction} order broken at row ${i}`);
    }
  }

  // Most invalid ballots first.
  await page.locator('[data-testid=contest-table] th[data-column=invalid] button').click();
  const invalid = (await councilRows(page)).map((row) => contests.get(row.id).totals.invalid);
  assert.deepEqual(invalid, [...invalid].sort((a, b) => b - a));

  // The closest last seat: ascending from the largest-first default.
  const margin = page.locator('[data-testid=contest-table] th[data-column=last_seat_margin]');
  await margin.locator('button').click();
  await margin.locator('button').click();
  assert.equal(await margin.getAttribute('aria-sort'), 'ascending');
  const margins = (await councilRows(page)).map((row) => contests.get(row.id).last_seat_margin);
  const known = margins.filter((m) => m !== null);
  assert.deepEqual(known, [...known].sort((a, b) => a - b));
  assert.deepEqual(margins.slice(known.length), margins.filter((m) => m === null), 'councils without a margin go last');
  assert.deepEqual(page.errors, []);
});

test('filters narrow the table, and the CSV holds exactly the rows shown with the CLI figures', async () => {
  const page = await newPage(browser);
  await page.goto(new URL(`p/${province.code}/${county}`, baseUrl).href);
  assert.equal(await settledStatus(page), 'verified');
  await page.locator('[data-testid=contest-table]').waitFor();
  const all = province.contests.filter((c) => c.county === county);

  await page.locator('[data-testid=contest-table-kind]').selectOption('village');
  const villages = all.filter((c) => c.kind === 'village');
  assert.equal((await councilRows(page)).length, villages.length);

  // A text filter folds spellings like the search does.
  const named = villages[0];
  await page.locator('[data-testid=contest-table-filter]').fill(named.name.en.toLowerCase());
  const filtered = await councilRows(page);
  assert.ok(filtered.some((r) => r.id === named.id));
  assert.ok(filtered.length < villages.length || villages.length === 1);
  await page.locator('[data-testid=contest-table-filter]').fill('');

  await page.locator('[data-testid=contest-table] th[data-column=turnout] button').click();
  const shown = (await councilRows(page)).map((r) => r.id);
  assert.equal(shown.length, villages.length);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-testid=contest-table-csv]').click(),
  ]);
  assert.match(download.suggestedFilename(), /\.csv$/);
  const bytes = await readFile(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV does not begin with a UTF-8 BOM');
  const [header, ...rows] = parseCsv(bytes.toString('utf8').slice(1));
  for (const column of ['id', 'name_fa', 'name_en', 'kind', 'eligible', 'ballots_cast', 'invalid', 'turnout_percent']) {
    assert.ok(header.includes(column), `the CSV has no ${column} column`);
  }
  const at = (row, column) => row[header.indexOf(column)];
  assert.deepEqual(
    rows.map((row) => at(row, 'id')),
    shown,
    'the CSV rows are not the rows shown, in order',
  );
  for (const row of rows) {
    const c = contests.get(at(row, 'id'));
    assert.equal(at(row, 'name_fa'), c.name.fa);
    assert.equal(at(row, 'name_en'), c.name.en);
    assert.equal(at(row, 'kind'), 'village');
    assert.equal(Number(at(row, 'seats')), c.seats);
    assert.equal(Number(at(row, 'eligible')), c.totals.eligible);
    assert.equal(Number(at(row, 'ballots_cast')), c.totals.ballots_cast);
    assert.equal(Number(at(row, 'invalid')), c.totals.invalid);
    assert.equal(Number(at(row, 'stations_reported')), c.totals.stations_reported);
    assert.equal(at(row, 'last_seat_margin'), c.last_seat_margin === null ? '' : String(c.last_seat_margin));
    const percent = (100 * c.totals.ballots_cast) / c.totals.eligible;
    assert.ok(Math.abs(Number(at(row, 'turnout_percent')) - percent) <= 0.05, `turnout of ${c.id}`);
  }
  assert.deepEqual(page.errors, []);
});
