// Types of piaoyan/worker (worker.js): the verifier in a worker.

import type { ModuleSource, Options, Bytes, Report, ErrorCode } from "./index.js";

/** A request to the worker. */
export interface WorkerRequest {
  /** Any value except undefined; the answer carries it back. */
  id: unknown;
  bill: Bytes;
  options?: Options | null;
}

/** The worker's answer: the report, or the error verify() would throw. */
export type WorkerResponse =
  | { id: unknown; report: Report }
  | {
      id: unknown;
      error: { code: ErrorCode; message: string; field: string | null; index: number | null };
    };

/** What serve() listens on: a Web Worker's global scope, or Node's `parentPort`. */
export interface WorkerPortLike {
  postMessage(message: WorkerResponse): void;
  addEventListener?(type: "message", listener: (event: { data: unknown }) => void): void;
  on?(type: "message", listener: (value: unknown) => void): unknown;
}

/**
 * Answers `WorkerRequest`s arriving at `port`, in order, with
 * `WorkerResponse`s; the module is instantiated once (`source` as init()
 * takes it; default: the bundled bytes) and the verifier of the last
 * options kept (createVerifier), so a batch with the same trust parses it
 * once. A module Web Worker running this file serves itself; in Node, a
 * worker_threads file calls `serve(parentPort)`.
 */
export function serve(port: WorkerPortLike, options?: { source?: ModuleSource | null }): void;
