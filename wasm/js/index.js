// Piaoyan 票验: offline verification of China's fiscal electronic bills
// (财政电子票据) in JavaScript. The public API of the npm package; types in
// index.d.ts.
//
// The verifier is one WebAssembly module, the very bytes the `piaoyan` CLI
// embeds. By default the module comes from ./piaoyan_wasm_bytes.js (its bytes
// as base64), so loading it needs no fetch: it works in browsers under a
// Content-Security-Policy that forbids connect-src (given
// `script-src 'wasm-unsafe-eval'`), in Node and through bundlers alike.
// init() also takes the module as a compiled WebAssembly.Module (edge
// runtimes that forbid compiling bytes), a URL or a Response (compiled as
// it streams in).

import * as glue from "./piaoyan_wasm.js";
import { PiaoyanError, describe } from "./error.js";
import { decodeBase64, toBytes } from "./bytes.js";
import { compileSource } from "./load.js";
import { currentSeconds, optionsJson, readOptions } from "./options.js";
import { configuredVerifier } from "./configured.js";

export { PiaoyanError } from "./error.js";
export { createWorkerVerifier } from "./client.js";

/**
 * Verifies and draws one bill or OFD document as SVG pages (render.js,
 * docs/render.md). Needs no init(): the render module, a second module,
 * is loaded on the first call only.
 */
export async function render(input, options) {
  const { render: draw } = await import("./render.js");
  return draw(input, options);
}

let ready = null; // { module, hash } once instantiated
let pending = null; // the promise of init()

/**
 * Instantiates the module: the bundled one when `source` is omitted, else
 * the module given as bytes, a compiled WebAssembly.Module, a URL, a
 * Response or a promise of one (load.js). Idempotent: later calls return
 * the first call's promise.
 */
export function init(source) {
  if (pending) return pending;
  pending = (async () => {
    const { module, bytes } = await compileSource(source);
    try {
      // new WebAssembly.Instance: what edge runtimes allow, and what the
      // glue does again after a trap.
      glue.initSync({ module });
    } catch (e) {
      throw new PiaoyanError("MODULE", `cannot instantiate the verifier module: ${e && e.message}`);
    }
    ready = { module, hash: bytes ? glue.sha256Hex(bytes) : null };
  })();
  pending.catch(() => {
    pending = null;
  });
  return pending;
}

/** Whether init() has finished. */
export function isReady() {
  return ready !== null;
}

/**
 * Verifies one bill (the file's bytes); returns the report. `now` absent
 * from the options: the current time.
 */
export function verify(bill, options) {
  const bytes = toBytes(bill, "the bill");
  const json = optionsJson(readOptions(options), currentSeconds());
  return call(() => answer(glue.verify(bytes, json), true));
}

/**
 * A verifier for many bills with the same options: the options are read
 * and the trust built once (configured.js). Same errors as verify().
 */
export function createVerifier(options) {
  const read = readOptions(options);
  return call(() => configuredVerifier(ready.module, read));
}

/** Parses one bill without verifying it; returns the bill. */
export function parse(bill) {
  const bytes = toBytes(bill, "the bill");
  return call(() => answer(glue.parse(bytes), true));
}

/** The verifier version, e.g. "0.1.0". */
export function version() {
  return call(() => glue.version());
}

/**
 * SHA-256 (lower-case hex) of the module bytes this package instantiated:
 * what `piaoyan --version` prints for the module it embeds; null when
 * init() was given a compiled WebAssembly.Module (its bytes never passed
 * through here).
 */
export function moduleHash() {
  return call(() => ready.hash);
}

/** Summary of one certificate (DER bytes, or a string holding one PEM block). */
export function describeCertificate(certificate) {
  const der = derOf(certificate, "CERTIFICATE");
  return call(() => answer(glue.describeCertificate(der), true));
}

/** Summary of one CRL (DER bytes, or a string holding one PEM block). */
export function describeCrl(crl) {
  const der = derOf(crl, "X509 CRL");
  return call(() => answer(glue.describeCrl(der), true));
}

/** The canonical capital spelling (大写) of an amount in fen: 21710 → 贰佰壹拾柒元壹角整. */
export function spellAmount(fen) {
  if (typeof fen !== "number") {
    throw new PiaoyanError("INPUT_TYPE", `the amount must be a number of fen, got ${describe(fen)}`);
  }
  return call(() => answer(glue.spellAmount(fen), false));
}

/**
 * Every PEM block of `text` as { label, der }, in order, read by the
 * verifier's own PEM reader (the one that reads the options), through the
 * module's C-style export `piaoyan_pem_blocks` (docs/abi.md, "Splitting
 * PEM"). Throws PiaoyanError PEM on a block without its END line or with
 * bad base64.
 */
export function pemBlocks(text) {
  if (typeof text !== "string") {
    throw new PiaoyanError("INPUT_TYPE", `PEM text must be a string, got ${describe(text)}`);
  }
  const bytes = new TextEncoder().encode(text);
  const envelope = call(() => {
    const abi = glue.initSync(); // the instance's exports, the C-style ABI among them
    const ptr = abi.piaoyan_alloc(bytes.length);
    if (ptr === 0) throw new PiaoyanError("OUT_OF_MEMORY", "the verifier could not allocate a buffer");
    new Uint8Array(abi.memory.buffer, ptr, bytes.length).set(bytes);
    const packed = BigInt.asUintN(64, abi.piaoyan_pem_blocks(ptr, bytes.length, 0, 0));
    abi.piaoyan_free(ptr, bytes.length);
    if (packed === 0n) throw new PiaoyanError("OUT_OF_MEMORY", "the verifier could not allocate its result");
    const [at, len] = [Number(packed >> 32n), Number(packed & 0xffffffffn)];
    const json = new TextDecoder().decode(new Uint8Array(abi.memory.buffer, at, len));
    abi.piaoyan_free(at, len);
    return JSON.parse(json);
  });
  if (envelope.error) throw new PiaoyanError(envelope.error.code, envelope.error.message);
  return envelope.ok.map((b) => ({ label: b.label, der: decodeBase64(b.der) }));
}

// The module's wasm-bindgen bindings answer a string: the answer (JSON when
// `json`), or "!" + code + "\n" + field + "\n" + index + "\n" + message for a
// failure, field and index empty when there is none (wasm/src/js.rs).
function answer(text, json) {
  if (text.startsWith("!")) {
    const [code, field, index] = text.slice(1).split("\n", 3);
    const message = text.slice(code.length + field.length + index.length + 4);
    throw new PiaoyanError(code, message, field || null, index === "" ? null : Number(index));
  }
  if (!json) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new PiaoyanError("REPORT_JSON", "the verifier produced JSON that JavaScript cannot read");
  }
}

function call(f) {
  if (ready === null) {
    throw new PiaoyanError("NOT_INITIALIZED", "call and await init() first");
  }
  try {
    return f();
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      // A trap (a panic inside the verifier is one): the instance may hold
      // half-done state, so the next call gets a fresh one.
      glue.__wbg_reset_state();
      throw new PiaoyanError(
        "TRAP",
        "the verifier stopped on an internal error (a WebAssembly trap); it has been reset",
      );
    }
    throw e;
  }
}

function derOf(value, label) {
  if (typeof value === "string") {
    const blocks = pemBlocks(value).filter((b) => b.label === label);
    if (blocks.length !== 1) {
      throw new PiaoyanError(
        "PEM",
        `expected exactly one PEM block labelled ${label}, found ${blocks.length}`,
      );
    }
    return blocks[0].der;
  }
  return toBytes(value, `the ${label === "CERTIFICATE" ? "certificate" : "CRL"}`);
}
