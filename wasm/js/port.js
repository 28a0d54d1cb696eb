// The two kinds of message port the worker entry and its client speak
// through: a Web Worker (or its global scope) with addEventListener and
// events carrying `data`, and Node's worker_threads (a Worker, or
// parentPort) with on() and the value itself.

/** Calls `listener(value)` for each event `type` ("message", "error", "exit") of `port`. */
export function listen(port, type, listener) {
  if (typeof port.on === "function") {
    port.on(type, listener);
  } else if (typeof port.addEventListener === "function") {
    port.addEventListener(type, (event) => listener(type === "message" ? event.data : event));
  }
}

/** Whether `port` can be spoken to: postMessage and a way to listen. */
export function isPort(port) {
  return (
    port !== null &&
    typeof port === "object" &&
    typeof port.postMessage === "function" &&
    (typeof port.on === "function" || typeof port.addEventListener === "function")
  );
}
