// Where the verifier module comes from: init()'s `source` made into a
// compiled WebAssembly.Module, with the module's bytes when they pass
// through here (for moduleHash()).

import { PiaoyanError, describe } from "./error.js";
import { decodeBase64, isBytes, toBytes } from "./bytes.js";

const SOURCES =
  "bytes (a Uint8Array or an ArrayBuffer), a WebAssembly.Module, a URL, a Response or a promise of one";

/**
 * `{ module, bytes }` for a source of init(): omitted, the bundled bytes;
 * bytes; a compiled WebAssembly.Module (bytes null: edge runtimes that
 * forbid compiling bytes pass one); a URL (fetched); a Response or a
 * promise of one (compiled as it streams in when served as
 * application/wasm). Every failure is a PiaoyanError: INPUT_TYPE for a
 * source of another kind, MODULE when the module cannot be had or compiled.
 */
export async function compileSource(source) {
  if (source === undefined || source === null) {
    const { default: base64 } = await import("./piaoyan_wasm_bytes.js");
    return compileBytes(decodeBase64(base64));
  }
  if (source instanceof WebAssembly.Module) return { module: source, bytes: null };
  if (isBytes(source)) return compileBytes(toBytes(source, "the module"));
  if (typeof URL === "function" && source instanceof URL) return compileResponse(await fetchModule(source));
  if (isResponse(source)) return compileResponse(source);
  if (source !== null && typeof source === "object" && typeof source.then === "function") {
    let response;
    try {
      response = await source;
    } catch (e) {
      throw new PiaoyanError("MODULE", `cannot fetch the verifier module: ${messageOf(e)}`);
    }
    if (!isResponse(response)) {
      throw new PiaoyanError("INPUT_TYPE", `the module's promise must give a Response, got ${describe(response)}`);
    }
    return compileResponse(response);
  }
  const hint = typeof source === "string" ? " (for a URL, pass new URL(text, import.meta.url))" : "";
  throw new PiaoyanError("INPUT_TYPE", `the module must be ${SOURCES}, got ${describe(source)}${hint}`);
}

function isResponse(value) {
  return typeof Response === "function" && value instanceof Response;
}

async function fetchModule(url) {
  if (typeof fetch !== "function") {
    throw new PiaoyanError("MODULE", `cannot fetch the verifier module from ${url}: this runtime has no fetch`);
  }
  try {
    return await fetch(url);
  } catch (e) {
    const hint = url.protocol === "file:" ? " (where fetch cannot read file: URLs, pass the file's bytes)" : "";
    throw new PiaoyanError("MODULE", `cannot fetch the verifier module from ${url}${hint}: ${messageOf(e)}`);
  }
}

async function compileBytes(bytes) {
  try {
    return { module: await WebAssembly.compile(bytes), bytes };
  } catch (e) {
    throw new PiaoyanError("MODULE", `cannot compile the verifier module: ${messageOf(e)}`);
  }
}

/**
 * Streams the module into WebAssembly.compileStreaming when the response's
 * Content-Type is exactly application/wasm (compileStreaming in some
 * runtimes takes no other spelling, not even with parameters); otherwise
 * reads the bytes and compiles them. Either way the bytes are kept for
 * the hash.
 */
async function compileResponse(response) {
  const where = response.url ? ` from ${response.url}` : "";
  if (!response.ok) {
    throw new PiaoyanError(
      "MODULE",
      `cannot fetch the verifier module${where}: HTTP ${response.status} ${response.statusText}`.trimEnd(),
    );
  }
  if (response.bodyUsed) {
    throw new PiaoyanError("INPUT_TYPE", `the module's Response${where} has already been read`);
  }
  const type = (response.headers.get("content-type") || "").trim();
  try {
    if (type === "application/wasm" && typeof WebAssembly.compileStreaming === "function") {
      const copy = response.clone();
      const [module, buffer] = await Promise.all([WebAssembly.compileStreaming(response), copy.arrayBuffer()]);
      return { module, bytes: new Uint8Array(buffer) };
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { module: await WebAssembly.compile(bytes), bytes };
  } catch (e) {
    throw new PiaoyanError("MODULE", `cannot compile the verifier module${where}: ${messageOf(e)}`);
  }
}

function messageOf(e) {
  return (e && e.message) || String(e);
}
