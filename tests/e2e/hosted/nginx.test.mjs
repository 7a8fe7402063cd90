// The app as a real host serves it: nginx with the `nginx.conf` that
// `cargo xtask dist` wrote, the demo publication beside the app (run by
// `cargo xtask test`, step "hosted by nginx"). Every file keeps its type
// and the security headers, hashed files are kept for a year and the rest
// revalidated, the app's routes are index.html, and the app verifies the
// demo there under the Content-Security-Policy nginx sends, with the
// verdict the CLI gives and no policy violation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { baseUrl, cliReport, launch, newPage, settledStatus } from '../browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const types = { js: /^(text|application)\/javascript/, wasm: /^application\/wasm/, css: /^text\/css/ };

test('nginx sends each file with its type, the policy, and the caching its name calls for', async () => {
  const index = await fetch(baseUrl);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html/);
  assert.match(index.headers.get('content-security-policy') ?? '', /script-src/);
  assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
  assert.match(index.headers.get('cache-control') ?? '', /no-cache/);
  const html = await index.text();
  const assets = [...html.matchAll(/"\/?([\w-]+-[0-9a-f]{8,16}(?:_bg)?\.(js|wasm|css))"/g)];
  assert.ok(assets.length >= 3, `index.html names ${assets.length} hashed files`);
  for (const [, path, kind] of assets) {
    const response = await fetch(new URL(path, baseUrl));
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-type') ?? '', types[kind], path);
    assert.match(response.headers.get('cache-control') ?? '', /immutable/, path);
    assert.match(response.headers.get('content-security-policy') ?? '', /script-src/, path);
  }
  // The views' chunks, which the app's loader fetches, are named and kept like the rest.
  const chunks = [];
  for (const [, path] of assets.filter(([, path]) => path.startsWith('shafaf-split-'))) {
    const loader = await (await fetch(new URL(path, baseUrl))).text();
    chunks.push(...[...loader.matchAll(/new URL\("\.\/([\w-]+-[0-9a-f]{16}\.wasm)"/g)].map((m) => m[1]));
  }
  assert.ok(chunks.length >= 1, "the app's loader names its chunks");
  for (const path of chunks) {
    const response = await fetch(new URL(path, baseUrl));
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-type') ?? '', types.wasm, path);
    assert.match(response.headers.get('cache-control') ?? '', /immutable/, path);
  }
  // The font, named by its content like Trunk's outputs, is kept for a year too.
  const fonts = [];
  for (const [, path, kind] of assets.filter(([, , kind]) => kind === 'css')) {
    const css = await (await fetch(new URL(path, baseUrl))).text();
    fonts.push(...[...css.matchAll(/fonts\/[\w-]+-[0-9a-f]{16}\.woff2/g)].map((m) => m[0]));
  }
  assert.ok(fonts.length >= 1, 'the styles name a content-hashed font');
  for (const path of fonts) {
    const response = await fetch(new URL(path, baseUrl));
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-type') ?? '', /^font\/woff2/, path);
    assert.match(response.headers.get('cache-control') ?? '', /immutable/, path);
  }
  const config = await fetch(new URL('config.json', baseUrl));
  assert.match(config.headers.get('content-type') ?? '', /^application\/json/);
  assert.match(config.headers.get('cache-control') ?? '', /no-cache/);
  const route = await fetch(new URL('verify', baseUrl));
  assert.equal(route.status, 200);
  assert.match(route.headers.get('content-type') ?? '', /^text\/html/);
  // The page's response starts its main wasm and scripts (index.html's own
  // preloads), at the landing page and at the app's routes; no other file names them.
  const main = assets.find(([, path]) => path.endsWith('_bg.wasm'))?.[1];
  assert.ok(main, 'index.html names the main wasm');
  for (const [name, response] of [['/', index], ['/verify', route]]) {
    const link = response.headers.get('link') ?? '';
    assert.ok(link.includes(`/${main}>; rel=preload; as=fetch`), `${name}: Link ${link}`);
    assert.match(link, /rel=modulepreload/, name);
  }
  assert.equal(config.headers.get('link'), null);
});

test('the app verifies the demo under nginx with no policy violation, as the CLI does', async () => {
  const report = await cliReport();
  const page = await newPage(browser);
  await page.goto(baseUrl);
  assert.equal(await settledStatus(page), report.status);
  await page.locator('[data-testid=summary]').waitFor();
  assert.deepEqual(page.errors, []);
});
