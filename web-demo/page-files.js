// The page's own static files: the one list of them. The service worker
// keeps them for offline use (sw.js loads this with importScripts), the
// local server serves them (serve.mjs), and the browser test expects the
// page to request exactly these (with pkg/ as pkg/files.js lists it). A
// classic script: it sets one global. When you add a file to the page,
// add it here.
self.PIAOYAN_PAGE_FILES = [
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
