// A trap (what a panic inside the verifier becomes, the module being built
// with panic = "abort") reaches JavaScript as PiaoyanError TRAP, never as a
// panic message or a bare RuntimeError, and the module is re-instantiated
// for the next call. The real verifier must not trap, so a stand-in module
// with the glue's exports plays it here (this file runs in a process of its
// own, so the stand-in is the only module instantiated).

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import binaryen from "binaryen";

import { PKG, requirePkg } from "./env.mjs";

requirePkg();

/** Every export of the real module the glue calls on these paths. */
function standIn() {
  const glue = readFileSync(join(PKG, "piaoyan_wasm.js"), "utf8");
  for (const name of ["__wbindgen_add_to_stack_pointer", "__wbindgen_export", "__wbindgen_export2", "__wbindgen_export3", "__wbindgen_start", "sha256Hex", "verify", "version"]) {
    assert.match(glue, new RegExp(`wasm\\.${name}\\b`), `the glue uses wasm.${name}: the stand-in follows it`);
  }
  // "abc" is what sha256Hex and version answer; verify always traps. The
  // C-style ABI of createVerifier(): piaoyan_configure answers ok and marks
  // the instance configured; piaoyan_verify_configured traps on a
  // configured instance that has not trapped yet and answers NOT_CONFIGURED
  // otherwise (so reusing the trapped instance is caught too).
  const ok = '{"ok":{"trustAnchors":0,"certificates":0,"crls":0}}';
  const notConfigured = '{"error":{"code":"NOT_CONFIGURED","message":"not configured"}}';
  const packed = (at, text) => ((BigInt(at) << 32n) | BigInt(Buffer.byteLength(text))).toString();
  const wat = `
    (module
      (memory (export "memory") 4)
      (global $sp (mut i32) (i32.const 65536))
      (global $heap (mut i32) (i32.const 131072))
      (global $configured (mut i32) (i32.const 0))
      (global $trapped (mut i32) (i32.const 0))
      (data (i32.const 1024) "abc")
      (data (i32.const 1100) ${JSON.stringify(ok)})
      (data (i32.const 1200) ${JSON.stringify(notConfigured)})
      (func (export "piaoyan_abi_version") (result i32) (i32.const 1))
      (func (export "piaoyan_alloc") (param i32) (result i32) (call $malloc (local.get 0) (i32.const 1)))
      (func (export "piaoyan_free") (param i32 i32))
      (func (export "piaoyan_configure") (param i32 i32) (result i64)
        (global.set $configured (i32.const 1))
        (i64.const ${packed(1100, ok)}))
      (func (export "piaoyan_verify_configured") (param i32 i32) (result i64)
        (if (i32.and (global.get $configured) (i32.eqz (global.get $trapped)))
          (then (global.set $trapped (i32.const 1)) unreachable))
        (i64.const ${packed(1200, notConfigured)}))
      (func (export "__wbindgen_add_to_stack_pointer") (param i32) (result i32)
        (global.set $sp (i32.add (global.get $sp) (local.get 0)))
        (global.get $sp))
      (func $malloc (export "__wbindgen_export") (param i32 i32) (result i32)
        (local $p i32)
        (local.set $p (global.get $heap))
        (global.set $heap (i32.add (global.get $heap) (i32.add (local.get 0) (i32.const 8))))
        (local.get $p))
      (func (export "__wbindgen_export2") (param i32 i32 i32))
      (func (export "__wbindgen_export3") (param i32 i32 i32 i32) (result i32)
        (call $malloc (local.get 2) (local.get 3)))
      (func (export "__wbindgen_start"))
      (func $abc (param $ret i32)
        (i32.store (local.get $ret) (i32.const 1024))
        (i32.store offset=4 (local.get $ret) (i32.const 3)))
      (func (export "sha256Hex") (param i32 i32 i32) (call $abc (local.get 0)))
      (func (export "version") (param i32) (call $abc (local.get 0)))
      (func (export "verify") (param i32 i32 i32 i32 i32) unreachable))`;
  const mod = binaryen.parseText(wat);
  assert.ok(mod.validate());
  const bytes = mod.emitBinary();
  mod.dispose();
  return bytes;
}

test("a trap is PiaoyanError TRAP and the next call gets a fresh instance", async () => {
  const piaoyan = await import(join(PKG, "index.js"));
  const bytes = standIn();
  await piaoyan.init(bytes);
  assert.equal(piaoyan.moduleHash(), "abc", "moduleHash() is what the module computes over its own bytes");
  assert.notEqual(createHash("sha256").update(bytes).digest("hex"), "abc");
  for (let i = 0; i < 3; i++) {
    let error;
    try {
      piaoyan.verify(new Uint8Array([60, 120, 47, 62]));
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof piaoyan.PiaoyanError, String(error));
    assert.equal(error.code, "TRAP");
    assert.match(error.message, /internal error \(a WebAssembly trap\); it has been reset/);
    assert.doesNotMatch(error.message, /unreachable|panicked/);
    // The fresh instance answers.
    assert.equal(piaoyan.version(), "abc");
  }
});

test("a trap in a configured verifier is TRAP, and the next bill gets a fresh instance, configured again", async () => {
  const piaoyan = await import(join(PKG, "index.js"));
  await piaoyan.init(standIn());
  const verifier = piaoyan.createVerifier({ now: null });
  for (let i = 0; i < 3; i++) {
    let error;
    try {
      verifier.verify(new Uint8Array([60, 120, 47, 62]));
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof piaoyan.PiaoyanError, String(error));
    // The trapped instance again, or a fresh one not configured, would answer NOT_CONFIGURED.
    assert.equal(error.code, "TRAP", error.message);
    assert.match(error.message, /internal error \(a WebAssembly trap\); it has been reset/);
  }
});
