// A citizen looks up their village: types its name (as a phone keyboard
// might write it: Arabic yeh and kaf, no ZWNJ; or in English), opens it in
// two steps, and reads the same result `shafaf verify --json` computes, on a
// desktop, on a 360 px phone, and with the keyboard alone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { baseUrl, cliReport, launch, newPage, reportContests, settledStatus } from './browser.mjs';

let browser;
let report;
let village;
before(async () => {
  browser = await launch();
  report = await cliReport();
  // A village whose name a Persian keyboard spells differently: it has ی or ک
  // and a ZWNJ, with alternates (so a last-seat margin) and candidates.
  const villages = reportContests(report).filter((c) => c.kind === 'village' && c.last_seat_margin !== null);
  village =
    villages.find((c) => /[یک]/.test(c.name.fa) && c.name.fa.includes('\u200c')) ??
    villages.find((c) => /[یک]/.test(c.name.fa)) ??
    villages[0];
  assert.ok(village, 'the demo has no village council');
});
after(async () => {
  await browser?.close();
});

/** The name as an Arabic keyboard or a careless typist writes it. */
function arabicSpelling(name) {
  return name.replaceAll('ی', 'ي').replaceAll('ک', 'ك').replaceAll('\u200c', '');
}

/** Opens the council from the search results, or finds it already open when it was the only match. */
async function openHit(page, id) {
  await page.waitForURL(/\/(find|c\/)/);
  if (new URL(page.url()).pathname.startsWith('/find')) {
    const hit = page.locator(`[data-testid=hits] a[href*="/c/${id}"]`);
    await hit.waitFor();
    // Same-named places are told apart by where they are.
    assert.match(await hit.locator('xpath=..').innerText(), /\S/);
    await hit.click();
  }
  await page.waitForURL(new RegExp(`/c/${id}$`));
  await page.locator(`[data-testid=contest][data-contest="${id}"]`).waitFor();
}

async function figure(page, name, attribute = 'data-value') {
  return page.locator(`[data-figure=${name}] dd`).first().getAttribute(attribute);
}

/** Checks every figure of the council page against the CLI's report. */
async function checkCouncil(page, contest) {
  const t = contest.totals;
  assert.equal(Number(await figure(page, 'ballots_cast')), t.ballots_cast);
  assert.equal(Number(await figure(page, 'valid')), t.valid);
  assert.equal(Number(await figure(page, 'invalid')), t.invalid);
  assert.equal(Number(await figure(page, 'invalid_share', 'data-num')), t.invalid);
  assert.equal(Number(await figure(page, 'invalid_share', 'data-den')), t.ballots_cast);
  assert.equal(Number(await figure(page, 'votes_per_ballot', 'data-num')), t.votes);
  assert.equal(Number(await figure(page, 'votes_per_ballot', 'data-den')), t.valid);
  assert.equal(Number(await figure(page, 'turnout', 'data-num')), t.ballots_cast);
  assert.equal(Number(await figure(page, 'turnout', 'data-den')), t.eligible);
  assert.equal(Number(await figure(page, 'eligible')), t.eligible);
  assert.equal(Number(await figure(page, 'stations_reported')), t.stations_reported);
  assert.equal(Number(await figure(page, 'stations_registered')), t.stations_registered);
  const margin = page.locator('[data-testid=last-seat-margin]');
  assert.equal(Number(await margin.getAttribute('data-value')), contest.last_seat_margin);

  // Elected members and alternates, in rank order, with votes and shares.
  for (const [standing, testid] of [
    ['elected', 'elected'],
    ['alternate', 'alternates'],
  ]) {
    const expected = contest.candidates.filter((c) => c.standing === standing);
    const shown = await page.locator(`[data-testid=${testid}] li`).evaluateAll((items) =>
      items.map((li) => ({
        id: li.dataset.candidate,
        votes: Number(li.dataset.votes),
        num: Number(li.dataset.num),
        den: Number(li.dataset.den),
      })),
    );
    assert.deepEqual(
      shown,
      expected.map((c) => ({ id: c.id, votes: c.votes, num: c.share.num, den: c.share.den })),
    );
  }

  // Every candidate's line in the table, in rank order.
  const rows = await page.locator('[data-testid=candidate-table] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      id: tr.dataset.code,
      numbers: [...tr.querySelectorAll('td[data-value]')].map((td) => Number(td.dataset.value)),
      share: [...tr.querySelectorAll('td[data-num]')].map((td) => [Number(td.dataset.num), Number(td.dataset.den)]),
      standing: tr.querySelector('td[data-standing]').dataset.standing,
    })),
  );
  assert.deepEqual(
    rows,
    contest.candidates.map((c) => ({
      id: c.id,
      numbers: [c.rank, c.votes],
      share: [[c.share.num, c.share.den]],
      standing: c.standing,
    })),
  );

  // The stations it was counted from, each with its verified device signature.
  const stations = page.locator('[data-testid=station-table] tbody tr');
  assert.equal(await stations.count(), t.stations_registered);
  const cast = await stations.evaluateAll((trs) =>
    trs.reduce((sum, tr) => sum + Number(tr.querySelectorAll('td[data-value]')[1]?.dataset.value ?? 0), 0),
  );
  assert.equal(cast, t.ballots_cast);
  assert.equal(await page.locator('[data-testid=station-table] td[data-raw=verified]').count(), t.stations_reported);
  assert.equal(await page.locator('[data-testid=station-table] code[data-key-id]').count(), t.stations_registered);
}

/** The document is no wider than the window: nothing scrolls sideways. */
async function assertNoSidewaysScroll(page) {
  const [scrollWidth, innerWidth] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    window.innerWidth,
  ]);
  assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth} px wide in a ${innerWidth} px window`);
}

test('a citizen finds a village typed with Arabic letters and no ZWNJ, and reads the CLI figures', async () => {
  const page = await newPage(browser);
  await page.goto(baseUrl);
  assert.equal(await settledStatus(page), 'verified');
  const box = page.locator('[data-testid=home-search]');
  await box.fill(arabicSpelling(village.name.fa));
  await box.press('Enter');
  await openHit(page, village.id);
  await checkCouncil(page, village);
  assert.match(await page.locator('[data-testid=page-title]').innerText(), new RegExp(village.name.fa));
  // The same address opened afresh shows the same council (shareable).
  await page.reload();
  assert.equal(await settledStatus(page), 'verified');
  await checkCouncil(page, village);
  assert.deepEqual(page.errors, []);
});

test('a citizen finds the village by its English name, and the page turns English throughout', async () => {
  const page = await newPage(browser);
  await page.goto(baseUrl);
  assert.equal(await settledStatus(page), 'verified');
  const box = page.locator('[data-testid=header-search]');
  await box.fill(village.name.en.toUpperCase());
  await box.press('Enter');
  await openHit(page, village.id);
  await page.locator('[data-testid=lang-toggle]').click();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.match(await page.locator('[data-testid=page-title]').innerText(), new RegExp(village.name.en));
  // Every word and digit of the content is English now: no Persian letter or digit is left.
  const main = await page.locator('main').innerText();
  assert.doesNotMatch(main, /[\u0600-\u06FF]/, 'Persian text left on the English page');
  assert.match(await page.locator('[data-figure=ballots_cast] dd').innerText(), /^[0-9,]+$/);
  await checkCouncil(page, village);
  await page.locator('[data-testid=lang-toggle]').click();
  assert.equal(await page.locator('html').getAttribute('lang'), 'fa');
  assert.deepEqual(page.errors, []);
});

test('on a 360 px phone the same two steps work and nothing scrolls sideways', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error));
  await page.goto(baseUrl);
  assert.equal(await settledStatus(page), 'verified');
  await assertNoSidewaysScroll(page);
  const box = page.locator('[data-testid=home-search]');
  await box.fill(arabicSpelling(village.name.fa));
  await box.press('Enter');
  await openHit(page, village.id);
  await assertNoSidewaysScroll(page);
  await checkCouncil(page, village);
  // Tables scroll inside their own focusable region, not the page.
  const region = page.locator('[data-testid=candidate-table]').locator('xpath=ancestor::div[@role="region"]');
  assert.equal(await region.getAttribute('tabindex'), '0');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('every view fits a 360 px phone without sideways scrolling', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error));
  const views = [
    '',
    `p/${village.province}`,
    `p/${village.province}/${village.county}`,
    `c/${village.id}`,
    `find?q=${encodeURIComponent(village.name.en)}`,
    'verify',
    'source',
  ];
  for (const view of views) {
    await page.goto(new URL(view, baseUrl).href);
    assert.equal(await settledStatus(page), 'verified', view);
    await page.locator('main h1').first().waitFor();
    await assertNoSidewaysScroll(page);
  }
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the keyboard alone reaches the search, the hit and the council', async () => {
  const page = await newPage(browser);
  await page.goto(baseUrl);
  assert.equal(await settledStatus(page), 'verified');
  // Tab until the search box has focus: it must be reachable, and soon.
  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
  let tabs = 0;
  while (!['header-search', 'home-search'].includes(await focusedId())) {
    assert.ok(tabs++ < 30, 'the search box is not reachable with Tab');
    await page.keyboard.press('Tab');
  }
  await page.keyboard.type(arabicSpelling(village.name.fa));
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/(find|c\/)/);
  if (new URL(page.url()).pathname.startsWith('/find')) {
    await page.locator('[data-testid=hits]').waitFor();
    const target = `/c/${village.id}`;
    const focusedHref = () => page.evaluate(() => document.activeElement?.getAttribute('href') ?? '');
    tabs = 0;
    while (!(await focusedHref()).startsWith(target)) {
      assert.ok(tabs++ < 200, 'the hit is not reachable with Tab');
      await page.keyboard.press('Tab');
    }
    // Focus is visible.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none');
    await page.keyboard.press('Enter');
  }
  await page.waitForURL(new RegExp(`/c/${village.id}$`));
  await checkCouncil(page, village);
  // Sort buttons are buttons: Enter on one sorts the table.
  const votes = page.locator('[data-testid=candidate-table] th[data-column=votes]');
  await votes.locator('button').focus();
  await page.keyboard.press('Enter');
  assert.equal(await votes.getAttribute('aria-sort'), 'descending');
  assert.deepEqual(page.errors, []);
});
