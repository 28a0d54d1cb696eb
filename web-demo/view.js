// Rendering: DOM helpers (text only: nothing from a bill is ever parsed as
// HTML) and one result card per file. The card's state is one of five
// decisions (State), each with its colour, word and next step.

import { TEXT } from "./texts.js";
import { beijingDay, beijingTime, billDate, commonName, plainName, yuan } from "./format.js";
import { extraLabel } from "./labels.js";

export const view = { lang: "zh", moduleHash: "" };

export const t = (key) => TEXT[view.lang][key] ?? TEXT.zh[key] ?? key;
export const tf = (key, values) => t(key).replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ""));
export const $ = (id) => document.getElementById(id);

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function field(label, value, cls) {
  if (value === null || value === undefined || value === "") return null;
  return h("div", { class: `field ${cls || ""}` }, h("dt", { text: label }), h("dd", { text: value }));
}

/** The page's decision for one file. */
export const State = Object.freeze({
  VALID: "valid",
  DEMO: "demo",
  INVALID: "invalid",
  INDETERMINATE: "indeterminate",
  UNRECOGNISED: "unrecognised",
  /** Still being verified: no verdict yet. */
  PENDING: "pending",
  /** The verifier itself failed on this file (not a verdict on the bill). */
  ERROR: "error",
});

/** What the page decides for an entry {report?, tooLarge?, error?}. */
export function stateOf(entry) {
  const r = entry.report;
  if (entry.tooLarge) return State.UNRECOGNISED;
  if (entry.error) return State.ERROR;
  if (!r) return State.PENDING;
  if (r.notABill) return State.UNRECOGNISED;
  if (r.verdict === "VALID") return r.demoTrust === true ? State.DEMO : State.VALID;
  return r.verdict === "INVALID" ? State.INVALID : State.INDETERMINATE;
}

/** The kind of non-bill, for its help text. */
export const notABillKind = (entry) => (entry.tooLarge ? "tooLarge" : entry.report?.notABill || "unknown");

const ICON = { valid: "✓", demo: "!", invalid: "✗", indeterminate: "?", unrecognised: "—", pending: "…", error: "!" };
const WORD = {
  valid: "VALID",
  demo: "VALID",
  invalid: "INVALID",
  indeterminate: "INDETERMINATE",
  unrecognised: "unrecognised",
  pending: "pending",
  error: "verifyError",
};

/**
 * A re-saved bill: it has CR LF line ends (Notepad's) and what was signed no
 * longer matches (a digest, or a RAW signature over the bytes themselves).
 */
export const looksResaved = (entry) =>
  entry.crlf &&
  entry.report?.verdict === "INVALID" &&
  ["HASH_FAILURE", "SIG_CRYPTO_FAILURE"].includes(entry.report.subIndication) &&
  entry.report.format !== "ofd";

/** Core texts shown in the technical details, without jargon in Chinese. */
function plainCore(text) {
  if (view.lang !== "zh" || !text) return text;
  return text
    .replace(/messageDigest/g, "消息摘要")
    .replace(/信任锚/g, "受信任的根证书")
    .replace(/\bCRL\b/g, "吊销名单")
    .replace(/\bPEM\b/g, "证书文件")
    .replace(/: /g, "：");
}

/**
 * A core message shown on the card itself: in Chinese, without the English
 * detail some messages carry after a colon (a certificate path's search,
 * say: "…根证书：no certification path: from CN=…"). The whole message
 * stays in the folded technical details.
 */
function plainShort(text) {
  const plain = plainCore(text);
  if (view.lang !== "zh" || !plain) return plain;
  const english = plain.search(/：\s*[A-Za-z][A-Za-z-]*( [A-Za-z-]+){2}/);
  return english > 0 ? plain.slice(0, english) : plain;
}

/** The issuing unit's name, from the bill or an embedded bill. */
function unitName(r) {
  return (
    r?.bill?.main?.invoicingParty?.name ||
    r?.document?.attachments?.find((a) => a.report?.bill)?.report.bill.main.invoicingParty.name ||
    null
  );
}

/** The root certificate a trusted verdict rests on (the report's anchor). */
function anchorOf(r) {
  const chains = [...(r.signatures || []), ...(r.document?.signatures || [])].map((s) => s.chain || []);
  for (const chain of chains) {
    const anchor = chain.find((c) => c.source === "anchor");
    if (anchor) return commonName(anchor.subject);
  }
  return null;
}

/** Failed checks mapped to the fields of the paper they name. */
const SUSPECT = [
  [/^main\.totalAmountCapital/, ["capital"]],
  [/^main\.totalAmount/, ["amount", "capital"]],
  [/^items\./, ["items", "amount"]],
  [/^main\.eInvoiceCode/, ["code"]],
  [/^main\.eInvoiceNumber/, ["number"]],
  [/^main\.randomNumber/, ["check"]],
  [/^main\.issue/, ["date"]],
  [/^main\.invoicingParty/, ["unit"]],
  [/^main\.payerParty/, ["payer"]],
  [/^main\.eInvoiceName/, ["name"]],
];

export function suspectFields(checks) {
  const out = new Set();
  for (const c of checks || []) {
    if (c.result !== "fail" || c.level !== "failure") continue;
    for (const [re, fields] of SUSPECT) if (re.test(c.id)) fields.forEach((f) => out.add(f));
  }
  return out;
}

/** The plain words of a verdict. */
function plainWords(entry, state) {
  const r = entry.report;
  if (state === State.UNRECOGNISED) return t("notABillPlain")[notABillKind(entry)] || "";
  if (state === State.PENDING) return t("pendingPlain");
  if (state === State.ERROR) return tf("errorPlain", { message: entry.error.message });
  const key = r.subIndication || "VALID";
  return (r.format === "ofd" && t("plainOfd")[key]) || t("plain")[key] || "";
}

function nextStep(entry, state) {
  const unit = unitName(entry.report);
  switch (state) {
    case State.VALID:
      return t("nextValid");
    case State.INVALID:
      return unit ? tf("nextInvalid", { unit }) : t("nextInvalidNoUnit");
    case State.INDETERMINATE:
      return unit ? tf("nextIndeterminate", { unit }) : t("nextIndeterminateNoUnit");
    default:
      return null;
  }
}

const verdictWord = (state) => t(WORD[state]);

/** The folded line of a card: verdict, file, the bill's unit and amount. */
function cardSummary(entry, state) {
  const m = entry.report?.bill?.main;
  return h(
    "summary",
    { class: "card-summary" },
    h("span", { class: "icon", "aria-hidden": "true", text: ICON[state] }),
    h("strong", { class: "sum-verdict", text: verdictWord(state) }),
    state === State.DEMO ? h("span", { class: "demo-mark", text: t("demoVerdict") }) : null,
    h("span", { class: "sum-file", text: entry.name }),
    m ? h("span", { class: "sum-bill muted", text: `${m.invoicingParty.name} · ¥${m.totalAmount.text}` }) : null,
  );
}

/** One card per file; its body is built when first opened (a batch of 100 stays light). */
export function renderCard(entry, { open, actions }) {
  const state = stateOf(entry);
  const r = entry.report;
  const details = h("details", { class: "fold", open }, cardSummary(entry, state));
  const card = h(
    "article",
    {
      class: `card state-${state}`,
      "data-file": entry.name,
      "data-verdict": state,
      "data-report-verdict": r?.verdict,
      "data-sub-indication": r?.subIndication,
      "data-not-a-bill": state === State.UNRECOGNISED ? notABillKind(entry) : null,
      "data-demo": state === State.DEMO ? "true" : null,
      "data-bill-key": r?.billKey,
      "aria-label": `${entry.name}${t("colon")}${verdictWord(state)}${state === State.DEMO ? `（${t("demoVerdict")}）` : ""}`,
    },
    details,
  );
  const fill = () => {
    if (details.dataset.filled) return;
    details.dataset.filled = "1";
    details.append(renderBody(entry, state, actions));
  };
  if (open) fill();
  details.addEventListener("toggle", () => details.open && fill());
  card.fill = fill;
  return card;
}

/**
 * The drawn pages (the package's render(), docs/render.md), above the
 * verdict's details. Drawn when the card's details are first shown, after
 * the verdict is on screen (actions.draw waits for a paint; a page where no
 * bill was shown in detail never loads the render module): a quiet
 * placeholder until then, and a clear note if drawing fails (the verdict
 * stands). Each page an <img> of its SVG (data: URL: no script runs in
 * it), 360 px wide, printed with the card.
 */
function renderPages(entry, actions) {
  if (entry.pages) return pagesFigure(entry);
  if (entry.drawError) return h("p", { class: "bill-pages draw-error hint", role: "note", text: t("drawFailed") + entry.drawError });
  entry.shownAt ??= performance.now();
  const slot = h("div", { class: "bill-pages pending", role: "status", "aria-busy": "true" }, h("span", { class: "muted small", text: t("drawingPages") }));
  actions.draw(entry).then(() => slot.isConnected && slot.replaceWith(renderPages(entry, actions)));
  return slot;
}

function pagesFigure(entry) {
  const figure = h(
    "figure",
    { class: "bill-pages", "data-draw-ms": entry.drawMs?.toFixed(1), "data-shown-to-drawn-ms": entry.shownToDrawnMs?.toFixed(1) },
    entry.pages.map((p, i) =>
      h("img", {
        class: "bill-page",
        src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(p.svg)}`,
        width: 360,
        alt: tf("pageAlt", { n: i + 1 }),
        "data-signed": p.signed,
        // The time from the verdict shown to the first page decoded on screen.
        onload:
          i === 0 && entry.shownToDrawnMs === undefined && entry.shownAt !== undefined
            ? () => {
                entry.shownToDrawnMs ??= performance.now() - entry.shownAt;
                figure.dataset.shownToDrawnMs = entry.shownToDrawnMs.toFixed(1);
              }
            : null,
      }),
    ),
    h("figcaption", { class: "hint", text: t("pagesNote") }),
  );
  return figure;
}

function renderBody(entry, state, actions) {
  const r = entry.report;
  const unrecognised = state === State.UNRECOGNISED;
  const anchor = r && (state === State.VALID || state === State.DEMO) ? anchorOf(r) : null;
  const suspects = state === State.INVALID ? suspectFields(r.checks) : new Set();
  const kind = unrecognised ? notABillKind(entry) : null;
  return h(
    "div",
    { class: "card-body" },
    h(
      "div",
      { class: "verdict", tabindex: "-1" },
      h("span", { class: "icon", "aria-hidden": "true", text: ICON[state] }),
      h("strong", { class: "verdict-text", text: verdictWord(state) }),
      state === State.DEMO ? h("span", { class: "demo-mark", text: t("demoVerdict") }) : null,
    ),
    state === State.DEMO ? h("p", { class: "hint demo-hint", role: "note", text: t("demoHint") }) : null,
    h("p", { class: "plain", text: plainWords(entry, state) }),
    anchor ? h("p", { class: "trust-reason", text: tf("trustedBy", { root: anchor }) }) : null,
    unrecognised ? h("p", { class: "hint help", "data-kind": kind, text: t("notABillHelp")[kind] || "" }) : null,
    looksResaved(entry) ? h("p", { class: "hint help resaved", text: t("resavedHelp") }) : null,
    nextStep(entry, state) ? h("p", { class: `next-step next-${state}`, text: nextStep(entry, state) }) : null,
    entry.seenBefore
      ? h("p", {
          class: "dup-warning",
          role: "note",
          text: tf("dupWarning", { time: beijingTime(entry.seenBefore.at, view.lang), file: entry.seenBefore.file }),
        })
      : null,
    r && !unrecognised ? renderPages(entry, actions) : null,
    unrecognised || !r ? null : renderContent(entry, state, suspects),
    r && !unrecognised ? renderTech(r) : null,
    h(
      "div",
      { class: "actions" },
      r ? h("button", { type: "button", class: "button small save", text: t("saveReport"), onclick: () => actions.save(entry) }) : null,
      r && !unrecognised ? h("button", { type: "button", class: "button small print", text: t("print"), onclick: () => actions.print(entry) }) : null,
    ),
    h(
      "dl",
      { class: "print-meta fields small" },
      field(t("verifiedAt"), beijingTime(entry.verifiedAt, view.lang, { seconds: true })),
      field(t("fileHash"), entry.sha256, "hash"),
      field(t("moduleHash"), view.moduleHash, "hash"),
    ),
  );
}

function renderContent(entry, state, suspects) {
  const r = entry.report;
  const untrusted = state === State.INVALID;
  const parts =
    r.format === "ofd" && r.document
      ? renderDocument(r.document, untrusted)
      : [r.bill ? renderBill(r.bill, entry.spelledTotal, { untrusted, suspects }) : h("p", { class: "muted", text: t("noBill") }), renderSignatures(r.signatures)];
  return h("div", { class: "content" }, parts);
}

function renderTech(r) {
  return h(
    "details",
    { class: "tech" },
    h("summary", { text: t("techHeading") }),
    h(
      "p",
      { class: "detail" },
      h("span", { class: "muted", text: `${t("details")}${t("colon")}` }),
      h("span", { class: "reason", text: plainCore(r.reason[view.lang]) }),
    ),
    r.subIndication && view.lang === "en"
      ? h("p", { class: "code muted" }, `${t("reasonCode")}: `, h("code", { text: r.subIndication }))
      : null,
    renderWarnings(r.warnings),
    renderChecks(r.checks),
  );
}

function renderWarnings(warnings) {
  if (!warnings.length) return null;
  return h(
    "section",
    { class: "warnings", role: "note" },
    h("h4", { text: `${t("warningsHeading")}（${warnings.length}）` }),
    h("ul", {}, warnings.map((w) => h("li", {}, view.lang === "en" ? [h("code", { text: w.code }), " "] : null, plainShort(w.message[view.lang])))),
  );
}

function renderChecks(checks) {
  const mark = { pass: "✓", fail: "✗", notApplicable: "–" };
  return h(
    "div",
    { class: "checks" },
    h("h4", { text: `${t("checksHeading")}（${checks.length}${t("items")}）` }),
    h(
      "ul",
      {},
      checks.map((c) =>
        h(
          "li",
          { class: `check-${c.result}` },
          h("span", { class: "mark", "aria-label": t(c.result), text: mark[c.result] }),
          " ",
          view.lang === "en" ? [h("code", { text: c.id }), " "] : null,
          plainCore(c.message[view.lang]),
        ),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------
// The bill as printed

const ITEMS_SHOWN = 10;

function extraFields(list) {
  return list.map((f) => field(extraLabel(f.name, view.lang), f.value, `extra-field extra-${f.name}`));
}

function itemRow(it, headers) {
  const cells = [it.code, it.name, it.unit, it.quantity, it.std, it.amount.text, it.remark];
  const ext = [...(it.itemExt || []), ...(it.extra || [])];
  return h(
    "tr",
    {},
    cells.map((v, i) =>
      h(
        "td",
        { "data-label": t(headers[i]), class: i === 5 ? "num" : i === 1 ? "name" : null },
        v ?? "",
        i === 1 && ext.length
          ? h("span", { class: "item-ext muted small", text: ext.map((f) => `${extraLabel(f.name, view.lang)}${t("colon")}${f.value}`).join("；") })
          : null,
      ),
    ),
  );
}

function itemsTable(items, headers) {
  const table = (rows) =>
    h(
      "table",
      { class: "items" },
      h("thead", {}, h("tr", {}, headers.map((k) => h("th", { scope: "col", text: t(k) })))),
      h("tbody", {}, rows),
    );
  if (items.length <= ITEMS_SHOWN + 2) return table(items.map((it) => itemRow(it, headers)));
  return h(
    "div",
    { class: "items-wrap" },
    table(items.slice(0, ITEMS_SHOWN).map((it) => itemRow(it, headers))),
    h(
      "details",
      { class: "more-items" },
      h("summary", { text: tf("moreItems", { n: items.length - ITEMS_SHOWN }) }),
      table(items.slice(ITEMS_SHOWN).map((it) => itemRow(it, headers))),
    ),
  );
}

function auxTable(aux) {
  if (!aux.length) return null;
  const headers = ["itemCode", "itemName", "itemUnit", "itemQuantity", "itemStd", "itemAmount", "itemRemark"];
  const rows = aux.map((a) =>
    h(
      "tr",
      {},
      [a.code, [a.relatedName, a.name].filter(Boolean).join(" · "), a.unit, a.quantity, a.std, a.amount, a.remark].map((v, i) =>
        h("td", { "data-label": t(headers[i]), class: i === 5 ? "num" : i === 1 ? "name" : null, text: v ?? "" }),
      ),
    ),
  );
  return h(
    "details",
    { class: "aux", open: aux.length <= ITEMS_SHOWN },
    h("summary", { text: `${t("auxHeading")}（${aux.length}）` }),
    h("table", { class: "items aux-items" }, h("thead", {}, h("tr", {}, headers.map((k) => h("th", { scope: "col", text: t(k) })))), h("tbody", {}, rows)),
  );
}

export function renderBill(bill, spelledTotal, { untrusted = false, suspects = new Set() } = {}) {
  const m = bill.main;
  const headers = ["itemCode", "itemName", "itemUnit", "itemQuantity", "itemStd", "itemAmount", "itemRemark"];
  const capital = m.totalAmountCapital || spelledTotal;
  const computed = !m.totalAmountCapital && !!spelledTotal;
  const sus = (name, cls) => `${cls}${suspects.has(name) ? " suspect" : ""}`;
  const mark = (name) => (suspects.has(name) ? h("span", { class: "suspect-mark", text: t("suspectField") }) : null);
  const seals = [
    m.invoicingPartySeal?.sealName ? field(t("unitSeal"), m.invoicingPartySeal.sealName) : null,
    m.supervisorPartySeal?.sealName ? field(t("supervisorSeal"), m.supervisorPartySeal.sealName) : null,
  ].filter(Boolean);
  const extras = [...m.mainExt, ...m.extra];
  return h(
    "section",
    { class: `paper${untrusted ? " untrusted" : ""}`, "aria-label": t("billHeading") },
    untrusted ? h("p", { class: "untrusted-note", text: t("untrustedNote") }) : null,
    untrusted ? h("span", { class: "stamp", "aria-hidden": "true", text: t("untrustedStamp") }) : null,
    h("h3", { class: sus("name", "bill-name"), text: m.eInvoiceName }),
    h(
      "dl",
      { class: "fields" },
      field(t("eInvoiceCode"), m.eInvoiceCode, sus("code", "code-field")),
      field(t("eInvoiceNumber"), m.eInvoiceNumber, sus("number", "number-field")),
      field(t("randomNumber"), m.randomNumber, sus("check", "check-field")),
      field(t("issueDate"), billDate(m.issueDate, m.issueTime, view.lang), sus("date", "date-field")),
      field(t("payer"), m.payerParty.name, sus("payer", "payer-field")),
      field(t("payerCode"), m.payerParty.code),
      field(t("payerAcct"), m.payerParty.acct),
      field(t("payerOpBk"), m.payerParty.opBk),
      field(t("invoicingParty"), m.invoicingParty.name, sus("unit", "unit-field")),
      field(t("invoicingCode"), m.invoicingParty.code),
      field(t("recName"), m.invoicingParty.recName),
      field(t("recAcct"), m.invoicingParty.recAcct),
      field(t("recOpBk"), m.invoicingParty.recOpBk),
      field(t("payMode"), m.payMode, "pay-mode-field"),
      m.currencyType && m.currencyType !== "CNY" ? field(t("currency"), m.currencyType) : null,
      field(t("bizCode"), m.bizCode),
    ),
    h("div", { class: sus("items", "items-box") }, mark("items"), itemsTable(bill.items, headers)),
    h(
      "div",
      { class: "total" },
      h(
        "p",
        { class: sus("capital", "capital") },
        h("span", { class: "label", text: `${t("totalCapital")} ` }),
        h("strong", { class: "capital-text", text: capital || "—" }),
        computed ? h("span", { class: "muted small", text: `（${t("computedCapital")}）` }) : null,
        mark("capital"),
      ),
      h(
        "p",
        { class: sus("amount", "figures") },
        h("span", { class: "label", text: `${t("totalFigures")} ` }),
        h("strong", { class: "amount-text", text: `¥${m.totalAmount.text}` }),
        mark("amount"),
      ),
    ),
    extras.length
      ? h("section", { class: "main-ext" }, h("h4", { text: t("mainExtHeading") }), h("dl", { class: "fields small" }, extraFields(extras)))
      : null,
    auxTable(bill.auxItems || []),
    h(
      "dl",
      { class: "fields small" },
      field(t("remark"), m.remark),
      field(t("supervisorRemark"), m.supervisorRemark),
      field(t("handlingPerson"), m.handlingPerson),
      field(t("checker"), m.checker),
      seals,
    ),
  );
}

// ---------------------------------------------------------------------------
// Signatures, in plain words

function renderChain(chain) {
  if (!chain.length) return h("p", { class: "muted", text: t("noChain") });
  return h(
    "ol",
    { class: "chain" },
    chain.map((c) =>
      h(
        "li",
        { title: view.lang === "en" ? c.subject : null },
        h("span", { text: commonName(c.subject) }),
        c.source === "anchor" ? h("span", { class: "badge", text: t("anchorMark") }) : null,
        c.demo ? h("span", { class: "badge demo-mark", text: t("demoVerdict") }) : null,
      ),
    ),
  );
}

function signerFields(s) {
  if (!s.signer) return [field(t("signer"), t("noSigner"))];
  return [
    field(t("signer"), plainName(s.signer.subject), "signer-field"),
    field(t("issuer"), plainName(s.signer.issuer), "issuer-field"),
    field(t("validity"), `${beijingDay(s.signer.notBefore, view.lang)} — ${beijingDay(s.signer.notAfter, view.lang)}`, "validity-field"),
  ];
}

function renderSignatures(signatures) {
  const list = signatures.map((s) =>
    h(
      "section",
      { class: `signature verdict-${s.verdict.toLowerCase()}`, "data-role": s.role },
      h(
        "h4",
        {},
        h("span", { class: "sig-icon", "aria-hidden": "true", text: { VALID: "✓", INVALID: "✗", INDETERMINATE: "?" }[s.verdict] }),
        `${t(s.role)} · `,
        h("span", { class: "sig-verdict", text: t(s.verdict) }),
      ),
      h("p", { class: "sig-message", text: plainShort(s.message[view.lang]) }),
      h(
        "dl",
        { class: "fields small" },
        signerFields(s),
        view.lang === "en" ? field(t("algorithm"), [s.algorithm, s.encoding].filter(Boolean).join(" · ")) : null,
        field(t("signingTime"), beijingTime(s.signingTime, view.lang, { seconds: true })),
      ),
      h("div", { class: "chain-wrap" }, h("p", { class: "label", text: t("chain") }), renderChain(s.chain)),
    ),
  );
  return h(
    "section",
    { class: "signatures" },
    h("h3", { text: t("signaturesHeading") }),
    list.length ? list : h("p", { class: "muted", text: t("noSignatures") }),
  );
}

// ---------------------------------------------------------------------------
// OFD documents: seals and signatures, then attachments

const PICTURE_TYPES = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", bmp: "image/bmp" };

function renderDocument(doc, untrusted) {
  return [
    h("p", { class: "doc-parts muted small", text: tf("ofdParts", { n: doc.parts }) }),
    renderOfdSignatures(doc.signatures),
    renderAttachments(doc.attachments, untrusted),
  ];
}

function sealPicture(seal) {
  const p = seal?.picture;
  if (!p) return null;
  const label = `${t("sealPicture")}${seal.name ? `: ${seal.name}` : ""}`;
  const mime = PICTURE_TYPES[(p.type || "").toLowerCase()];
  if (!mime || !/^[A-Za-z0-9+/]*={0,2}$/.test(p.data)) {
    return h("p", { class: "seal-picture-label muted small", text: tf("sealPictureOther", { type: (p.type || "?").toUpperCase() }) });
  }
  return h("img", { class: "seal-picture", src: `data:${mime};base64,${p.data}`, alt: label, decoding: "async" });
}

function renderOfdSignatures(signatures) {
  const list = signatures.map((s) => {
    const seal = s.seal;
    const failed = s.failedReferences.length
      ? h(
          "div",
          { class: "failed-refs" },
          h("p", { class: "label", text: t("failedReferences") }),
          h("ul", {}, s.failedReferences.map((f) => h("li", {}, h("code", { text: f })))),
        )
      : null;
    return h(
      "section",
      { class: `signature ofd-signature verdict-${s.verdict.toLowerCase()}`, "data-type": s.type, "data-id": s.id },
      h(
        "h4",
        {},
        h("span", { class: "sig-icon", "aria-hidden": "true", text: { VALID: "✓", INVALID: "✗", INDETERMINATE: "?" }[s.verdict] }),
        h("span", { class: "sig-type", text: t(s.type) }),
        seal?.name ? h("span", { class: "seal-name", text: ` ${seal.name}` }) : null,
        " · ",
        h("span", { class: "sig-verdict", text: t(s.verdict) }),
      ),
      h("p", { class: "sig-message", text: plainShort(s.message[view.lang]) }),
      failed,
      sealPicture(seal),
      h(
        "dl",
        { class: "fields small" },
        seal ? field(t("sealName"), seal.name, "seal-name-field") : null,
        seal && (seal.validFrom || seal.validTo)
          ? field(t("sealValidity"), `${beijingDay(seal.validFrom, view.lang) || "?"} — ${beijingDay(seal.validTo, view.lang) || "?"}`)
          : null,
        signerFields(s),
        field(t("signingTime"), beijingTime(s.signingTime, view.lang, { seconds: true })),
      ),
      h("div", { class: "chain-wrap" }, h("p", { class: "label", text: t("chain") }), renderChain(s.chain)),
    );
  });
  return h(
    "section",
    { class: "signatures ofd-signatures" },
    h("h3", { text: t("documentSignaturesHeading") }),
    list.length ? list : h("p", { class: "muted", text: t("noSignatures") }),
  );
}

function renderAttachments(attachments, untrusted) {
  if (!attachments.length) return null;
  const list = attachments.map((a) => {
    const nested = a.report;
    const fields = a.fields.length
      ? h(
          "details",
          { class: "attachment-fields", open: a.fields.length <= 12 },
          h("summary", { text: tf("fieldsCount", { n: a.fields.length }) }),
          h("dl", { class: "fields small" }, a.fields.map((f) => field(f.name, f.value))),
        )
      : null;
    return h(
      "section",
      { class: "attachment", "data-format": a.format },
      h("h4", { text: `${t(a.kind)}${t("colon")}${a.name || a.file}` }),
      h("p", { class: "muted small" }, h("code", { text: a.file }), ` · ${t(`format_${a.format}`)} · ${t(a.covered ? "covered" : "notCovered")}`),
      nested
        ? h(
            "div",
            { class: `embedded-bill verdict-${nested.verdict.toLowerCase()}`, "data-verdict": nested.verdict },
            h("p", { class: "embedded-verdict" }, `${t("embeddedBill")}${t("colon")}`, h("strong", { text: t(nested.verdict) })),
            nested.bill ? renderBill(nested.bill, null, { untrusted: untrusted || nested.verdict === "INVALID", suspects: suspectFields(nested.checks) }) : null,
          )
        : null,
      fields,
    );
  });
  return h("section", { class: "attachments" }, h("h3", { text: t("attachmentsHeading") }), list);
}

export { yuan };
