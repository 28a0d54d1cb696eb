// piaoyan/worker in Node: a worker_threads Worker whose file calls
// serve(parentPort), and a Web-Worker-like one (a global scope with
// postMessage and addEventListener, the package's own detection) talked to
// through a Web-Worker-like client object; createWorkerVerifier() round
// trips, errors and termination.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, test } from "node:test";
import { Worker } from "node:worker_threads";

import { PKG, bill, demoOptions, expected, pem, requirePkg } from "./env.mjs";

requirePkg();
const piaoyan = await import(join(PKG, "index.js"));
await piaoyan.init();
const NOW = 1767225600;
const workerUrl = pathToFileURL(join(PKG, "worker.js")).href;

const dir = mkdtempSync(join(tmpdir(), "piaoyan-worker-"));
after(() => rmSync(dir, { recursive: true, force: true }));

// Node: the two lines the README gives.
const NODE_WORKER = join(dir, "node-worker.mjs");
writeFileSync(
  NODE_WORKER,
  `import { parentPort } from "node:worker_threads";
   import { serve } from ${JSON.stringify(workerUrl)};
   serve(parentPort);\n`,
);

// A Web Worker's global scope, played on worker_threads: the module serves
// itself when globalThis is a WorkerGlobalScope.
const WEB_WORKER = join(dir, "web-worker.mjs");
writeFileSync(
  WEB_WORKER,
  `import { parentPort } from "node:worker_threads";
   globalThis.WorkerGlobalScope = class WorkerGlobalScope {
     static [Symbol.hasInstance](o) { return o === globalThis; }
   };
   globalThis.postMessage = (m) => parentPort.postMessage(m);
   globalThis.addEventListener = (type, f) => parentPort.on(type, (data) => f({ data }));
   await import(${JSON.stringify(workerUrl)});\n`,
);

/** A Node Worker seen as a Web Worker: addEventListener with events, no on(). */
function webLike(worker) {
  return {
    postMessage: (m) => worker.postMessage(m),
    addEventListener: (type, f) => worker.on(type, (v) => f(type === "message" ? { data: v } : v)),
    terminate: () => worker.terminate(),
  };
}

const names = expected().map((e) => e.name);

for (const [kind, start] of [
  ["worker_threads + serve(parentPort)", () => new Worker(NODE_WORKER)],
  ["a Web-Worker-like scope and client", () => webLike(new Worker(WEB_WORKER))],
]) {
  test(`${kind}: reports equal verify(), in parallel, with errors carried over`, async () => {
    const client = piaoyan.createWorkerVerifier(start());
    try {
      const options = demoOptions({ now: NOW });
      // Every demo bill at once, twice, under two sets of options in turn.
      const asked = [...names, ...names].map((n, i) =>
        client.verify(bill(n), i % 3 === 0 ? { now: NOW } : options).then((r) => [n, i, r]),
      );
      for (const [n, i, r] of await Promise.all(asked)) {
        assert.deepEqual(r, piaoyan.verify(bill(n), i % 3 === 0 ? { now: NOW } : options), `${n} #${i}`);
      }
      // Errors are the PiaoyanErrors verify() throws, field and index included.
      const rejection = async (p) => {
        try {
          await p;
        } catch (e) {
          assert.ok(e instanceof piaoyan.PiaoyanError, String(e));
          return [e.code, e.message, e.field, e.index];
        }
        assert.fail("no rejection");
      };
      const bad = { trustAnchors: [pem("roots.pem"), "!!"] };
      let want;
      try {
        piaoyan.verify(bill("01-hospital-valid.xml"), bad);
      } catch (e) {
        want = [e.code, e.message, e.field, e.index];
      }
      assert.deepEqual(await rejection(client.verify(bill("01-hospital-valid.xml"), bad)), want);
      assert.equal((await rejection(client.verify("<xml/>")))[0], "INPUT_TYPE");
      assert.equal((await rejection(client.verify(bill("01-hospital-valid.xml"), { now: () => 1 })))[0], "OPTIONS_TYPE");
      // Still answering after errors.
      assert.equal((await client.verify(bill("01-hospital-valid.xml"), options)).verdict, "VALID");
      // terminate(): pending and later calls reject with WORKER.
      const pending = client.verify(bill("02-school-valid.xml"), options);
      client.terminate();
      assert.equal((await rejection(pending))[0], "WORKER");
      assert.match((await rejection(client.verify(bill("01-hospital-valid.xml"))))[1], /terminated/);
    } finally {
      client.terminate();
    }
  }, { timeout: 120_000 });
}

test("a worker that dies rejects what is pending with WORKER", async () => {
  const file = join(dir, "dies.mjs");
  writeFileSync(file, `import { parentPort } from "node:worker_threads"; parentPort.on("message", () => { throw new Error("boom"); });\n`);
  const client = piaoyan.createWorkerVerifier(new Worker(file));
  await assert.rejects(client.verify(bill("01-hospital-valid.xml")), { name: "PiaoyanError", code: "WORKER", message: /the worker failed: boom/ });
  await assert.rejects(client.verify(bill("01-hospital-valid.xml")), { code: "WORKER" });
});

test("createWorkerVerifier() of something that is not a worker is INPUT_TYPE", () => {
  assert.throws(() => piaoyan.createWorkerVerifier({}), { name: "PiaoyanError", code: "INPUT_TYPE", message: /must be a Worker or a URL, got Object/ });
  // Node has no Web Worker to start from a URL.
  assert.throws(() => piaoyan.createWorkerVerifier(new URL(workerUrl)), { code: "INPUT_TYPE", message: /no Web Worker/ });
});
