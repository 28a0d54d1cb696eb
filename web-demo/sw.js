// The page's service worker: after the first visit the page works without a
// network. It keeps the page's own static files (below) in a cache and
// answers from the network first, so a deployed update shows up at once;
// when the network is gone it answers from the cache. It fetches only these
// files of its own origin and nothing else (other requests pass through
// untouched). Its fetches are its own: the page's CSP keeps connect-src
// 'none', since a service worker's requests are not the page's.

const CACHE = "piaoyan-page-v1";
const FILES = [
  "./",
  "index.html",
  "boot.js",
  "app.js",
  "view.js",
  "texts.js",
  "format.js",
  "labels.js",
  "store.js",
  "verify-worker.js",
  "style.css",
  "manifest.webmanifest",
  "icon.svg",
  "trust/demo-trust.js",
  "trust/bundle.js",
];
// The package's modules (pkg/files.js, written by scripts/build-web with
// the package), so that a new module of the package is kept too.
importScripts("pkg/files.js");
FILES.push(...self.PIAOYAN_PKG_FILES);
const OWN = new Set(FILES.map((f) => new URL(f, self.registration.scope).href));

self.addEventListener("install", (ev) => {
  ev.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (ev) => {
  ev.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (ev) => {
  const url = new URL(ev.request.url);
  url.search = "";
  if (ev.request.method !== "GET" || !OWN.has(url.href)) return;
  ev.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const fresh = await fetch(ev.request);
        if (fresh.ok) await cache.put(url.href, fresh.clone());
        return fresh;
      } catch (e) {
        const kept = await cache.match(url.href);
        if (kept) return kept;
        throw e;
      }
    })(),
  );
});
