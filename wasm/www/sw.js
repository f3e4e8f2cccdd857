// Offline support: network first (always fresh when online), the cache when offline.
const CACHE = 'posfee-calculator-v4';
const ASSETS = ['./', './index.html', './app.js', './i18n.js', './style.css', './pkg/index.js', './pkg/guard.js', './pkg/posfee_wasm.js', './pkg/posfee_wasm_bg.wasm', './boot.js', './check.js',
  './audit/index.js', './audit/guard.js', './audit/posfee_wasm.js', './audit/posfee_wasm_bg.wasm',
  './deposits/index.js', './deposits/guard.js', './deposits/posfee_wasm.js', './deposits/posfee_wasm_bg.wasm'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request, { ignoreSearch: true }).then((hit) => hit || caches.match('./index.html'))),
  );
});
