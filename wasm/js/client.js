// createWorkerVerifier(): promises over a worker that runs piaoyan/worker.

import { PiaoyanError, describe } from "./error.js";
import { isBytes } from "./bytes.js";
import { isPort, listen } from "./port.js";

/**
 * A client of a worker running piaoyan/worker: a Worker (Web or Node's
 * worker_threads) already started, or the URL of the worker module (a
 * module Web Worker is started for it).
 */
export function createWorkerVerifier(worker) {
  if ((typeof URL === "function" && worker instanceof URL) || typeof worker === "string") {
    if (typeof Worker !== "function") {
      throw new PiaoyanError("INPUT_TYPE", "this runtime has no Web Worker: start one (worker_threads) and pass it");
    }
    worker = new Worker(worker, { type: "module" });
  }
  if (!isPort(worker)) {
    throw new PiaoyanError("INPUT_TYPE", `the worker must be a Worker or a URL, got ${describe(worker)}`);
  }
  const pending = new Map(); // id → { resolve, reject }
  let next = 1;
  let closed = null; // the PiaoyanError every later call gets

  const close = (error) => {
    closed ??= error;
    for (const { reject } of pending.values()) reject(closed);
    pending.clear();
  };

  listen(worker, "message", (answer) => {
    const call = answer && pending.get(answer.id);
    if (!call) return;
    pending.delete(answer.id);
    if (answer.error) {
      const { code, message, field, index } = answer.error;
      call.reject(new PiaoyanError(code, message, field ?? null, index ?? null));
    } else {
      call.resolve(answer.report);
    }
  });
  listen(worker, "error", (e) => {
    close(new PiaoyanError("WORKER", `the worker failed: ${(e && e.message) || String(e)}`));
  });
  listen(worker, "messageerror", () => {
    close(new PiaoyanError("WORKER", "a message from the worker could not be read"));
  });
  listen(worker, "exit", (code) => close(new PiaoyanError("WORKER", `the worker exited (code ${code})`)));

  return {
    verify(bill, options) {
      if (closed) return Promise.reject(closed);
      if (!isBytes(bill)) {
        return Promise.reject(
          new PiaoyanError("INPUT_TYPE", `the bill must be bytes (a Uint8Array or an ArrayBuffer), got ${describe(bill)}`),
        );
      }
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        try {
          worker.postMessage({ id, bill, options });
        } catch (e) {
          pending.delete(id);
          reject(new PiaoyanError("OPTIONS_TYPE", `the options cannot be sent to the worker: ${(e && e.message) || e}`));
        }
      });
    },
    terminate() {
      close(new PiaoyanError("WORKER", "the worker was terminated"));
      if (typeof worker.terminate === "function") worker.terminate();
    },
  };
}
