// Shafaf's service worker: observers at polling stations often have no
// connection, so what the app fetched once stays readable offline. Every
// request goes to the network first (a reader online always gets what is
// published now, and the app verifies it as it would without this worker);
// when the network fails, the copy kept from the last successful fetch is
// used. The app's own files are kept when this worker installs (from
// app-files.txt); the publication's files as they are fetched. Nothing here
// is trusted: the app checks every file against its signed release, cached
// or not. A response without a length (a server that never stops sending)
// or larger than LIMIT is passed on but not kept.
//
// Each build of the app has its own cache: the build stamps VERSION below
// with a hash of the app's other files (`cargo xtask` does, in
// app-files.txt's step), so a new build is a new worker, which keeps the
// new app's files and, once active, drops every older build's cache (and
// the publication files kept with it, fetched again when online).
const VERSION = 'dev';
const CACHE = `shafaf-${VERSION}`;
const LIMIT = 64 * 1024 * 1024;

self.addEventListener('install', (event) => {
  event.waitUntil(precache());
  self.skipWaiting();
});

// No clients.claim(): a page is controlled from its start or not at all,
// never switched over while it is fetching a publication (the next page the
// reader opens is kept).
self.addEventListener('activate', (event) => {
  event.waitUntil(dropOlderBuilds());
});

async function dropOlderBuilds() {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith('shafaf-') && name !== CACHE).map((name) => caches.delete(name)));
}

async function precache() {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch('app-files.txt', { cache: 'no-cache' });
    const list = response.ok ? await response.text() : '';
    // sha256sum format: 64 hex digits, two spaces, the path.
    const paths = list
      .split('\n')
      .map((line) => line.slice(66).trim())
      // A view's pack holds chunks kept anyway (xtask/src/split.rs, `pack`).
      .filter((path) => path && path !== 'sw.js' && !/^pack_.*\.wasm$/.test(path));
    await Promise.all(['./', ...paths].map((path) => cache.add(path).catch(() => {})));
  } catch {
    // Offline at install: pages fetched later are kept as they come.
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(networkFirst(request));
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    const length = Number(response.headers.get('content-length'));
    if (response.ok && response.type === 'basic' && length > 0 && length <= LIMIT) {
      cache.put(request.url, response.clone()).catch(() => {});
    }
    return response;
  } catch (error) {
    const kept = await cache.match(request.url);
    if (kept) return kept;
    // Any address of the app opens the app, which then reads what was kept.
    if (request.mode === 'navigate') {
      const shell = await cache.match(new URL('./', self.location).href);
      if (shell) return shell;
    }
    throw error;
  }
}
