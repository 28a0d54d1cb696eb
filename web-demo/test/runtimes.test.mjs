// The package in every runtime: init() from a compiled WebAssembly.Module,
// a URL (served over http, and a file: URL Node's fetch cannot read) and a
// Response; an edge-like runtime where compiling bytes throws (as on
// Cloudflare Workers) and only `new WebAssembly.Instance(module)` works.
// init() holds one module per process, so each case runs in a worker
// thread of its own.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { Worker } from "node:worker_threads";

import { PKG, SAMPLES, cliModuleHash, demoOptions, expected, requirePkg } from "./env.mjs";

requirePkg();
const piaoyan = await import(join(PKG, "index.js"));
const WASM = join(PKG, "piaoyan_wasm_bg.wasm");
const NOW = 1767225600; // 2026-01-01: a fixed time, so that reports compare across threads

/**
 * Runs `body` (the text of an async function body; `piaoyan` is not yet
 * imported, `data` is workerData, `pkg` the package's URL) in a worker
 * thread; resolves to what it returns, or rejects with the error it threw.
 */
function inWorker(body, data = {}) {
  const code = `
    const { parentPort, workerData: data } = require("node:worker_threads");
    const pkg = ${JSON.stringify(pathToFileURL(join(PKG, "index.js")).href)};
    const bill = (name) => new Uint8Array(require("node:fs").readFileSync(${JSON.stringify(join(SAMPLES, "bills"))} + "/" + name));
    const caught = async (f) => { try { await f(); return null; } catch (e) { return { name: e.name, code: e.code, message: e.message }; } };
    (async () => { ${body} })().then(
      (ok) => parentPort.postMessage({ ok }),
      (e) => parentPort.postMessage({ error: { name: e.name, code: e.code, message: e.message, stack: e.stack } }),
    );`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: data });
    worker.once("message", (m) => {
      worker.terminate();
      if (m.error) reject(Object.assign(new Error(`${m.error.code}: ${m.error.message}\n${m.error.stack}`), m.error));
      else resolve(m.ok);
    });
    worker.once("error", reject);
  });
}

const SAMPLE_NAMES = expected().map((e) => e.name);
const options = demoOptions({ now: NOW });

/** Reports of every demo bill by the main thread's package (bundled module). */
async function mainReports() {
  await piaoyan.init();
  return SAMPLE_NAMES.map((n) => piaoyan.verify(readFileSync(join(SAMPLES, "bills", n)), options));
}

// In the worker: every demo bill, verified and through createVerifier().
const VERIFY_ALL = `
  const out = data.names.map((n) => piaoyan.verify(bill(n), data.options));
  const v = piaoyan.createVerifier(data.options);
  const configured = data.names.map((n) => v.verify(bill(n)));
  return { reports: out, configured, hash: piaoyan.moduleHash(), ready: piaoyan.isReady() };`;

test("init(WebAssembly.Module): a precompiled module, moduleHash() null", async () => {
  const want = await mainReports();
  const got = await inWorker(
    `const piaoyan = await import(pkg);
     const module = await WebAssembly.compile(require("node:fs").readFileSync(data.wasm));
     await piaoyan.init(module);
     ${VERIFY_ALL}`,
    { wasm: WASM, names: SAMPLE_NAMES, options },
  );
  assert.equal(got.ready, true);
  assert.equal(got.hash, null, "the bytes of a Module never passed through the package");
  assert.deepEqual(got.reports, want);
  assert.deepEqual(got.configured, want);
});

test("init(Response), init(Promise<Response>): streamed when application/wasm, from bytes otherwise", async () => {
  const want = await mainReports();
  for (const [how, make] of [
    ["streamed", `new Response(wasm, { headers: { "content-type": "application/wasm" } })`],
    ["a promise, streamed", `Promise.resolve(new Response(wasm, { headers: { "content-type": "application/wasm" } }))`],
    ["a MIME type with parameters (compileStreaming takes none): from bytes", `new Response(wasm, { headers: { "content-type": "application/wasm; charset=binary" } })`],
    ["no MIME type: from bytes", `new Response(wasm)`],
  ]) {
    const got = await inWorker(
      `const piaoyan = await import(pkg);
       const wasm = require("node:fs").readFileSync(data.wasm);
       let streamed = 0;
       const real = WebAssembly.compileStreaming;
       WebAssembly.compileStreaming = (r) => { streamed++; return real(r); };
       await piaoyan.init(${make});
       return { streamed, ...(await (async () => { ${VERIFY_ALL} })()) };`,
      { wasm: WASM, names: SAMPLE_NAMES, options },
    );
    assert.equal(got.streamed, how.includes("streamed") ? 1 : 0, how);
    assert.equal(got.hash, cliModuleHash(), how);
    assert.deepEqual(got.reports, want, how);
    assert.deepEqual(got.configured, want, how);
  }
});

test("init(URL): fetched over http (any MIME type); HTTP errors and file: URLs are MODULE errors", async () => {
  const wasm = readFileSync(WASM);
  const server = createServer((req, res) => {
    if (req.url === "/piaoyan.wasm") res.writeHead(200, { "content-type": "application/wasm" }).end(wasm);
    else if (req.url === "/octet.wasm") res.writeHead(200, { "content-type": "application/octet-stream" }).end(wasm);
    else res.writeHead(404, "Not Found").end();
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const want = await mainReports();
    for (const path of ["/piaoyan.wasm", "/octet.wasm"]) {
      const got = await inWorker(
        `const piaoyan = await import(pkg);
         const failed = await caught(() => piaoyan.init(new URL(data.missing)));
         const file = await caught(() => piaoyan.init(new URL(data.file)));
         await piaoyan.init(new URL(data.url));
         return { failed, file, ...(await (async () => { ${VERIFY_ALL} })()) };`,
        { url: base + path, missing: `${base}/missing.wasm`, file: pathToFileURL(WASM).href, names: SAMPLE_NAMES, options },
      );
      assert.equal(got.failed.code, "MODULE", path);
      assert.match(got.failed.message, /^cannot fetch the verifier module from http:.*missing\.wasm: HTTP 404 Not Found$/);
      assert.equal(got.file.code, "MODULE");
      assert.match(got.file.message, /where fetch cannot read file: URLs, pass the file's bytes/);
      assert.equal(got.hash, cliModuleHash(), path);
      assert.deepEqual(got.reports, want, path);
      assert.deepEqual(got.configured, want, path);
    }
  } finally {
    server.close();
  }
});

test("init() of anything else is a clear PiaoyanError, and init() still works after one", async () => {
  const got = await inWorker(
    `const piaoyan = await import(pkg);
     const errors = [];
     for (const source of ["piaoyan_wasm_bg.wasm", 42, {}, [1, 2]]) errors.push(await caught(() => piaoyan.init(source)));
     errors.push(await caught(() => piaoyan.init(Promise.resolve("not a response"))));
     errors.push(await caught(() => piaoyan.init(Promise.reject(new Error("offline")))));
     errors.push(await caught(() => piaoyan.init(new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]))));
     const used = new Response(new Uint8Array([1]));
     await used.arrayBuffer();
     errors.push(await caught(() => piaoyan.init(used)));
     errors.push(await caught(() => piaoyan.createVerifier()));
     await piaoyan.init();
     return { errors, verdict: piaoyan.verify(bill("01-hospital-valid.xml")).verdict };`,
  );
  const e = got.errors;
  assert.ok(e.every((x) => x && x.name === "PiaoyanError"), JSON.stringify(e));
  assert.deepEqual(e.map((x) => x.code), ["INPUT_TYPE", "INPUT_TYPE", "INPUT_TYPE", "INPUT_TYPE", "INPUT_TYPE", "MODULE", "MODULE", "INPUT_TYPE", "NOT_INITIALIZED"]);
  assert.match(e[0].message, /^the module must be bytes .*a WebAssembly.Module, a URL, a Response or a promise of one, got string \(for a URL, pass new URL\(text, import.meta.url\)\)$/);
  assert.match(e[2].message, /got Object$/);
  assert.match(e[4].message, /the module's promise must give a Response, got string/);
  assert.match(e[5].message, /cannot fetch the verifier module: offline/);
  assert.match(e[6].message, /^cannot compile the verifier module: /);
  assert.match(e[7].message, /has already been read/);
  assert.equal(got.verdict, "INDETERMINATE", "nothing trusted");
});

test("an edge-like runtime (compiling bytes throws; only new WebAssembly.Instance(module)): init(Module) verifies", async () => {
  const want = await mainReports();
  const got = await inWorker(
    `// The runtime compiles the .wasm the deployment ships (as Cloudflare
     // does for a module import); then the code runs where compiling bytes,
     // instantiating them and streaming compiles all throw.
     const module = await WebAssembly.compile(require("node:fs").readFileSync(data.wasm));
     const forbidden = (what) => () => { throw new WebAssembly.CompileError(what + ": Wasm code generation disallowed by embedder"); };
     const RealModule = WebAssembly.Module;
     const Locked = function Module() { forbidden("WebAssembly.Module")(); };
     Locked.prototype = RealModule.prototype;
     Object.assign(Locked, { imports: RealModule.imports, exports: RealModule.exports, customSections: RealModule.customSections });
     WebAssembly.Module = Locked;
     WebAssembly.compile = async () => forbidden("WebAssembly.compile")();
     WebAssembly.instantiate = async () => forbidden("WebAssembly.instantiate")();
     WebAssembly.compileStreaming = async () => forbidden("WebAssembly.compileStreaming")();
     WebAssembly.instantiateStreaming = async () => forbidden("WebAssembly.instantiateStreaming")();
     // The lock holds: bytes cannot become a module here.
     const locked = await caught(() => new WebAssembly.Module(new Uint8Array(8)));
     const piaoyan = await import(pkg);
     const bundled = await caught(() => piaoyan.init());
     await piaoyan.init(module);
     ${VERIFY_ALL.replace("return {", "return { locked, bundled,")}`,
    { wasm: WASM, names: SAMPLE_NAMES, options },
  );
  assert.match(got.locked.message, /disallowed by embedder/);
  assert.equal(got.bundled.code, "MODULE", "the bundled bytes cannot be compiled there");
  assert.match(got.bundled.message, /^cannot compile the verifier module: WebAssembly.compile: Wasm code generation disallowed by embedder$/);
  assert.equal(got.ready, true);
  assert.deepEqual(got.reports, want);
  assert.deepEqual(got.configured, want);
});
