// The payer's page: pick, drop or paste bills, verify them on this device in
// a Web Worker (verify-worker.js over the Piaoyan package, pkg/), show each
// verdict in one of five states and the bill as it reads on paper. Trust
// comes from the deploy-time bundle (trust/bundle.js), roots the user added
// (kept in IndexedDB) and, opt-in, the demo bundle. Nothing leaves the
// device: the CSP forbids connect-src.

import * as demoTrust from "./trust/demo-trust.js";
import deployBundle from "./trust/bundle.js";
import * as store from "./store.js";
import { beijingTime, commonName, yuan } from "./format.js";
import { $, State, h, renderCard, stateOf, t, tf, view } from "./view.js";

/** Files past this size are not read at all (the core's package bound, 64 MiB). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

const params = new URLSearchParams(location.search);
view.lang = params.get("lang") === "en" ? "en" : "zh";

// ---------------------------------------------------------------------------
// The worker

performance.mark("piaoyan:script");
// Started by boot.js while this module graph loaded (with the worker's
// first word kept there); here, where boot.js did not run.
const boot = window.piaoyanBoot || startWorker();
const worker = boot.worker;
const calls = new Map();
let callId = 0;
worker.addEventListener("message", (ev) => {
  const msg = ev.data;
  const call = calls.get(msg.id);
  if (!call) return;
  calls.delete(msg.id);
  if (msg.error) call.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
  else call.resolve(msg.result);
});
const ready = boot.started.then((msg) => {
  if (!msg.ready) throw new Error(msg.error.message);
  performance.mark("piaoyan:worker-ready");
});

function startWorker() {
  const w = new Worker(new URL("./verify-worker.js", import.meta.url), { type: "module" });
  const started = new Promise((resolve) => {
    w.addEventListener("message", (ev) => "ready" in ev.data && resolve(ev.data));
    w.addEventListener("error", (e) => resolve({ ready: false, error: { code: "MODULE", message: e.message || "worker failed" } }));
  });
  return { worker: w, started };
}

function call(op, args) {
  return new Promise((resolve, reject) => {
    const id = ++callId;
    calls.set(id, { resolve, reject });
    worker.postMessage({ id, op, ...args });
  });
}

// ---------------------------------------------------------------------------
// State

/** @type {{id:number,name:string,bytes?:Uint8Array,size:number,tooLarge?:boolean,report?:object,error?:object,sha256?:string,crlf?:boolean,spelledTotal?:string,verifiedAt?:number,seenBefore?:object}[]} */
let bills = [];
let nextId = 1;
/** Trust entries: {kind: anchor|intermediate|crl, der, summary, origin: bundle|user|demo, file, label, addedAt, sha256}. */
let bundleEntries = [];
let demoEntries = [];
let userEntries = [];
let firstVerdictMarked = false;

const useDemo = () => $("use-demo").checked;

function trustOptions() {
  const all = [...bundleEntries, ...userEntries, ...(useDemo() ? demoEntries : [])];
  const of = (kind) => all.filter((e) => e.kind === kind).map((e) => e.der);
  return { trustAnchors: of("anchor"), certificates: of("intermediate"), crls: of("crl"), now: Math.floor(Date.now() / 1000) };
}

// ---------------------------------------------------------------------------
// Trust material

/** Entries from one file's text or bytes: certificates and CRLs, described by the worker. */
async function entriesOf(bytes, { origin, file, label, kindHint, addedAt }) {
  const described = await call("describe", { bytes });
  return described
    .filter((d) => d.summary)
    .map((d) => ({
      kind: d.label === "X509 CRL" ? "crl" : kindHint || (d.summary.selfIssued ? "anchor" : "intermediate"),
      der: d.der,
      summary: d.summary,
      sha256: d.summary.sha256,
      origin,
      file,
      label,
      addedAt,
    }));
}

const utf8 = (s) => new TextEncoder().encode(s);

// The roots a user added, read from IndexedDB while the worker starts.
const storedUserTrust = store.userTrust().catch(() => []);

async function loadTrust() {
  // All requests at once: the worker answers them in order, the page waits once.
  const bundle = [[deployBundle.roots, "anchor"], [deployBundle.intermediates, "intermediate"], [deployBundle.crls, null]].flatMap(([list, kind]) =>
    list.map((f) => entriesOf(utf8(f.pem), { origin: "bundle", file: f.file, label: f.label, kindHint: kind })),
  );
  const demo = [[demoTrust.roots, "anchor", "roots.pem"], [demoTrust.intermediates, "intermediate", "intermediates.pem"], [demoTrust.crls, null, "crls.pem"]].map(
    ([pem, kind, file]) => entriesOf(utf8(pem), { origin: "demo", file, kindHint: kind }),
  );
  bundleEntries = (await Promise.all(bundle)).flat();
  demoEntries = (await Promise.all(demo)).flat();
  userEntries = (await storedUserTrust).map((e) => ({ ...e, origin: "user" }));
}

async function addTrustFiles(files) {
  const notes = [];
  const known = new Set(userEntries.map((e) => e.sha256));
  for (const file of files) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let added = 0;
    try {
      const entries = await entriesOf(bytes, { origin: "user", file: file.name, addedAt: Date.now() });
      for (const e of entries) {
        if (known.has(e.sha256)) {
          notes.push(`${file.name}${t("colon")}${commonName(e.summary.subject || e.summary.issuer)} ${t("duplicate")}`);
          continue;
        }
        known.add(e.sha256);
        userEntries.push(e);
        await store.keepTrust({ sha256: e.sha256, der: e.der, summary: e.summary, kind: e.kind, file: e.file, addedAt: e.addedAt });
        added++;
      }
      notes.push(added ? `${t("added")} ${added} · ${file.name}` : `${file.name} ${t("notTrust")}`);
    } catch (e) {
      notes.push(`${file.name}${t("colon")}${e.message}`);
    }
  }
  $("trust-notice").textContent = notes.join("  ");
  renderTrust();
  await reverifyAll();
}

function trustItem(e) {
  const s = e.summary;
  const title = e.kind === "crl" ? commonName(s.issuer) : commonName(s.subject);
  const what = `${t(e.kind)}${e.label ? ` · ${e.label}` : ""}`;
  const where = e.origin === "user" ? tf("addedOn", { file: e.file, date: beijingTime(e.addedAt, view.lang) }) : e.file;
  const controls = [];
  if (e.origin === "user") {
    if (e.kind !== "crl") {
      controls.push(
        h(
          "label",
          { class: "use-as" },
          `${t("useAs")} `,
          h(
            "select",
            {
              "aria-label": `${t("useAs")}${t("colon")}${title}`,
              onchange: async (ev) => {
                e.kind = ev.target.value;
                await store.keepTrust({ sha256: e.sha256, der: e.der, summary: e.summary, kind: e.kind, file: e.file, addedAt: e.addedAt });
                renderTrust();
                await reverifyAll();
              },
            },
            ["anchor", "intermediate"].map((k) => h("option", { value: k, selected: e.kind === k, text: t(k) })),
          ),
        ),
      );
    }
    controls.push(
      h("button", {
        type: "button",
        class: "button small",
        text: t("remove"),
        "aria-label": `${t("remove")}${t("colon")}${title}`,
        onclick: async () => {
          userEntries = userEntries.filter((x) => x !== e);
          await store.dropTrust(e.sha256);
          renderTrust();
          await reverifyAll();
        },
      }),
    );
  }
  return h(
    "li",
    { class: `trust-entry kind-${e.kind} origin-${e.origin}` },
    h("div", { class: "trust-main" }, h("strong", { text: title }), h("span", { class: "muted small", text: `${what} · ${where}` })),
    controls.length ? h("div", { class: "trust-actions" }, controls) : h("span", { class: "badge", text: t(e.kind) }),
  );
}

function renderTrust() {
  const name = [deployBundle.name, deployBundle.publisher].filter(Boolean).join(" · ");
  $("bundle-name").textContent = name;
  $("bundle-list").replaceChildren(...(bundleEntries.length ? bundleEntries.map(trustItem) : [h("li", { class: "notice", text: t("bundleNone") })]));
  $("trust-list").replaceChildren(...(userEntries.length ? userEntries.map(trustItem) : [h("li", { class: "notice", text: t("userRootsNone") })]));
  $("demo-list").replaceChildren(...(useDemo() ? demoEntries.map(trustItem) : []));
  const anyAnchor = [...bundleEntries, ...userEntries, ...(useDemo() ? demoEntries : [])].some((e) => e.kind === "anchor");
  $("no-anchor").hidden = anyAnchor;
}

// ---------------------------------------------------------------------------
// Verifying

async function verifyEntry(entry) {
  if (entry.tooLarge) return;
  try {
    const out = await call("verify", { bytes: entry.bytes, options: trustOptions() });
    Object.assign(entry, out, { error: undefined, verifiedAt: Date.now() });
  } catch (e) {
    Object.assign(entry, { report: undefined, error: { code: e.code || "ERROR", message: e.message }, verifiedAt: Date.now() });
  }
  // The marks of a drawing are this verification's: drawn anew when shown.
  for (const k of ["drawn", "pages", "drawMs", "drawError", "shownAt", "shownToDrawnMs"]) delete entry[k];
}

async function checkHistory(entry) {
  const key = entry.report?.billKey;
  if (!key || entry.report.notABill) return;
  const earlier = await store.historyOf(key);
  entry.seenBefore = earlier.length ? earlier[0] : null;
  await store.remember({ billKey: key, file: entry.name, verdict: stateOf(entry), at: entry.verifiedAt, sha256: entry.sha256 });
}

function setProgress(i, n) {
  $("progress").textContent = n > 1 ? tf("progress", { i, n }) : i < n ? t("verifying") : "";
}

async function addBills(files) {
  const list = [...files];
  if (!list.length) return;
  await started;
  const fresh = list.map((f) => ({ id: nextId++, name: f.name, size: f.size, file: f, tooLarge: f.size > MAX_FILE_BYTES }));
  bills = [...fresh, ...bills];
  let done = 0;
  setProgress(0, fresh.length);
  for (const entry of fresh) {
    if (!entry.tooLarge) entry.bytes = new Uint8Array(await entry.file.arrayBuffer());
    else entry.verifiedAt = Date.now();
    delete entry.file;
    await verifyEntry(entry);
    done++;
    setProgress(done, fresh.length);
    if (!firstVerdictMarked) {
      firstVerdictMarked = true;
      renderResults();
      performance.mark("piaoyan:first-verdict");
    } else if (done === fresh.length || done % 10 === 0) {
      renderResults();
    }
    // The history (IndexedDB) after the verdict is on screen: its warning
    // comes with the render below.
    await checkHistory(entry);
  }
  renderResults();
  setProgress(0, 0);
  announce(fresh);
  refreshHistoryCount();
}

async function reverifyAll() {
  for (const b of bills) await verifyEntry(b);
  renderResults();
}

/** Tells screen readers the outcome and moves focus to it. */
function announce(fresh) {
  const box = $("announce");
  if (fresh.length === 1) {
    const card = document.querySelector(`article[data-id="${fresh[0].id}"]`);
    box.textContent = card?.getAttribute("aria-label") || "";
    card?.querySelector(".verdict")?.focus();
  } else {
    box.textContent = $("batch-summary").textContent;
    $("batch-summary").focus();
  }
}

// ---------------------------------------------------------------------------
// Results

const actions = {
  /**
   * Draws the bill's pages in the worker (the render module loads on the
   * first drawing), once the verdict has been painted: the verdict never
   * waits for drawing. One drawing per verification (verifyEntry starts
   * over); resolves when done, the pages or the error kept on the entry.
   */
  draw(entry) {
    if (entry.drawn) return entry.drawn;
    const drawn = (async () => {
      await afterPaint();
      if (entry.drawn !== drawn) return;
      const started = performance.now();
      try {
        const out = await call("draw", { bytes: entry.bytes, options: trustOptions() });
        if (entry.drawn !== drawn) return;
        entry.pages = out.pages;
        entry.drawMs = out.ms;
        performance.measure("piaoyan:draw", { start: started, end: performance.now() });
        keepRenderOffline();
      } catch (e) {
        if (entry.drawn === drawn) entry.drawError = e.message;
      }
    })();
    entry.drawn = drawn;
    return drawn;
  },
  save(entry) {
    const blob = new Blob([JSON.stringify(entry.report, null, 2)], { type: "application/json" });
    const a = h("a", { href: URL.createObjectURL(blob), download: `${entry.name.replace(/\.[^.]*$/, "")}.piaoyan.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  },
  /** Prints the card, its drawn pages included (waits for them). */
  async print(entry) {
    await actions.draw(entry);
    const card = document.querySelector(`article[data-id="${entry.id}"]`);
    card?.classList.add("print-this");
    document.body.dataset.printOnly = "1";
    window.print();
    delete document.body.dataset.printOnly;
    card?.classList.remove("print-this");
  },
};

/** After the next paint: what was just put on screen is seen first. */
const afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

/**
 * Asks the service worker to keep the render module's files (sw.js): on a
 * first visit the worker fetched them before the service worker controlled
 * the page, past its cache. Once kept, a later visit draws offline too.
 */
function keepRenderOffline() {
  if (!("serviceWorker" in navigator) || location.protocol === "file:") return;
  navigator.serviceWorker.ready.then((reg) => reg.active?.postMessage("keep-render"));
}

function summarise() {
  const counts = { valid: 0, demo: 0, invalid: 0, indeterminate: 0, unrecognised: 0, pending: 0, error: 0 };
  let total = 0;
  const keys = new Map();
  for (const b of bills) {
    const s = stateOf(b);
    counts[s]++;
    if (s === State.VALID && typeof b.report.bill?.main.totalAmount.fen === "number") total += b.report.bill.main.totalAmount.fen;
    const key = b.report?.billKey;
    if (key) keys.set(key, (keys.get(key) || 0) + 1);
  }
  const dups = [...keys.values()].reduce((n, c) => n + (c > 1 ? c - 1 : 0), 0);
  return { counts, total, dups };
}

function renderSummary() {
  const el = $("batch-summary");
  const { counts, total, dups } = summarise();
  const parts = [
    tf("countValid", { n: counts.valid }),
    tf("countInvalid", { n: counts.invalid }),
    tf("countIndeterminate", { n: counts.indeterminate }),
    tf("countUnrecognised", { n: counts.unrecognised }),
  ];
  if (counts.demo) parts.splice(1, 0, tf("countDemo", { n: counts.demo }));
  if (counts.error) parts.push(tf("countError", { n: counts.error }));
  el.dataset.count = String(bills.length);
  const line = [
    h("strong", { text: tf("batchSummary", { n: bills.length, parts: parts.join(t("listSep")) }) }),
    counts.valid ? h("span", { class: "sum-total", text: `${t("listSep")}${tf("validTotal", { total: yuan(total) })}` }) : null,
    dups ? h("span", { class: "sum-dups", text: `${t("listSep")}${tf("duplicates", { n: dups })}` }) : null,
  ];
  el.replaceChildren(...line.filter(Boolean));
}

function renderResults() {
  const single = bills.length === 1;
  const open = new Set([...document.querySelectorAll("article.card details.fold[open]")].map((d) => d.closest("article").dataset.id));
  const cards = bills.map((b) => {
    const card = renderCard(b, { open: single || open.has(String(b.id)), actions });
    card.dataset.id = String(b.id);
    return card;
  });
  $("results").replaceChildren(...cards);
  renderSummary();
  $("results-section").hidden = bills.length === 0;
}

// ---------------------------------------------------------------------------
// History

async function refreshHistoryCount() {
  $("history-count").textContent = tf("historyCount", { n: await store.historyCount() });
}

// ---------------------------------------------------------------------------
// Language

function applyLanguage() {
  document.documentElement.lang = view.lang === "zh" ? "zh-CN" : "en";
  document.title = `${t("title")} · ${t("subtitle")}`;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  const button = $("lang");
  button.textContent = view.lang === "zh" ? "English" : "中文";
  button.lang = view.lang === "zh" ? "en" : "zh-CN";
  button.setAttribute("aria-label", view.lang === "zh" ? "Switch to English" : "切换到中文");
  setStatus($("status").dataset.state, $("status").dataset.detail);
  if (document.body.dataset.ready) {
    renderTrust();
    refreshHistoryCount();
  }
  renderResults();
}

function setStatus(state, detail) {
  const el = $("status");
  el.dataset.state = state;
  el.dataset.detail = detail || "";
  el.textContent = state === "error" ? t("loadFailed") + (detail || "") : t(state);
}

// ---------------------------------------------------------------------------
// Wiring

/** Pickers that grey out .ofd (Android, WeChat: no registered type) accept any file. */
function setAnyFile(any) {
  const input = $("bills");
  if (any) input.removeAttribute("accept");
  else input.setAttribute("accept", input.dataset.accept);
  $("any-file").checked = any;
}
$("bills").dataset.accept = $("bills").getAttribute("accept");
setAnyFile(/Android|MicroMessenger|HarmonyOS/i.test(navigator.userAgent));
$("any-file").addEventListener("change", (ev) => setAnyFile(ev.target.checked));

$("lang").addEventListener("click", () => {
  view.lang = view.lang === "zh" ? "en" : "zh";
  applyLanguage();
});

let picked = false;
$("bills").addEventListener("change", (ev) => {
  picked = true;
  const files = [...ev.target.files];
  addBills(files).finally(() => {
    ev.target.value = "";
  });
});

$("trust-files").addEventListener("change", (ev) => {
  const files = [...ev.target.files];
  started.then(() => addTrustFiles(files)).finally(() => {
    ev.target.value = "";
  });
});

$("use-demo").addEventListener("change", () => {
  started.then(() => {
    renderTrust();
    return reverifyAll();
  });
});

$("clear").addEventListener("click", () => {
  bills = [];
  renderResults();
  $("bills").focus();
});

$("clear-history").addEventListener("click", async () => {
  await store.clearHistory();
  $("trust-notice").textContent = "";
  await refreshHistoryCount();
  $("history-count").textContent += ` ${t("historyCleared")}`;
});

const drop = $("drop");
for (const type of ["dragenter", "dragover"]) {
  document.addEventListener(type, (ev) => {
    if (![...(ev.dataTransfer?.types || [])].includes("Files")) return;
    ev.preventDefault();
    ev.dataTransfer.dropEffect = "copy";
    drop.classList.add("dragging");
  });
}
for (const type of ["dragleave", "dragend"]) {
  document.addEventListener(type, (ev) => {
    if (type === "dragend" || ev.target === document.documentElement || ev.relatedTarget === null) drop.classList.remove("dragging");
  });
}
document.addEventListener("drop", (ev) => {
  ev.preventDefault();
  drop.classList.remove("dragging");
  const files = [...(ev.dataTransfer?.files || [])];
  if (files.length) addBills(files);
});
document.addEventListener("paste", (ev) => {
  const files = [...(ev.clipboardData?.files || [])];
  if (files.length) {
    ev.preventDefault();
    addBills(files);
  }
});

// Printing: every card open and filled, one bill per page (style.css).
window.addEventListener("beforeprint", () => {
  for (const card of document.querySelectorAll("article.card")) {
    card.fill?.();
    card.querySelector("details.fold").open = true;
  }
});

applyLanguage();

/** The module loaded and the trust material read: what verifying waits for. */
const started = ready.then(async () => {
    const [info] = await Promise.all([call("info", {}), loadTrust()]);
    view.moduleHash = info.moduleHash;
    $("version").textContent = info.version;
    $("module-hash").textContent = info.moduleHash;
    renderTrust();
    setStatus("ready");
    document.body.dataset.ready = "1";
    performance.mark("piaoyan:ready");
    refreshHistoryCount();
});
started.then(
  () => {
    // Files chosen before this script ran (a fast user, or a restored page).
    if (!picked && $("bills").files.length) addBills($("bills").files);
    // Offline after the first visit: the service worker keeps the page's own files.
    if ("serviceWorker" in navigator && location.protocol !== "file:") {
      navigator.serviceWorker.register("sw.js").catch(() => {});
    }
  },
  (e) => setStatus("error", e.message),
);
