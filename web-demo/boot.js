// Starts the verifier's worker as the page begins to load, before the
// page's own modules (app.js and its imports) have arrived: compiling the
// module in the worker then overlaps loading the page. A classic script,
// run from <head>. The worker may say it is ready (or fail) before app.js
// listens, and a message nobody listens to is lost: so this keeps the
// first such word in `window.piaoyanBoot.started`, a promise app.js reads.
"use strict";
(function () {
  var worker;
  try {
    worker = new Worker("verify-worker.js", { type: "module" });
  } catch (e) {
    return; // app.js starts one itself
  }
  var started = new Promise(function (resolve) {
    worker.addEventListener("message", function (ev) {
      if (ev.data && "ready" in ev.data) resolve(ev.data);
    });
    worker.addEventListener("error", function (e) {
      resolve({ ready: false, error: { code: "MODULE", message: e.message || "worker failed" } });
    });
  });
  window.piaoyanBoot = { worker: worker, started: started };
})();
