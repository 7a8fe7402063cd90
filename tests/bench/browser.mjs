// What a reader gets, measured in headless Chromium: `cargo xtask bench`
// serves the app and a demo publication, runs this script and turns its
// `BENCH-BROWSER <json>` lines into its report. Not a test: it never fails
// on a slow page, it reports it.
//
// Environment (set by xtask):
//   SHAFAF_BASE_URL              the served app, e.g. http://127.0.0.1:40123/
//   SHAFAF_CHROMIUM              Debian's Chromium
//   SHAFAF_BENCH_RUNS            which runs, comma-separated: desktop, phone-landing,
//                                phone-landing-again, phone-council
//   SHAFAF_BENCH_COUNCIL         the council opened by phone-council (/c/<id>)
//   SHAFAF_BENCH_PUBLICATION     the publication's path on the server, e.g. /demo/
//   SHAFAF_BENCH_TIMEOUT_MS      how long to wait for a view before reporting it not reached
//   SHAFAF_BENCH_AUDIT_ATTRIBUTE 1 when the built app sets data-audit on the status element
//
// Each run opens a fresh browser context (an empty cache) and reports:
//   reached   whether the view was reached before the timeout
//   ms        from the start of navigation (performance.timeOrigin) to the
//             first frame after the view was complete (requestAnimationFrame)
//   how       what "complete" meant (see `finish` in the page script)
//   bytes     what went over the wire until then: encodedDataLength of the
//             finished requests (headers and compressed bodies)
//   requests  requests started until then, and the publication's paths among them
//   longest_task_ms, long_tasks  the main thread's tasks of 50 ms or more until then
//   audit_started  whether the app marked the audit's start by then
//             (performance.mark('shafaf:audit-start'))
//   longest_task_during_audit_ms, long_tasks_during_audit  those from the
//             audit's start on (a task that ends after it counts)
//   longest_task_before_audit_ms  the longest of those before it (the first view)
//   lcp_ms, lcp_element  the browser's largest contentful paint until then,
//             and its element ("shell …" when it is index.html's, shown
//             while the app downloads, rather than the view's)
//   busy      the page did not answer after the run: a task was still running
//   slow_requests  requests (the page's and its workers') that failed, or
//             (unthrottled) took 5 s or more, until then, each { path, ms,
//             failure }: a download that stalled and was asked for again
//             shows here
import { chromium } from 'playwright-core';

const baseUrl = process.env.SHAFAF_BASE_URL ?? 'http://127.0.0.1:8080/';
const runs = (process.env.SHAFAF_BENCH_RUNS ?? 'desktop,phone-landing,phone-council').split(',').filter(Boolean);
const council = process.env.SHAFAF_BENCH_COUNCIL;
const publication = process.env.SHAFAF_BENCH_PUBLICATION ?? '/demo/';
const timeoutMs = Number(process.env.SHAFAF_BENCH_TIMEOUT_MS ?? 120_000);
const auditAttribute = process.env.SHAFAF_BENCH_AUDIT_ATTRIBUTE === '1';
// A request this slow is named in the report (the app gives up on a
// download that receives nothing for 15 s and asks again).
const SLOW_REQUEST_MS = 5_000;

// The phone: a mid-range Android phone on a slow mobile network, as
// Lighthouse's mobile profile describes one.
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
  userAgent:
    'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
};
const PHONE_CPU_SLOWDOWN = 4;
const PHONE_NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: 200_000, // 1.6 Mbit/s
  uploadThroughput: 93_750, // 750 kbit/s
};

// The same Chromium settings as the end-to-end tests (tests/e2e/browser.mjs).
function launch() {
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

/**
 * Runs in the page before the app: records long tasks, and calls
 * `__shafafBenchDone` once the awaited view is complete.
 *  - wait 'audit': the status element has data-audit="complete"; when the
 *    app has no such attribute, the first moment data-status leaves "loading";
 *  - wait 'view': data-status is verified or verified_with_findings and
 *    `selector` is visible.
 * A status other than loading or verified* (the page refused the
 * publication) ends the wait too, and says so.
 */
function pageScript({ wait, selector, auditAttribute }) {
  const bench = (window.__shafafBench = { longTasks: [], done: false });
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    bench.noLongTaskApi = true;
  }
  // Largest contentful paint as the browser reports it, and which element:
  // index.html's shell (the explanation shown while the app downloads) or
  // the view's own.
  bench.paints = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const element = entry.element;
        const text = (element?.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
        const what = element
          ? `${element.closest('#shell') ? 'shell ' : ''}<${element.tagName.toLowerCase()}> ${text}`
          : 'an element since removed';
        bench.paints.push({ start: entry.startTime, what });
      }
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  } catch {
    // Not every browser reports it; the run goes on without.
  }
  const visible = (element) => {
    if (!element || (element.checkVisibility && !element.checkVisibility())) return false;
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const finish = (how, status) => {
    bench.done = true;
    const dom = performance.now();
    requestAnimationFrame(() => {
      window.__shafafBenchDone({ how, status, dom, ms: performance.now() });
    });
  };
  const check = () => {
    if (bench.done) return;
    const element = document.querySelector('[data-testid="status"]');
    if (!element) return;
    const status = element.getAttribute('data-status');
    const audit = element.getAttribute('data-audit');
    if (audit !== null) bench.auditSeen = true;
    if (status && status !== 'loading' && !status.startsWith('verified')) {
      finish('refused', status);
    } else if (wait === 'audit') {
      if (audit === 'complete') finish('data-audit', status);
      else if (!auditAttribute && !bench.auditSeen && status && status !== 'loading') finish('data-status', status);
    } else if ((status === 'verified' || status === 'verified_with_findings') && visible(document.querySelector(selector))) {
      finish('view', status);
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-status', 'data-audit'],
  });
}

/** Resolves with `promise`'s value, or with `fallback` after `ms`. */
function within(promise, ms, fallback) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(fallback), ms);
    }),
  ]);
}

async function measure(browser, { name, path, wait, selector, phone, again }) {
  // A visit after one goes without the service worker: it fetches network
  // first (a reader online gets the same bytes through the HTTP cache), and
  // Chromium neither throttles nor reports a service worker's own requests
  // on the page, which would make the visit look faster and free.
  const context = await browser.newContext({ ...(phone ? PHONE : {}), ...(again ? { serviceWorkers: 'block' } : {}) });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  let resolveDone;
  let done = new Promise((resolve) => {
    resolveDone = resolve;
  });
  await page.exposeBinding('__shafafBenchDone', (_source, info) => resolveDone(info));
  await page.addInitScript(pageScript, { wait, selector, auditAttribute });

  // The wire, as DevTools sees it: the page's requests through CDP, and a
  // worker's (a separate target) through Playwright, which attaches to it.
  // Network throttling set on the page covers its workers' fetches too; CPU
  // throttling does not: Chromium refuses Emulation.setCPUThrottlingRate on
  // a worker target ("only supported for pages"), so a worker runs at the
  // machine's speed.
  const cdp = await context.newCDPSession(page);
  const network = { started: [], bytes: 0, finished: 0, seen: new Set(), workerBytes: 0, workerRequests: 0 };
  let counting = true;
  const http = (url) => url.startsWith('http:') || url.startsWith('https:');
  cdp.on('Network.requestWillBeSent', (event) => {
    if (!counting || event.redirectResponse || !http(event.request.url)) return;
    network.seen.add(event.request.url);
    network.started.push(event.request.url);
  });
  cdp.on('Network.loadingFinished', (event) => {
    if (!counting) return;
    network.bytes += event.encodedDataLength;
    network.finished += 1;
  });
  // Chromium reports a dedicated worker's fetches on the worker's target
  // only; Playwright attaches to it and reports them with their sizes.
  context.on('requestfinished', async (request) => {
    if (!counting || network.seen.has(request.url()) || !http(request.url())) return;
    try {
      const sizes = await request.sizes();
      if (!counting) return;
      network.workerBytes += Math.max(0, sizes.responseHeadersSize) + Math.max(0, sizes.responseBodySize);
      network.workerRequests += 1;
      network.started.push(request.url());
    } catch {
      // The request's page went away.
    }
  });
  // Every request's time, the page's and its workers' alike (Playwright
  // reports both): which ones stalled, if the run took longer than it should.
  const started = new Map();
  const slow = [];
  const ended = (request, failure) => {
    const start = started.get(request);
    if (!counting || start === undefined) return;
    const ms = Date.now() - start;
    // On the phone's throttled network a large file is slow by design: only failures there.
    if ((!phone && ms >= SLOW_REQUEST_MS) || failure) slow.push({ path: new URL(request.url()).pathname, ms, failure });
  };
  context.on('request', (request) => started.set(request, Date.now()));
  context.on('requestfinished', (request) => ended(request, null));
  context.on('requestfailed', (request) => ended(request, request.failure()?.errorText ?? 'failed'));
  await cdp.send('Network.enable');
  let workers = 0;
  page.on('worker', () => {
    workers += 1;
  });
  if (phone) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: PHONE_CPU_SLOWDOWN });
    await cdp.send('Network.emulateNetworkConditions', PHONE_NETWORK);
  }

  const url = new URL(path, baseUrl).href;
  if (again) {
    // The same reader once before, not measured: what the browser's HTTP
    // cache keeps (the app, the content-addressed files) is there for the
    // visit that is.
    counting = false;
    await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs }).catch(() => {});
    await within(done, timeoutMs, null);
    done = new Promise((resolve) => {
      resolveDone = resolve;
    });
    counting = true;
  }
  const navigation = page.goto(url, { waitUntil: 'commit', timeout: timeoutMs }).catch((error) => error);
  const info = await within(done, timeoutMs, null);
  counting = false;
  await navigation;

  const paths = network.started.map((u) => new URL(u).pathname);
  // Long tasks until the view (or until now, when it was not reached). A page
  // busy in a long task answers only when the task ends: give up after 10 s.
  const state = await within(
    page
      .evaluate(() => ({
        longTasks: window.__shafafBench?.longTasks ?? [],
        paints: window.__shafafBench?.paints ?? [],
        auditStart: performance.getEntriesByName('shafaf:audit-start')[0]?.startTime ?? null,
        noLongTaskApi: window.__shafafBench?.noLongTaskApi ?? false,
        status: document.querySelector('[data-testid="status"]')?.getAttribute('data-status') ?? null,
      }))
      .catch(() => null),
    10_000,
    null,
  );
  const until = info ? info.ms : Infinity;
  const all = (state?.longTasks ?? []).filter((task) => task.start < until);
  // A task that ends after the audit started counts as during it.
  const auditStart = state?.auditStart ?? null;
  const during = (task) => auditStart === null || task.start + task.duration > auditStart;
  // Rounded up: a long task is over 50 ms by definition, and one of 50.4 ms
  // must not read as meeting a target of 50 ms.
  const longest = (tasks) => (state ? Math.ceil(Math.max(0, ...tasks.map((task) => task.duration))) : null);
  const audit = all.filter(during);
  const paint = (state?.paints ?? []).filter((entry) => entry.start < until).at(-1) ?? null;
  const before = all.filter((task) => !during(task));
  const result = {
    run: name,
    url: path,
    reached: info !== null && info.how !== 'refused',
    how: info?.how ?? null,
    status: info?.status ?? state?.status ?? null,
    ms: info ? Math.round(info.ms) : null,
    dom_ms: info ? Math.round(info.dom) : null,
    timeout_ms: timeoutMs,
    bytes: network.bytes + network.workerBytes,
    worker_bytes: network.workerBytes,
    requests: network.started.length,
    unfinished: network.started.length - network.finished - network.workerRequests,
    publication_paths: [...new Set(paths.filter((p) => p.startsWith(publication)).map((p) => p.slice(publication.length)))].sort(),
    app_paths: [...new Set(paths.filter((p) => !p.startsWith(publication)))].sort(),
    longest_task_ms: longest(all),
    long_tasks: state ? all.length : null,
    audit_started: auditStart !== null,
    longest_task_during_audit_ms: auditStart !== null ? longest(audit) : null,
    long_tasks_during_audit: state && auditStart !== null ? audit.length : null,
    longest_task_before_audit_ms: auditStart !== null ? longest(before) : null,
    long_task_api: state ? !state.noLongTaskApi : null,
    lcp_ms: paint ? Math.round(paint.start) : null,
    lcp_element: paint?.what ?? null,
    workers,
    page_errors: errors.slice(0, 3),
    busy: state === null,
    phone: Boolean(phone),
    slow_requests: slow,
  };
  await context.close();
  return result;
}

const RUNS = {
  desktop: { path: '/', wait: 'audit' },
  'phone-landing': { path: '/', wait: 'view', selector: '[data-testid="summary"]', phone: true },
  // A reader coming back: the app and the publication's content-addressed
  // files are in the browser's cache; only what may change is asked again.
  'phone-landing-again': { path: '/', wait: 'view', selector: '[data-testid="summary"]', phone: true, again: true },
  'phone-council': {
    path: council ? `/c/${encodeURIComponent(council)}` : null,
    wait: 'view',
    selector: '[data-testid="candidate-table"]',
    phone: true,
  },
};

const browser = await launch();
try {
  for (const name of runs) {
    const run = RUNS[name];
    if (!run) throw new Error(`unknown run ${name}: expected one of ${Object.keys(RUNS).join(', ')}`);
    if (!run.path) throw new Error(`${name} needs SHAFAF_BENCH_COUNCIL`);
    console.error(`    ${name}: ${run.path}`);
    const result = await measure(browser, { name, ...run });
    console.log(`BENCH-BROWSER ${JSON.stringify(result)}`);
  }
} finally {
  await browser.close();
}
