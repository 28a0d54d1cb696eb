#!/usr/bin/env node
// A tiny static server for the page, on 127.0.0.1 only: what
// ./scripts/serve-web runs and what the browser tests load the page from.
// It serves the page's files (page-files.js lists them: index.html, its
// scripts and style, the worker, the manifest and icon, trust/), the
// service worker and its list, pkg/, and nothing else.
//
//   node web-demo/serve.mjs [--port 8080]

import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";

const ROOT = dirname(fileURLToPath(import.meta.url));

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
  ".svg": "image/svg+xml",
};

/**
 * The page's own files (page-files.js, the one list of them, which the
 * service worker keeps too), as the service worker and this server see
 * them: a classic script run here in a context of its own.
 */
export function pageFiles(root = ROOT) {
  const self = {};
  runInNewContext(readFileSync(join(root, "page-files.js"), "utf8"), { self });
  return [...self.PIAOYAN_PAGE_FILES];
}

/** The top-level names a request may reach: the page's files, the service worker and its list, pkg/. */
const publicNames = (root) => new Set([...pageFiles(root).map((f) => f.split("/")[0]), "sw.js", "page-files.js", "pkg"]);

/**
 * Starts the server. Resolves to { url, close(), requests }, where
 * `requests` lists every request as "METHOD /path" in order.
 */
export function startServer({ root = ROOT, port = 0, host = "127.0.0.1" } = {}) {
  const requests = [];
  const PUBLIC = publicNames(root);
  const server = createServer(async (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (path === "/") path = "/index.html";
    const rel = normalize(path).replace(/^[/\\]+/, "");
    const top = rel.split(sep)[0];
    const file = join(root, rel);
    if (!PUBLIC.has(top) || rel.split(sep).some((p) => p === ".." || p.startsWith(".")) || !file.startsWith(root + sep)) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    try {
      if (!(await stat(file)).isFile()) throw new Error("not a file");
      const body = await readFile(file);
      res.writeHead(200, {
        "Content-Type": TYPES[extname(file)] || "application/octet-stream",
        "Content-Length": body.length,
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolve({
        url: `http://${host}:${actual}/`,
        requests,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf("--port");
  const port = i > 0 ? Number(process.argv[i + 1]) : Number(process.env.PORT || 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`error: bad port ${process.argv[i + 1]}`);
    process.exit(2);
  }
  try {
    await stat(join(ROOT, "pkg", "index.js"));
  } catch {
    console.error("error: web-demo/pkg is missing; run ./scripts/build-web first (./scripts/serve-web does)");
    process.exit(2);
  }
  const { url } = await startServer({ port });
  console.log(`Piaoyan page: ${url}  (Ctrl-C stops)`);
}
