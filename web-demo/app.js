// The payer's page: pick or drop bills, verify them on this device with the
// Piaoyan module (pkg/, the bytes the `piaoyan` CLI embeds), show each
// verdict and the bill as it reads on paper. No network: the page's CSP
// forbids connect-src, and the module comes as bytes inside pkg/.

import * as piaoyan from "./pkg/index.js";
import * as demoTrust from "./trust/demo-trust.js";

// ---------------------------------------------------------------------------
// Texts

const TEXT = {
  zh: {
    skip: "跳到主要内容",
    title: "票验",
    subtitle: "财政电子票据离线验证",
    intro:
      "选择或拖入财政电子票据（XML 文件）或 OFD 电子文件，本页在您的设备上检查电子签名与电子印章、证书链和内容是否一致。文件不会上传，本页不发出任何网络请求。",
    pickHeading: "选择票据",
    dropHint: "把票据 XML 或 OFD 文件拖到这里（可多个），或",
    chooseBills: "选择票据文件",
    loading: "正在加载验证模块…",
    ready: "验证模块已就绪：在本机运行，不联网。",
    loadFailed: "验证模块加载失败：",
    verifying: "正在验证…",
    resultsHeading: "验证结果",
    clear: "清除",
    trustHeading: "信任锚与证书",
    trustIntro:
      "只有能追溯到信任锚（根证书）的签名才判为“验证通过”。本页自带的演示信任包只用于项目 samples/ 中的演示票据；要验证真实票据，请添加财政部门发布的根证书（PEM 文件）。",
    useDemo: "使用演示信任包（Piaoyan DEMO PKI）",
    addPem: "添加 PEM 文件",
    trustHint:
      "PEM 文件中的 CERTIFICATE 块：自签名证书作为信任锚，其他作为中间证书（可逐个修改）；X509 CRL 块作为证书吊销列表。",
    privacy: "所有验证都在本机完成：票据和证书不会离开您的设备。",
    versionLabel: "验证器版本",
    hashLabel: "模块 SHA-256",
    VALID: "验证通过",
    INVALID: "验证失败",
    INDETERMINATE: "无法确定",
    reasonCode: "原因代码",
    details: "详细说明",
    plain: {
      VALID: "票据未被改动，两个电子签名有效，证书可追溯到信任锚，票面内容一致。",
      FORMAT_FAILURE: "文件不是格式正确的财政电子票据，或已损坏。",
      HASH_FAILURE: "票据内容在签名之后被改动过。",
      SIG_CRYPTO_FAILURE: "电子签名与票据内容不符，签名无效。",
      NOT_YET_VALID: "签名时签名证书尚未生效。",
      EXPIRED: "签名时签名证书已经过期。",
      REVOKED: "签名证书在签名之前已被吊销。",
      CONTENT_FAILURE: "票面内容自相矛盾，例如大写金额与小写金额不符。",
      IDENTITY_MISMATCH: "签名者不是票据上写明的开票单位或财政监管机构。",
      NO_SIGNING_CERTIFICATE_FOUND: "找不到签名所用的证书，无法判断签名。",
      NO_CERTIFICATE_CHAIN_FOUND: "签名证书无法追溯到您信任的根证书（信任锚）。",
      CRYPTO_CONSTRAINTS_FAILURE: "票据使用了本验证器不支持或不再认可的算法。",
      SIG_CONSTRAINTS_FAILURE: "文档显示的部分内容不受任何有效签名保护。",
    },
    untrustedHint: "如果您确认签发机构可信，可在下方“信任锚与证书”中添加其根证书，本页会重新验证。",
    demoVerdict: "演示",
    demoHint:
      "此结论依赖演示信任包：演示密钥公开，任何人都能签出这样的票据。它只说明演示流程，不能证明票据真实。",
    file: "文件",
    billHeading: "票面信息",
    eInvoiceCode: "票据代码",
    eInvoiceNumber: "票据号码",
    randomNumber: "校验码",
    issueDate: "开票日期",
    payer: "交款人",
    payerCode: "交款人代码",
    invoicingParty: "收款单位（开票单位）",
    invoicingCode: "单位代码",
    itemCode: "项目编码",
    itemName: "项目名称",
    itemUnit: "单位",
    itemQuantity: "数量",
    itemStd: "标准",
    itemAmount: "金额（元）",
    itemRemark: "备注",
    totalCapital: "金额合计（大写）",
    totalFigures: "（小写）",
    computedCapital: "票面未写大写金额，此为按金额推算",
    remark: "备注",
    handlingPerson: "收款人",
    checker: "复核人",
    noBill: "无法读出票面内容。",
    signaturesHeading: "电子签名",
    InvoicingParty: "开票单位签名",
    Supervisor: "财政监管签名",
    algorithm: "算法",
    signingTime: "签名时间",
    signer: "签名证书",
    issuer: "颁发者",
    validity: "有效期",
    chain: "证书链",
    anchorMark: "信任锚",
    noSigner: "未找到签名证书",
    noChain: "无法建立到信任锚的证书链",
    noSignatures: "未找到签名。",
    warningsHeading: "提示（不影响结论）",
    checksHeading: "全部检查",
    items: "项",
    pass: "通过",
    fail: "未通过",
    notApplicable: "不适用",
    errorTitle: "无法验证",
    anchor: "信任锚",
    intermediate: "中间证书",
    crl: "证书吊销列表",
    demo: "演示",
    remove: "移除",
    useAs: "用作",
    revoked: "吊销条目",
    nextUpdate: "下次更新",
    added: "已添加",
    ignored: "已忽略",
    duplicate: "已存在",
    notTrust: "不是证书、CRL 或 PEM 文件",
    noTrust: "尚无信任锚：所有签名都将是“无法确定”。",
    plainOfd: {
      VALID: "文件未被改动，全部电子印章和签名有效，证书可追溯到信任锚。",
      FORMAT_FAILURE: "文件不是带有效电子印章或签名的 OFD 文件，或已损坏。",
      HASH_FAILURE: "文件内容在盖章或签名之后被改动过。",
      SIG_CRYPTO_FAILURE: "电子印章或签名与文件内容不符，无效。",
    },
    documentSignaturesHeading: "电子印章与数字签名",
    Seal: "电子印章",
    Sign: "数字签名",
    sealName: "印章名称",
    sealValidity: "印章有效期",
    sealPicture: "印章图片",
    sealPictureOther: "印章图片为 {type} 格式，本页无法显示",
    signedPart: "签名文件",
    failedReferences: "签名后被改动或缺失的文件",
    references: "签名覆盖的文件",
    attachmentsHeading: "附件",
    attachment: "附件",
    customTag: "自定义标引",
    covered: "在签名范围内",
    notCovered: "不在签名范围内",
    fieldsCount: "字段（{n} 项）",
    embeddedBill: "内嵌财政电子票据",
    format_ebill: "财政电子票据",
    format_xml: "XML 数据",
    format_other: "其他文件",
    format_missing: "文件缺失",
    ofdParts: "OFD 文件，{n} 个部件",
  },
  en: {
    skip: "Skip to main content",
    title: "Piaoyan",
    subtitle: "Offline verification of fiscal e-bills",
    intro:
      "Pick or drop fiscal electronic bills (XML files) or OFD documents. This page checks the electronic signatures and seals, the certificate chains and the content's consistency on your device. Files are not uploaded; the page makes no network request.",
    pickHeading: "Choose bills",
    dropHint: "Drop bill XML or OFD files here (several at once), or",
    chooseBills: "Choose bill files",
    loading: "Loading the verifier…",
    ready: "Verifier ready: it runs on this device, offline.",
    loadFailed: "The verifier could not be loaded: ",
    verifying: "Verifying…",
    resultsHeading: "Results",
    clear: "Clear",
    trustHeading: "Trust anchors and certificates",
    trustIntro:
      "A signature is VALID only when it chains to a trust anchor (a root certificate). The demo trust bundle that ships with this page is only for the demo bills in the project's samples/; to verify real bills, add the root certificates published by the fiscal authorities (PEM files).",
    useDemo: "Use the demo trust bundle (Piaoyan DEMO PKI)",
    addPem: "Add PEM files",
    trustHint:
      "CERTIFICATE blocks of a PEM file: self-signed certificates become trust anchors, others intermediates (change each below); X509 CRL blocks become revocation lists.",
    privacy: "Everything is verified on this device: bills and certificates never leave it.",
    versionLabel: "Verifier version",
    hashLabel: "Module SHA-256",
    VALID: "VALID",
    INVALID: "INVALID",
    INDETERMINATE: "INDETERMINATE",
    reasonCode: "Reason code",
    details: "Details",
    plain: {
      VALID: "The bill is unaltered, both electronic signatures are valid, their certificates chain to a trust anchor, and its content is consistent.",
      FORMAT_FAILURE: "The file is not a well-formed fiscal e-bill, or it is damaged.",
      HASH_FAILURE: "The bill's content was changed after it was signed.",
      SIG_CRYPTO_FAILURE: "An electronic signature does not match the bill: it is not valid.",
      NOT_YET_VALID: "The signing certificate was not yet valid when the bill was signed.",
      EXPIRED: "The signing certificate had expired when the bill was signed.",
      REVOKED: "The signing certificate had been revoked before the bill was signed.",
      CONTENT_FAILURE: "The bill contradicts itself, e.g. the amount in words differs from the figures.",
      IDENTITY_MISMATCH: "The signer is not the unit or fiscal authority the bill names.",
      NO_SIGNING_CERTIFICATE_FOUND: "The signing certificate could not be found, so the signature cannot be judged.",
      NO_CERTIFICATE_CHAIN_FOUND: "The signing certificate does not chain to a root certificate you trust (a trust anchor).",
      CRYPTO_CONSTRAINTS_FAILURE: "The bill uses an algorithm this verifier does not support or no longer accepts.",
      SIG_CONSTRAINTS_FAILURE: "Part of what the document shows is covered by no valid signature.",
    },
    untrustedHint:
      "If you know the issuer is trustworthy, add its root certificate under “Trust anchors and certificates” below; the page verifies again.",
    demoVerdict: "DEMO",
    demoHint:
      "This verdict rests on the demo trust bundle: its keys are public, so anyone can sign such a bill. It shows how verification works; it does not prove the bill genuine.",
    file: "File",
    billHeading: "The bill",
    eInvoiceCode: "Bill code",
    eInvoiceNumber: "Bill number",
    randomNumber: "Check code",
    issueDate: "Issued",
    payer: "Payer",
    payerCode: "Payer ID",
    invoicingParty: "Issuing unit",
    invoicingCode: "Unit code",
    itemCode: "Code",
    itemName: "Item",
    itemUnit: "Unit",
    itemQuantity: "Qty",
    itemStd: "Price",
    itemAmount: "Amount (CNY)",
    itemRemark: "Remark",
    totalCapital: "Total in words",
    totalFigures: "In figures",
    computedCapital: "not written on the bill; spelled from the amount",
    remark: "Remark",
    handlingPerson: "Cashier",
    checker: "Checked by",
    noBill: "The bill's content could not be read.",
    signaturesHeading: "Electronic signatures",
    InvoicingParty: "Issuing unit's signature",
    Supervisor: "Fiscal supervisor's signature",
    algorithm: "Algorithm",
    signingTime: "Signed at",
    signer: "Signer",
    issuer: "Issuer",
    validity: "Valid",
    chain: "Chain",
    anchorMark: "trust anchor",
    noSigner: "No signing certificate found",
    noChain: "No chain to a trust anchor",
    noSignatures: "No signature found.",
    warningsHeading: "Warnings (they do not change the verdict)",
    checksHeading: "All checks",
    items: "",
    pass: "pass",
    fail: "fail",
    notApplicable: "n/a",
    errorTitle: "Could not verify",
    anchor: "trust anchor",
    intermediate: "intermediate",
    crl: "CRL",
    demo: "demo",
    remove: "Remove",
    useAs: "Use as",
    revoked: "revoked entries",
    nextUpdate: "next update",
    added: "Added",
    ignored: "Ignored",
    duplicate: "already listed",
    notTrust: "is not a certificate, a CRL or a PEM file",
    noTrust: "No trust anchor: every signature will be INDETERMINATE.",
    plainOfd: {
      VALID: "The document is unaltered, every electronic seal and signature is valid, and their certificates chain to a trust anchor.",
      FORMAT_FAILURE: "The file is not an OFD document with a valid electronic seal or signature, or it is damaged.",
      HASH_FAILURE: "The document's content was changed after it was sealed or signed.",
      SIG_CRYPTO_FAILURE: "An electronic seal or signature does not match the document: it is not valid.",
    },
    documentSignaturesHeading: "Electronic seals and digital signatures",
    Seal: "Electronic seal",
    Sign: "Digital signature",
    sealName: "Seal name",
    sealValidity: "Seal valid",
    sealPicture: "Seal picture",
    sealPictureOther: "The seal picture is in {type} format, which this page cannot show",
    signedPart: "Signature part",
    failedReferences: "Parts changed or missing since signing",
    references: "Parts covered by the signature",
    attachmentsHeading: "Attachments",
    attachment: "Attachment",
    customTag: "Custom tag",
    covered: "covered by a signature",
    notCovered: "not covered by any signature",
    fieldsCount: "Fields ({n})",
    embeddedBill: "Embedded fiscal e-bill",
    format_ebill: "fiscal e-bill",
    format_xml: "XML data",
    format_other: "other file",
    format_missing: "missing",
    ofdParts: "OFD document, {n} parts",
  },
};

const params = new URLSearchParams(location.search);
let lang = params.get("lang") === "en" ? "en" : "zh";
const t = (key) => TEXT[lang][key] ?? TEXT.zh[key] ?? key;
/** A text with `{name}` placeholders filled in. */
const tf = (key, values) => t(key).replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ""));

// ---------------------------------------------------------------------------
// State

/** @type {{id:number,name:string,bytes:Uint8Array,report?:object,error?:{code:string,message:string}}[]} */
let bills = [];
let nextId = 1;
/** Trust material: {id, kind: anchor|intermediate|crl, der, summary, source, demo} */
let demoEntries = [];
let userEntries = [];
// Off by default (the box is unticked in index.html): the demo keys are
// public, so a bill that chains to the demo roots proves nothing (issue
// 12); a verdict resting on them is marked 演示 / DEMO. Read from the box
// itself, so a tick made before this script ran counts too.
const useDemo = () => $("use-demo").checked;
let firstVerdictMarked = false;

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------
// DOM helpers (text only: nothing from a bill is ever parsed as HTML)

function h(tag, attrs, ...children) {
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

function field(label, value, cls) {
  if (value === null || value === undefined || value === "") return null;
  return h("div", { class: `field ${cls || ""}` }, h("dt", { text: label }), h("dd", { text: value }));
}

// ---------------------------------------------------------------------------
// Formatting

function commonName(dn) {
  const m = /(?:^|,)CN=((?:\\.|[^,])*)/.exec(dn || "");
  return m ? m[1].replace(/\\(.)/g, "$1") : dn;
}

function formatDate(yyyymmdd, time) {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(yyyymmdd || "");
  if (!m) return [yyyymmdd, time].filter(Boolean).join(" ");
  const date = lang === "zh" ? `${m[1]}年${m[2]}月${m[3]}日` : `${m[1]}-${m[2]}-${m[3]}`;
  return time ? `${date} ${time}` : date;
}

function formatTime(rfc3339) {
  if (!rfc3339) return null;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(Z|[+-]\d{2}:\d{2})$/.exec(rfc3339);
  if (!m) return rfc3339;
  const zone = m[3] === "Z" ? "UTC" : `UTC${m[3].replace(/:00$/, "").replace(/^([+-])0/, "$1")}`;
  return `${m[1]} ${m[2]} (${zone})`;
}

const dateOnly = (rfc3339) => (rfc3339 || "").slice(0, 10);

// ---------------------------------------------------------------------------
// Rendering one bill

function renderCard(entry) {
  if (entry.error) {
    return h(
      "article",
      { class: "card verdict-error", "data-file": entry.name, "data-verdict": "ERROR" },
      h("p", { class: "file", text: entry.name }),
      h(
        "div",
        { class: "verdict" },
        h("span", { class: "icon", "aria-hidden": "true", text: "!" }),
        h("strong", { text: t("errorTitle") }),
      ),
      h("p", { class: "reason", text: `${entry.error.message} (${entry.error.code})` }),
    );
  }
  const r = entry.report;
  // A verdict resting on a demo anchor is never a plain (green) VALID.
  const demo = r.demoTrust === true;
  const icon = demo ? "!" : { VALID: "✓", INVALID: "✗", INDETERMINATE: "?" }[r.verdict];
  const card = h(
    "article",
    {
      class: `card verdict-${r.verdict.toLowerCase()}${demo ? " demo-trust" : ""}`,
      "data-file": entry.name,
      "data-verdict": r.verdict,
      "data-demo": demo ? "true" : null,
      "aria-label": `${entry.name}: ${t(r.verdict)}${demo ? ` (${t("demoVerdict")})` : ""}`,
    },
    h("p", { class: "file" }, h("span", { class: "muted", text: `${t("file")}: ` }), entry.name),
    h(
      "div",
      { class: "verdict" },
      h("span", { class: "icon", "aria-hidden": "true", text: icon }),
      h("strong", { class: "verdict-text", text: t(r.verdict) }),
      demo ? h("span", { class: "demo-mark", text: t("demoVerdict") }) : null,
    ),
    demo ? h("p", { class: "hint demo-hint", role: "note", text: t("demoHint") }) : null,
    h("p", { class: "plain", text: plainWords(r) }),
    h(
      "p",
      { class: "detail" },
      h("span", { class: "muted", text: `${t("details")}: ` }),
      h("span", { class: "reason", text: r.reason[lang] }),
    ),
    r.subIndication
      ? h("p", { class: "code muted" }, `${t("reasonCode")}: `, h("code", { text: r.subIndication }))
      : null,
    r.verdict === "INDETERMINATE" && /CHAIN|CERTIFICATE/.test(r.subIndication || "")
      ? h("p", { class: "hint", text: t("untrustedHint") })
      : null,
    renderWarnings(r.warnings),
    ...(r.format === "ofd" && r.document
      ? renderDocument(r.document)
      : [r.bill ? renderBill(r.bill) : h("p", { class: "muted", text: t("noBill") }), renderSignatures(r.signatures)]),
    renderChecks(r.checks),
  );
  return card;
}

/** The verdict in plain words (a document's own words where they differ). */
function plainWords(r) {
  const key = r.subIndication || "VALID";
  return (r.format === "ofd" && t("plainOfd")[key]) || t("plain")[key] || "";
}

// ---------------------------------------------------------------------------
// Rendering one OFD document: its seals and signatures, then attachments

const PICTURE_TYPES = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", bmp: "image/bmp" };

function renderDocument(doc) {
  return [
    h("p", { class: "doc-parts muted small", text: tf("ofdParts", { n: doc.parts }) }),
    renderOfdSignatures(doc.signatures),
    renderAttachments(doc.attachments),
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
    const icon = { VALID: "✓", INVALID: "✗", INDETERMINATE: "?" }[s.verdict];
    const seal = s.seal;
    const failed = s.failedReferences.length
      ? h(
          "div",
          { class: "failed-refs" },
          h("p", { class: "label", text: t("failedReferences") }),
          h("ul", {}, s.failedReferences.map((f) => h("li", {}, h("code", { text: f })))),
        )
      : null;
    const chain = renderChain(s.chain);
    return h(
      "section",
      { class: `signature ofd-signature verdict-${s.verdict.toLowerCase()}`, "data-type": s.type, "data-id": s.id },
      h(
        "h4",
        {},
        h("span", { class: "sig-icon", "aria-hidden": "true", text: icon }),
        h("span", { class: "sig-type", text: t(s.type) }),
        seal?.name ? h("span", { class: "seal-name", text: ` ${seal.name}` }) : null,
        " · ",
        h("span", { class: "sig-verdict", text: t(s.verdict) }),
      ),
      h("p", { class: "sig-message", text: s.message[lang] }),
      s.subIndication ? h("p", { class: "code muted" }, `${t("reasonCode")}: `, h("code", { text: s.subIndication })) : null,
      failed,
      sealPicture(seal),
      h(
        "dl",
        { class: "fields small" },
        seal ? field(t("sealName"), seal.name, "seal-name-field") : null,
        seal && (seal.validFrom || seal.validTo)
          ? field(t("sealValidity"), `${dateOnly(seal.validFrom)} — ${dateOnly(seal.validTo)}`)
          : null,
        s.signer
          ? [
              field(t("signer"), s.signer.subject, "signer-field"),
              field(t("issuer"), s.signer.issuer, "issuer-field"),
              field(
                t("validity"),
                `${dateOnly(s.signer.notBefore)} — ${dateOnly(s.signer.notAfter)}`,
                "validity-field",
              ),
            ]
          : field(t("signer"), t("noSigner")),
        field(t("algorithm"), [s.method, s.encoding, s.sesVersion ? `SES v${s.sesVersion}` : null].filter(Boolean).join(" · ")),
        field(t("signingTime"), formatTime(s.signingTime)),
        field(t("signedPart"), s.baseLoc),
      ),
      h("div", { class: "chain-wrap" }, h("p", { class: "label", text: t("chain") }), chain),
    );
  });
  return h(
    "section",
    { class: "signatures ofd-signatures" },
    h("h3", { text: t("documentSignaturesHeading") }),
    list.length ? list : h("p", { class: "muted", text: t("noSignatures") }),
  );
}

function renderAttachments(attachments) {
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
      h("h4", { text: `${t(a.kind)}: ${a.name || a.file}` }),
      h(
        "p",
        { class: "muted small" },
        h("code", { text: a.file }),
        ` · ${t(`format_${a.format}`)} · ${t(a.covered ? "covered" : "notCovered")}`,
      ),
      nested
        ? h(
            "div",
            { class: `embedded-bill verdict-${nested.verdict.toLowerCase()}`, "data-verdict": nested.verdict },
            h(
              "p",
              { class: "embedded-verdict" },
              `${t("embeddedBill")}: `,
              h("strong", { text: t(nested.verdict) }),
              ` · ${nested.reason[lang]}`,
            ),
            nested.bill ? renderBill(nested.bill) : null,
          )
        : null,
      fields,
    );
  });
  return h("section", { class: "attachments" }, h("h3", { text: t("attachmentsHeading") }), list);
}

function renderBill(bill) {
  const m = bill.main;
  const headers = ["itemCode", "itemName", "itemUnit", "itemQuantity", "itemStd", "itemAmount", "itemRemark"];
  const rows = bill.items.map((it) => {
    const cells = [it.code, it.name, it.unit, it.quantity, it.std, it.amount.text, it.remark];
    return h(
      "tr",
      {},
      cells.map((v, i) =>
        h("td", { "data-label": t(headers[i]), class: i === 5 ? "num" : i === 1 ? "name" : null, text: v ?? "" }),
      ),
    );
  });
  let capital = m.totalAmountCapital;
  let computed = false;
  if (!capital && typeof m.totalAmount.fen === "number") {
    capital = piaoyan.spellAmount(m.totalAmount.fen);
    computed = true;
  }
  const payerCode = m.payerParty.code;
  return h(
    "section",
    { class: "paper", "aria-label": t("billHeading") },
    h("h3", { class: "bill-name", text: m.eInvoiceName }),
    h(
      "dl",
      { class: "fields" },
      field(t("eInvoiceCode"), m.eInvoiceCode, "code-field"),
      field(t("eInvoiceNumber"), m.eInvoiceNumber, "number-field"),
      field(t("randomNumber"), m.randomNumber, "check-field"),
      field(t("issueDate"), formatDate(m.issueDate, m.issueTime), "date-field"),
      field(t("payer"), m.payerParty.name, "payer-field"),
      field(t("payerCode"), payerCode),
      field(t("invoicingParty"), m.invoicingParty.name, "unit-field"),
      field(t("invoicingCode"), m.invoicingParty.code),
    ),
    h(
      "table",
      { class: "items" },
      h("thead", {}, h("tr", {}, headers.map((k) => h("th", { scope: "col", text: t(k) })))),
      h("tbody", {}, rows),
    ),
    h(
      "div",
      { class: "total" },
      h(
        "p",
        { class: "capital" },
        h("span", { class: "label", text: `${t("totalCapital")} ` }),
        h("strong", { class: "capital-text", text: capital || "—" }),
        computed ? h("span", { class: "muted small", text: ` (${t("computedCapital")})` }) : null,
      ),
      h(
        "p",
        { class: "figures" },
        h("span", { class: "label", text: `${t("totalFigures")} ` }),
        h("strong", { class: "amount-text", text: `¥${m.totalAmount.text}` }),
      ),
    ),
    h(
      "dl",
      { class: "fields small" },
      field(t("remark"), m.remark),
      field(t("handlingPerson"), m.handlingPerson),
      field(t("checker"), m.checker),
    ),
  );
}

function certLine(label, cert) {
  return field(label, cert ? `${commonName(cert.subject)}` : null);
}

/** A certificate path, signer first: each subject's common name, the anchor marked. */
function renderChain(chain) {
  if (!chain.length) return h("p", { class: "muted", text: t("noChain") });
  return h(
    "ol",
    { class: "chain" },
    chain.map((c, i) =>
      h(
        "li",
        {},
        h("span", { text: commonName(c.subject) }),
        c.source === "anchor" || i === chain.length - 1
          ? h("span", { class: "badge", text: c.source === "anchor" ? t("anchorMark") : c.source })
          : null,
        c.demo ? h("span", { class: "badge demo-mark", text: t("demoVerdict") }) : null,
      ),
    ),
  );
}

function renderSignatures(signatures) {
  const list = signatures.map((s) => {
    const icon = { VALID: "✓", INVALID: "✗", INDETERMINATE: "?" }[s.verdict];
    const chain = renderChain(s.chain);
    return h(
      "section",
      { class: `signature verdict-${s.verdict.toLowerCase()}`, "data-role": s.role },
      h(
        "h4",
        {},
        h("span", { class: "sig-icon", "aria-hidden": "true", text: icon }),
        `${t(s.role)} · `,
        h("span", { class: "sig-verdict", text: t(s.verdict) }),
      ),
      h("p", { class: "sig-message", text: s.message[lang] }),
      h(
        "dl",
        { class: "fields small" },
        s.signer
          ? [
              field(t("signer"), s.signer.subject, "signer-field"),
              field(t("issuer"), s.signer.issuer, "issuer-field"),
              field(
                t("validity"),
                `${dateOnly(s.signer.notBefore)} — ${dateOnly(s.signer.notAfter)}`,
                "validity-field",
              ),
            ]
          : field(t("signer"), t("noSigner")),
        field(t("algorithm"), [s.algorithm, s.encoding].filter(Boolean).join(" · ")),
        field(t("signingTime"), formatTime(s.signingTime)),
      ),
      h("div", { class: "chain-wrap" }, h("p", { class: "label", text: t("chain") }), chain),
    );
  });
  return h(
    "section",
    { class: "signatures" },
    h("h3", { text: t("signaturesHeading") }),
    list.length ? list : h("p", { class: "muted", text: t("noSignatures") }),
  );
}

function renderWarnings(warnings) {
  if (!warnings.length) return null;
  return h(
    "section",
    { class: "warnings", role: "note" },
    h("h3", { text: `${t("warningsHeading")} (${warnings.length})` }),
    h(
      "ul",
      {},
      warnings.map((w) => h("li", {}, h("code", { text: w.code }), " ", w.message[lang])),
    ),
  );
}

function renderChecks(checks) {
  const mark = { pass: "✓", fail: "✗", notApplicable: "–" };
  return h(
    "details",
    { class: "checks" },
    h("summary", { text: `${t("checksHeading")} (${checks.length}${t("items")})` }),
    h(
      "ul",
      {},
      checks.map((c) =>
        h(
          "li",
          { class: `check-${c.result}` },
          h("span", { class: "mark", "aria-label": t(c.result), text: mark[c.result] }),
          " ",
          h("code", { text: c.id }),
          " ",
          c.message[lang],
        ),
      ),
    ),
  );
}

function renderResults() {
  const box = $("results");
  box.replaceChildren(...bills.map(renderCard));
  $("results-section").hidden = bills.length === 0;
}

// ---------------------------------------------------------------------------
// Trust material

function trustOptions() {
  const all = [...(useDemo() ? demoEntries : []), ...userEntries];
  const of = (kind) => all.filter((e) => e.kind === kind).map((e) => e.der);
  return {
    trustAnchors: of("anchor"),
    certificates: of("intermediate"),
    crls: of("crl"),
    now: Math.floor(Date.now() / 1000),
  };
}

function entryFromDer(der, label, source, demo, kindHint) {
  if (label === "X509 CRL") {
    const summary = piaoyan.describeCrl(der);
    return { id: nextId++, kind: "crl", der, summary, source, demo };
  }
  const summary = piaoyan.describeCertificate(der);
  const kind = kindHint || (summary.selfIssued ? "anchor" : "intermediate");
  return { id: nextId++, kind, der, summary, source, demo };
}

function loadDemoTrust() {
  const files = [
    [demoTrust.roots, "anchor", "roots.pem"],
    [demoTrust.intermediates, "intermediate", "intermediates.pem"],
    [demoTrust.crls, null, "crls.pem"],
  ];
  demoEntries = [];
  for (const [text, kind, name] of files) {
    for (const b of piaoyan.pemBlocks(text)) {
      if (b.label !== "CERTIFICATE" && b.label !== "X509 CRL") continue;
      demoEntries.push(entryFromDer(b.der, b.label, name, true, b.label === "CERTIFICATE" ? kind : null));
    }
  }
}

async function addTrustFiles(files) {
  const notes = [];
  const known = new Set(userEntries.map((e) => e.summary.sha256));
  for (const file of files) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
    let added = 0;
    const ignored = new Set();
    try {
      const blocks = text.includes("-----BEGIN") ? piaoyan.pemBlocks(text) : null;
      const candidates = blocks
        ? blocks
        : [{ label: guessDerLabel(bytes), der: bytes }];
      for (const b of candidates) {
        if (b.label !== "CERTIFICATE" && b.label !== "X509 CRL") {
          ignored.add(b.label || "?");
          continue;
        }
        const entry = entryFromDer(b.der, b.label, file.name, false, null);
        if (known.has(entry.summary.sha256)) {
          notes.push(`${file.name}: ${commonName(entry.summary.subject || entry.summary.issuer)} ${t("duplicate")}`);
          continue;
        }
        known.add(entry.summary.sha256);
        userEntries.push(entry);
        added++;
      }
      if (added) notes.push(`${t("added")} ${added} · ${file.name}`);
      if (ignored.size) notes.push(`${t("ignored")} ${[...ignored].join(", ")} · ${file.name}`);
      if (!blocks && !added) notes.push(`${file.name} ${t("notTrust")}`);
    } catch (e) {
      notes.push(`${file.name}: ${e.message}`);
    }
  }
  $("trust-notice").textContent = notes.join("  ");
  renderTrust();
  reverifyAll();
}

/** DER without PEM armour: a certificate or a CRL, whichever parses. */
function guessDerLabel(bytes) {
  try {
    piaoyan.describeCertificate(bytes);
    return "CERTIFICATE";
  } catch {
    try {
      piaoyan.describeCrl(bytes);
      return "X509 CRL";
    } catch {
      return null;
    }
  }
}

function renderTrust() {
  const entries = [...(useDemo() ? demoEntries : []), ...userEntries];
  const items = entries.map((e) => {
    const s = e.summary;
    const title = e.kind === "crl" ? commonName(s.issuer) : commonName(s.subject);
    const detail =
      e.kind === "crl"
        ? `${t("crl")} · ${s.revoked} ${t("revoked")} · ${dateOnly(s.thisUpdate)}${s.nextUpdate ? ` → ${dateOnly(s.nextUpdate)}` : ""}`
        : `${dateOnly(s.notBefore)} — ${dateOnly(s.notAfter)} · ${t("issuer")}: ${commonName(s.issuer)}`;
    let control;
    if (e.demo) {
      control = h("span", { class: "badge", text: `${t(e.kind)} · ${t("demo")}` });
    } else if (e.kind === "crl") {
      control = h("span", { class: "badge", text: t("crl") });
    } else {
      const select = h(
        "select",
        {
          "aria-label": `${t("useAs")}: ${title}`,
          onchange: (ev) => {
            e.kind = ev.target.value;
            reverifyAll();
          },
        },
        ["anchor", "intermediate"].map((k) => h("option", { value: k, selected: e.kind === k, text: t(k) })),
      );
      control = h("label", { class: "use-as" }, `${t("useAs")} `, select);
    }
    return h(
      "li",
      { class: `trust-entry kind-${e.kind}` },
      h("div", { class: "trust-main" }, h("strong", { text: title }), h("span", { class: "muted small", text: detail })),
      h(
        "div",
        { class: "trust-actions" },
        control,
        e.demo
          ? null
          : h("button", {
              type: "button",
              class: "button small",
              text: t("remove"),
              "aria-label": `${t("remove")}: ${title}`,
              onclick: () => {
                userEntries = userEntries.filter((x) => x !== e);
                renderTrust();
                reverifyAll();
              },
            }),
      ),
    );
  });
  if (!entries.some((e) => e.kind === "anchor")) {
    items.unshift(h("li", { class: "notice", text: t("noTrust") }));
  }
  $("trust-list").replaceChildren(...items);
}

// ---------------------------------------------------------------------------
// Verifying

const ready = piaoyan.init().then(
  () => {
    loadDemoTrust();
    renderTrust();
    $("version").textContent = piaoyan.version();
    $("module-hash").textContent = piaoyan.moduleHash();
    setStatus("ready");
  },
  (e) => {
    setStatus("error", e.message);
    throw e;
  },
);

function setStatus(state, detail) {
  const el = $("status");
  el.dataset.state = state;
  el.dataset.detail = detail || "";
  el.textContent = state === "error" ? t("loadFailed") + (detail || "") : t(state);
}

function verifyEntry(entry) {
  try {
    entry.report = piaoyan.verify(entry.bytes, trustOptions());
    entry.error = undefined;
  } catch (e) {
    entry.report = undefined;
    entry.error = { code: e.code || "ERROR", message: e.message };
  }
}

async function addBills(files) {
  const list = [...files];
  if (!list.length) return;
  const read = await Promise.all(list.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
  await ready;
  // A new batch goes on top, in the order it was picked.
  const earlier = bills;
  const fresh = [];
  for (const { name, bytes } of read) {
    const entry = { id: nextId++, name, bytes };
    verifyEntry(entry);
    fresh.push(entry);
    bills = [...fresh, ...earlier.filter((b) => bills.includes(b))];
    renderResults();
    if (!firstVerdictMarked) {
      firstVerdictMarked = true;
      performance.mark("piaoyan:first-verdict");
    }
    // Let the page paint between bills of a large batch.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  $("results-section").scrollIntoView?.({ block: "start" });
}

function reverifyAll() {
  for (const b of bills) verifyEntry(b);
  renderResults();
}

// ---------------------------------------------------------------------------
// Language

function applyLanguage() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = `${t("title")} · ${t("subtitle")}`;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  const button = $("lang");
  button.textContent = lang === "zh" ? "English" : "中文";
  button.lang = lang === "zh" ? "en" : "zh-CN";
  button.setAttribute("aria-label", lang === "zh" ? "Switch to English" : "切换到中文");
  const status = $("status");
  setStatus(status.dataset.state, status.dataset.detail);
  if (piaoyan.isReady()) renderTrust();
  renderResults();
}

// ---------------------------------------------------------------------------
// Wiring

$("lang").addEventListener("click", () => {
  lang = lang === "zh" ? "en" : "zh";
  applyLanguage();
// Files chosen before this script ran (a fast user, or a restored page).
if ($("bills").files.length) addBills($("bills").files);
});

$("bills").addEventListener("change", (ev) => {
  const files = ev.target.files;
  addBills(files).finally(() => {
    ev.target.value = "";
  });
});

$("trust-files").addEventListener("change", (ev) => {
  const files = [...ev.target.files];
  ready.then(() => addTrustFiles(files)).finally(() => {
    ev.target.value = "";
  });
});

$("use-demo").addEventListener("change", () => {
  renderTrust();
  reverifyAll();
});

$("clear").addEventListener("click", () => {
  bills = [];
  renderResults();
  $("bills").focus();
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
    if (type === "dragend" || ev.target === document.documentElement || ev.relatedTarget === null) {
      drop.classList.remove("dragging");
    }
  });
}
document.addEventListener("drop", (ev) => {
  ev.preventDefault();
  drop.classList.remove("dragging");
  const files = [...(ev.dataTransfer?.files || [])];
  if (files.length) addBills(files);
});

applyLanguage();
// Files chosen before this script ran (a fast user, or a restored page).
if ($("bills").files.length) addBills($("bills").files);
