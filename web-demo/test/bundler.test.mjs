// The package through a bundler (esbuild): imported by its name, resolved
// through its `exports` map, bundled for the browser without Node built-ins,
// and bundled for Node and run.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import * as esbuild from "esbuild";

import { BILLS, PKG, SAMPLES, requirePkg } from "./env.mjs";

requirePkg();

const ENTRY = `
import { init, verify, moduleHash } from "piaoyan";
import { readFileSync } from "node:fs";
await init();
const trust = (f) => readFileSync(process.env.TRUST + "/" + f, "utf8");
const report = verify(readFileSync(process.env.BILL), {
  trustAnchors: [trust("roots.pem")],
  certificates: [trust("intermediates.pem")],
});
console.log(JSON.stringify({ verdict: report.verdict, hash: moduleHash() }));
`;

const BROWSER_ENTRY = `
import { init, verify } from "piaoyan";
await init();
globalThis.result = verify(new Uint8Array(0)).verdict;
`;

const WORKER_ENTRY = `
import "piaoyan/worker";
`;

function project() {
  const dir = mkdtempSync(join(tmpdir(), "piaoyan-bundle-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(PKG, join(dir, "node_modules", "piaoyan"), "dir");
  writeFileSync(join(dir, "node.mjs"), ENTRY);
  writeFileSync(join(dir, "browser.mjs"), BROWSER_ENTRY);
  writeFileSync(join(dir, "worker.mjs"), WORKER_ENTRY);
  return dir;
}

test("esbuild bundles the package for Node, and the bundle verifies a bill", async () => {
  const dir = project();
  try {
    const result = await esbuild.build({
      entryPoints: [join(dir, "node.mjs")],
      absWorkingDir: dir,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      outdir: join(dir, "out"),
      splitting: true,
      logLevel: "silent",
    });
    assert.deepEqual(result.warnings, []);
    const out = execFileSync(process.execPath, [join(dir, "out", "node.js")], {
      env: { ...process.env, BILL: join(BILLS, "01-hospital-valid.xml"), TRUST: join(SAMPLES, "trust") },
      encoding: "utf8",
    });
    const { verdict, hash } = JSON.parse(out);
    assert.equal(verdict, "VALID");
    assert.match(hash, /^[0-9a-f]{64}$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("esbuild bundles the package for the browser with no Node built-in and no wasm asset", async () => {
  const dir = project();
  try {
    const result = await esbuild.build({
      entryPoints: [join(dir, "browser.mjs")],
      absWorkingDir: dir,
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      outdir: join(dir, "out"),
      splitting: true,
      metafile: true,
      // Keep node_modules/piaoyan in the paths: resolved by the package name.
      preserveSymlinks: true,
      logLevel: "silent",
    });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings, []);
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((i) => i === "node_modules/piaoyan/index.js"), inputs.join());
    assert.ok(!inputs.some((i) => i.endsWith(".wasm")), "the bundle needs no .wasm asset");
    // The module travels as the bytes module, split into a chunk of its own
    // that init() imports on demand.
    const chunks = Object.keys(result.metafile.outputs).filter((o) => o.endsWith(".js"));
    assert.ok(chunks.length >= 2, chunks.join());
    assert.ok(
      chunks.some((o) => readFileSync(join(dir, o), "utf8").length > 400_000),
      "one chunk holds the module's bytes",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("esbuild bundles piaoyan/worker for a browser worker: resolved by its exports entry, kept despite sideEffects", async () => {
  const dir = project();
  try {
    const result = await esbuild.build({
      entryPoints: [join(dir, "worker.mjs")],
      absWorkingDir: dir,
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      outdir: join(dir, "out"),
      splitting: true,
      metafile: true,
      preserveSymlinks: true,
      logLevel: "silent",
    });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings, []);
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.includes("node_modules/piaoyan/worker.js"), inputs.join());
    // A bare `import "piaoyan/worker"` is kept: the file serves the worker's scope.
    const entry = readFileSync(join(dir, "out", "worker.js"), "utf8");
    assert.match(entry, /WorkerGlobalScope/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
