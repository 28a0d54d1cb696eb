// Piaoyan 票验: offline verification of China's fiscal electronic bills
// (财政电子票据) in JavaScript. The public API of the npm package; types in
// index.d.ts.
//
// The verifier is one WebAssembly module, the very bytes the `piaoyan` CLI
// embeds. By default the module comes from ./piaoyan_wasm_bytes.js (its bytes
// as base64), so loading it needs no fetch: it works in browsers under a
// Content-Security-Policy that forbids connect-src (given
// `script-src 'wasm-unsafe-eval'`), in Node and through bundlers alike.

import initGlue, * as glue from "./piaoyan_wasm.js";

/**
 * An error of a call: `code` is stable, `message` is English for people;
 * for options the verifier rejects, `field` ("trustAnchors",
 * "limits.maxDepth", …) and `index` (the entry of that field) say where,
 * null when the error has no such place.
 */
export class PiaoyanError extends Error {
  constructor(code, message, field = null, index = null) {
    super(message);
    this.name = "PiaoyanError";
    this.code = code;
    this.field = field;
    this.index = index;
  }
}

let ready = null; // { hash } once instantiated
let pending = null; // the promise of init()

/**
 * Instantiates the module: the bundled one when `source` is omitted, else
 * the given bytes of a module (ArrayBuffer or a typed array). Idempotent:
 * later calls return the first call's promise.
 */
export function init(source) {
  if (pending) return pending;
  pending = (async () => {
    let bytes;
    if (source === undefined || source === null) {
      const { default: base64 } = await import("./piaoyan_wasm_bytes.js");
      bytes = decodeBase64(base64);
    } else {
      bytes = toBytes(source, "the module");
    }
    try {
      await initGlue({ module_or_path: bytes });
    } catch (e) {
      throw new PiaoyanError("MODULE", `cannot instantiate the verifier module: ${e && e.message}`);
    }
    ready = { hash: glue.sha256Hex(bytes) };
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

/** Verifies one bill (the file's bytes); returns the report. */
export function verify(bill, options) {
  const bytes = toBytes(bill, "the bill");
  return call(() => answer(glue.verify(bytes, optionsJson(options)), true));
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
 * what `piaoyan --version` prints for the module it embeds.
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

const OPTION_KEYS = ["trustAnchors", "certificates", "crls", "now", "limits"];
const LIMIT_KEYS = [
  "maxInputBytes",
  "maxDepth",
  "maxElements",
  "maxItems",
  "maxTextBytes",
  "maxPackageBytes",
  "maxZipEntries",
  "maxZipEntryBytes",
  "maxZipTotalBytes",
  "maxZipRatio",
  "maxZipPathBytes",
  "maxOfdSignatures",
];
const ENTRY = "a string (PEM or base64 DER) or a Uint8Array (DER)";
const USIZE_MAX = 4294967295; // usize of wasm32

function optionsError(message) {
  return new PiaoyanError("OPTIONS_TYPE", message);
}

function shapeError(message) {
  return optionsError(`options are not of the expected shape: ${message}`);
}

/** The value as serde names an unexpected one ("floating point `1.5`"). */
function unexpected(value) {
  if (value === undefined || value === null) return "unit value";
  if (typeof value === "boolean") return `boolean \`${value}\``;
  if (typeof value === "bigint") return `integer \`${value}\``;
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "floating point `NaN`";
    if (!Number.isFinite(value)) return `floating point \`${value < 0 ? "-inf" : "inf"}\``;
    const text = Number.isInteger(value) ? `${BigInt(value)}.0` : String(value);
    return `floating point \`${text}\``;
  }
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  if (Array.isArray(value)) return "sequence";
  return "map";
}

function checkObject(value, what, allowed) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw optionsError(`${what} must be an object`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw optionsError(`unknown field \`${key}\` in ${what}, expected one of ${allowed.join(", ")}`);
    }
  }
}

function entryText(entry) {
  if (typeof entry === "string") return entry;
  if (entry instanceof Uint8Array) return encodeBase64(entry);
  if (entry instanceof ArrayBuffer) return encodeBase64(new Uint8Array(entry));
  const what =
    typeof entry === "number" && Number.isSafeInteger(entry) ? `integer \`${entry}\`` : unexpected(entry);
  throw shapeError(`invalid type: ${what}, expected ${ENTRY}`);
}

function integer(value, expected, min, max) {
  if (typeof value === "bigint") {
    if (value < BigInt(min) || value > BigInt(max)) {
      throw shapeError(`invalid value: integer \`${value}\`, expected ${expected}`);
    }
    return value;
  }
  if (typeof value !== "number" || !Number.isSafeInteger(value) || (min === 0 && value < 0)) {
    throw shapeError(`invalid type: ${unexpected(value)}, expected ${expected}`);
  }
  if (value > max) throw shapeError(`invalid value: integer \`${value}\`, expected ${expected}`);
  return value;
}

/**
 * The options JSON of the C-style ABI (docs/abi.md) for verify()'s options
 * object: DER bytes become base64; anything of the wrong shape is a
 * PiaoyanError OPTIONS_TYPE (a misspelt `trustAnchor` must not silently
 * verify with no trust at all).
 */
function optionsJson(options) {
  if (options === undefined || options === null) return "";
  if (typeof options !== "object" || Array.isArray(options)) {
    throw optionsError(
      "options must be an object such as {trustAnchors: [...], certificates: [...], crls: [...]}",
    );
  }
  checkObject(options, "options", OPTION_KEYS);
  for (const list of ["trustAnchors", "certificates", "crls"]) {
    const entries = options[list];
    if (!(entries === undefined || entries === null || Array.isArray(entries))) {
      throw optionsError(
        `options.${list} must be an array of strings (PEM or base64 DER) or Uint8Arrays (DER)`,
      );
    }
  }
  const limits = options.limits;
  if (limits !== undefined && limits !== null) checkObject(limits, "options.limits", LIMIT_KEYS);
  // Then the values, in the object's key order.
  const parts = [];
  for (const key of Object.keys(options)) {
    const value = options[key];
    if (value === undefined || value === null) continue;
    let json;
    if (key === "now") {
      json = String(integer(value, "i64", "-9223372036854775808", "9223372036854775807"));
    } else if (key === "limits") {
      const fields = Object.keys(value).map(
        (k) => `"${k}":${integer(value[k], "usize", 0, USIZE_MAX)}`,
      );
      json = `{${fields.join(",")}}`;
    } else {
      json = JSON.stringify(Array.from(value, entryText));
    }
    parts.push(`"${key}":${json}`);
  }
  return `{${parts.join(",")}}`;
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

function toBytes(value, what) {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  throw new PiaoyanError(
    "INPUT_TYPE",
    `${what} must be bytes (a Uint8Array or an ArrayBuffer), got ${describe(value)}`,
  );
}

function describe(value) {
  if (value === null) return "null";
  if (typeof value === "object") return (value.constructor && value.constructor.name) || "object";
  return typeof value;
}

function encodeBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
