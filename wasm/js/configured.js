// createVerifier(): a verifier configured once, on the module's C-style ABI
// (docs/abi.md, "Configured verification"). Each verifier has a WebAssembly
// instance of its own (instances share nothing), so any number can live
// side by side, each with its own trust; the options are parsed and the
// trust built once, by piaoyan_configure, and each bill goes through
// piaoyan_verify_configured: the report verify(bill, options) gives, byte
// for byte.

import { PiaoyanError } from "./error.js";
import { toBytes } from "./bytes.js";
import { currentSeconds, optionsJson } from "./options.js";

const ABI_VERSION = 1;
const EXPORTS = ["memory", "piaoyan_abi_version", "piaoyan_alloc", "piaoyan_free", "piaoyan_configure", "piaoyan_verify_configured"];
/** An instance whose memory grew past this after a bill is replaced (as the CLI does). */
const MEMORY_CAP = 64 << 20;
const DISPOSE = typeof Symbol.dispose === "symbol" ? Symbol.dispose : Symbol.for("Symbol.dispose");

/**
 * A verifier for `read` (readOptions' result) on `module`. Throws the
 * OPTIONS_* error verify() would throw for these options.
 */
export function configuredVerifier(module, read) {
  let instance = null;
  let configuredAt = null; // the `now` configured when the clock sets it
  let counts = null;
  let freed = false;

  const configure = () => {
    instance = null;
    const fresh = instantiate(module);
    const seconds = currentSeconds();
    const json = new TextEncoder().encode(optionsJson(read, seconds));
    const envelope = call(() => {
      const [ptr, len] = put(fresh, json);
      try {
        return take(fresh, fresh.piaoyan_configure(ptr, len));
      } finally {
        fresh.piaoyan_free(ptr, len);
      }
    });
    if (envelope.error) throw errorOf(envelope.error);
    instance = fresh;
    configuredAt = seconds;
    counts = envelope.ok;
  };

  const verify = (bill) => {
    const bytes = toBytes(bill, "the bill");
    if (freed) throw new PiaoyanError("FREED", "this verifier has been freed; make another with createVerifier()");
    // The time of each bill, as verify(bill, options) takes it: a new
    // second configures a fresh instance when the clock gives `now`.
    if (instance === null || (read.clock && currentSeconds() !== configuredAt)) configure();
    const current = instance;
    let envelope;
    try {
      envelope = call(() => {
        const [ptr, len] = put(current, bytes);
        try {
          return take(current, current.piaoyan_verify_configured(ptr, len));
        } finally {
          current.piaoyan_free(ptr, len);
        }
      });
    } catch (e) {
      if (e instanceof PiaoyanError && e.code === "TRAP") instance = null; // the next bill gets a fresh one
      throw e;
    }
    if (current.memory.buffer.byteLength > MEMORY_CAP) instance = null;
    if (envelope.error) throw errorOf(envelope.error);
    return envelope.report;
  };

  const free = () => {
    freed = true;
    instance = null;
  };

  configure();
  return {
    get trustAnchors() {
      return counts.trustAnchors;
    },
    get certificates() {
      return counts.certificates;
    },
    get crls() {
      return counts.crls;
    },
    verify,
    free,
    [DISPOSE]: free,
  };
}

/**
 * A new instance's exports. The ABI calls no import; should the module
 * import functions, each throws when called (a trap for this ABI).
 */
function instantiate(module) {
  const imports = {};
  for (const i of WebAssembly.Module.imports(module)) {
    if (i.kind !== "function") {
      throw new PiaoyanError("MODULE", `the verifier module imports a ${i.kind} (${i.module}.${i.name}); it should import none`);
    }
    (imports[i.module] ??= {})[i.name] = () => {
      throw new Error(`the verifier module called its import ${i.module}.${i.name}`);
    };
  }
  let exports;
  try {
    exports = new WebAssembly.Instance(module, imports).exports;
  } catch (e) {
    throw new PiaoyanError("MODULE", `cannot instantiate the verifier module: ${e && e.message}`);
  }
  for (const name of EXPORTS) {
    if (!(name in exports)) {
      throw new PiaoyanError("MODULE", `the verifier module has no export ${name} (an older module?)`);
    }
  }
  const abi = exports.piaoyan_abi_version();
  if (abi !== ABI_VERSION) {
    throw new PiaoyanError("MODULE", `the verifier module speaks ABI ${abi}, this package ${ABI_VERSION}`);
  }
  return exports;
}

/** Runs calls into one instance; any exception inside one is a trap that costs the instance. */
function call(f) {
  try {
    return f();
  } catch (e) {
    if (e instanceof PiaoyanError) throw e;
    throw new PiaoyanError(
      "TRAP",
      "the verifier stopped on an internal error (a WebAssembly trap); it has been reset",
    );
  }
}

function put(exports, bytes) {
  const ptr = exports.piaoyan_alloc(bytes.length);
  if (ptr === 0) throw new PiaoyanError("OUT_OF_MEMORY", "the verifier could not allocate a buffer");
  new Uint8Array(exports.memory.buffer, ptr, bytes.length).set(bytes);
  return [ptr, bytes.length];
}

/** The envelope of a packed (ptr, len) result, freed. */
function take(exports, packed) {
  const bits = BigInt.asUintN(64, packed);
  if (bits === 0n) throw new PiaoyanError("OUT_OF_MEMORY", "the verifier could not allocate its result");
  const [at, len] = [Number(bits >> 32n), Number(bits & 0xffffffffn)];
  const text = new TextDecoder().decode(new Uint8Array(exports.memory.buffer, at, len));
  exports.piaoyan_free(at, len);
  try {
    return JSON.parse(text);
  } catch {
    throw new PiaoyanError("REPORT_JSON", "the verifier produced JSON that JavaScript cannot read");
  }
}

function errorOf(error) {
  return new PiaoyanError(error.code, error.message, error.field ?? null, error.index ?? null);
}
