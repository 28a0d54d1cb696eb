// The page's service worker: after the first visit the page works without a
// network. It keeps the page's own static files (below) in a cache and
// answers from the network first, so a deployed update shows up at once;
// when the network is gone it answers from the cache. It fetches only these
// files of its own origin and nothing else (other requests pass through
// untouched). Its fetches are its own: the page's CSP keeps connect-src
// 'none', since a service worker's requests are not the page's.

const CACHE = "piaoyan-page-v1";
// The page's own files (page-files.js, the one list of them) and the
// package's modules (pkg/files.js, written by scripts/build-web with the
// package, so that a new module of the package is kept too): kept at
// install.
importScripts("page-files.js", "pkg/files.js");
const FILES = ["./", ...self.PIAOYAN_PAGE_FILES, ...self.PIAOYAN_PKG_FILES];
// The render module's files (pkg/files.js too): never fetched at install,
// since a page that only verifies must not download drawing. Answered like
// the others (network first) and kept in the cache once the page has drawn
// a bill (fetched through this worker, or named in a "keep-render" message
// from the page after drawing), so that a later visit draws offline too.
const RENDER = self.PIAOYAN_RENDER_FILES || [];
const OWN = new Set([...FILES, ...RENDER].map((f) => new URL(f, self.registration.scope).href));

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

// The page drew a bill, maybe before this worker controlled it (a first
// visit: its fetches then passed by): keep the render module's files now,
// each one not kept yet.
self.addEventListener("message", (ev) => {
  if (ev.data !== "keep-render") return;
  ev.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const f of RENDER) {
        const url = new URL(f, self.registration.scope).href;
        if (await cache.match(url)) continue;
        try {
          const fresh = await fetch(url);
          if (fresh.ok) await cache.put(url, fresh);
        } catch {
          // offline now: kept on the next drawing
        }
      }
    })(),
  );
});
