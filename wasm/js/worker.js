// piaoyan/worker: the verifier off the main thread. Loaded as a module Web
// Worker it serves its own global scope; in Node, a worker_threads file
// calls serve(parentPort). Each request `{id, bill, options}` is answered
// `{id, report}` or `{id, error: {code, message, field, index}}`, in the
// order asked. The module is instantiated once; the configured verifier
// (createVerifier) of the last options is kept, so a batch with the same
// trust parses it once.

import { PiaoyanError, createVerifier, init } from "./index.js";
import { isPort, listen } from "./port.js";
import { readOptions } from "./options.js";

/**
 * Answers requests arriving at `port` (a Web Worker's global scope, or
 * Node's parentPort). `source`: the module, as init() takes it (default:
 * the bundled bytes).
 */
export function serve(port, { source } = {}) {
  if (!isPort(port)) {
    throw new PiaoyanError("INPUT_TYPE", "serve() needs a port with postMessage and addEventListener or on");
  }
  const ready = init(source);
  ready.catch(() => {}); // reported with each request
  let kept = null; // { key, verifier }
  listen(port, "message", async (request) => {
    const id = request !== null && typeof request === "object" ? request.id : undefined;
    try {
      if (id === undefined) throw new PiaoyanError("INPUT_TYPE", "a request must be an object {id, bill, options}");
      await ready;
      const read = readOptions(request.options);
      const key = `${read.clock}${read.json}`;
      if (kept !== null && kept.key !== key) {
        kept.verifier.free();
        kept = null;
      }
      kept ??= { key, verifier: createVerifier(request.options) };
      port.postMessage({ id, report: kept.verifier.verify(request.bill) });
    } catch (e) {
      port.postMessage({ id: id ?? null, error: errorFields(e) });
    }
  });
}

function errorFields(e) {
  if (e instanceof PiaoyanError) return { code: e.code, message: e.message, field: e.field, index: e.index };
  return { code: "WORKER", message: `the worker failed: ${(e && e.message) || String(e)}`, field: null, index: null };
}

// A module Web Worker serves itself.
if (typeof WorkerGlobalScope === "function" && globalThis instanceof WorkerGlobalScope) {
  serve(globalThis);
}
