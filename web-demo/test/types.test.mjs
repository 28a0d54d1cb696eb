// The package's TypeScript declarations (wasm/js/index.d.ts) kept in sync:
// real reports of every demo bill type-check as `Report` (tsc, strict, with
// excess-property checks), every object and enum of
// docs/report.schema.json has exactly the keys, required keys and values
// the declarations give it, and typical use compiles while misuse does not.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import ts from "typescript";

import { PKG, REPO, bill, demoOptions, expected, ofd, ofdLabels, requirePkg } from "./env.mjs";

requirePkg();
const piaoyan = await import(join(PKG, "index.js"));

const schema = JSON.parse(readFileSync(join(REPO, "docs", "report.schema.json"), "utf8"));
const defs = schema.$defs;
const main = defs.bill.properties.main;

/** Schema object → declared type. */
const OBJECTS = [
  ["Message", defs.message],
  ["Check", defs.check],
  ["Warning", defs.warning],
  ["CertificateInfo", defs.certificate],
  ["SignatureReport", defs.signature],
  ["Amount", defs.amount],
  ["ExtraField", defs.extras.items],
  ["Seal", defs.seal.oneOf[1]],
  ["Bill", defs.bill],
  ["Header", defs.bill.properties.header],
  ["Main", main],
  ["InvoicingParty", main.properties.invoicingParty],
  ["PayerParty", main.properties.payerParty],
  ["Item", defs.bill.properties.items.items],
  ["AuxItem", defs.bill.properties.auxItems.items],
  ["DocumentReport", defs.document],
  ["OfdSignatureReport", defs.ofdSignature],
  ["OfdReference", defs.ofdSignature.properties.references.items],
  ["OfdSeal", defs.ofdSeal],
  ["SealPicture", defs.ofdSeal.properties.picture.oneOf[1]],
  ["Attachment", defs.attachment],
  ["AttachmentField", defs.attachment.properties.fields.items],
];

/** Schema enum → declared type. */
const ENUMS = [
  ["Verdict", defs.verdict.enum],
  ["SubIndication", defs.subIndication.enum],
  ['CertificateInfo["keyAlgorithm"]', defs.certificate.properties.keyAlgorithm.enum],
  ['CertificateInfo["source"]', defs.certificate.properties.source.enum],
  ['SignatureReport["role"]', defs.signature.properties.role.enum],
  ['NonNullable<SignatureReport["format"]>', defs.signature.properties.format.oneOf[1].enum],
  ['NonNullable<SignatureReport["encoding"]>', defs.signature.properties.encoding.oneOf[1].enum],
  ['Check["level"]', defs.check.properties.level.enum],
  ['Check["result"]', defs.check.properties.result.enum],
  ['Report["format"]', schema.properties.format.enum],
  ['NonNullable<OfdSignatureReport["encoding"]>', defs.ofdSignature.properties.encoding.oneOf[1].enum],
  ['NonNullable<OfdSignatureReport["sesVersion"]>', defs.ofdSignature.properties.sesVersion.oneOf[1].enum],
  ['OfdSeal["version"]', defs.ofdSeal.properties.version.enum],
  ['OfdReference["result"]', defs.ofdSignature.properties.references.items.properties.result.enum],
  ['Attachment["kind"]', defs.attachment.properties.kind.enum],
  ['Attachment["format"]', defs.attachment.properties.format.enum],
];

const union = (values) => (values.length ? values.map((v) => JSON.stringify(v)).join(" | ") : "never");

function source(reports, bills) {
  const names = [
    "init", "verify", "parse", "version", "moduleHash", "PiaoyanError", "describeCertificate", "describeCrl",
    "spellAmount", "pemBlocks", "createVerifier", "createWorkerVerifier",
    "type Verifier", "type WorkerVerifier", "type ModuleSource",
    "type Report", "type Options", "type Verdict", "type SubIndication", "type Message", "type Check",
    "type Warning", "type CertificateInfo", "type SignatureReport", "type Amount", "type ExtraField", "type Seal",
    "type Bill", "type Header", "type Main", "type InvoicingParty", "type PayerParty", "type Item", "type AuxItem",
    "type CertificateSummary", "type CrlSummary",
    "type DocumentReport", "type OfdSignatureReport", "type OfdReference", "type OfdSeal", "type SealPicture",
    "type Attachment", "type AttachmentField",
  ];
  const lines = [
    `import { ${names.join(", ")} } from ${JSON.stringify(join(PKG, "index.js"))};`,
    "type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;",
    "type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];",
    "",
  ];
  reports.forEach((r, i) => lines.push(`export const report${i}: Report = ${JSON.stringify(r)};`));
  bills.forEach((b, i) => lines.push(`export const bill${i}: Bill = ${JSON.stringify(b)};`));
  lines.push(`export const reportKeys: Same<keyof Report, ${union(Object.keys(schema.properties))}> = true;`);
  for (const [type, def] of OBJECTS) {
    const id = type.replace(/\W/g, "");
    lines.push(`export const keys${id}: Same<keyof ${type}, ${union(Object.keys(def.properties))}> = true;`);
    lines.push(`export const required${id}: Same<RequiredKeys<${type}>, ${union(def.required)}> = true;`);
  }
  ENUMS.forEach(([type, values], i) => lines.push(`export const enum${i}: Same<${type}, ${union(values)}> = true;`));
  lines.push(`
export async function usage(bytes: Uint8Array, pem: string): Promise<string> {
  await init();
  await init(new ArrayBuffer(8));
  const options: Options = { trustAnchors: [pem, bytes], certificates: [], crls: null, now: 1767225600, limits: { maxDepth: 64 } };
  const r = verify(bytes, options);
  verify(new ArrayBuffer(4));
  if (r.verdict === "VALID") {
    const none: null = r.subIndication;
    void none;
  } else {
    const why: SubIndication = r.subIndication;
    void why;
  }
  const total: number | null | undefined = r.bill?.main.totalAmount.fen;
  const signer: string | undefined = r.signatures[0]?.signer?.subject;
  if (r.format === "ofd" && r.document) {
    const seal: string | null | undefined = r.document.signatures[0]?.seal?.name;
    const kind: "Seal" | "Sign" | undefined = r.document.signatures[0]?.type;
    const picture: SealPicture | null | undefined = r.document.signatures[0]?.seal?.picture;
    const nested: Report | null | undefined = r.document.attachments[0]?.report;
    void [seal, kind, picture, nested];
    // @ts-expect-error a seal picture's size may be absent
    const w: number = r.document.signatures[0]!.seal!.picture!.width;
    void w;
  }
  const b: Bill = parse(bytes);
  const c: CertificateSummary = describeCertificate(pem);
  const l: CrlSummary = describeCrl(bytes);
  const blocks: { label: string; der: Uint8Array }[] = pemBlocks(pem);
  try {
    verify(bytes);
  } catch (e) {
    if (e instanceof PiaoyanError) {
      const code: string = e.code;
      void code;
    }
  }
  // @ts-expect-error a misspelt option is an error
  verify(bytes, { trustAnchor: [pem] });
  // @ts-expect-error a bill is bytes, not text
  verify("<bill/>");
  // @ts-expect-error trust entries are strings or bytes
  verify(bytes, { crls: [42] });
  // @ts-expect-error a verdict is one of three words
  const wrong: "OK" = r.verdict;
  // @ts-expect-error subIndication is null only when VALID
  const impossible: Report = { ...r, verdict: "INVALID", subIndication: null };
  void [wrong, impossible, total, signer, b, c, l, blocks];
  // A configured verifier, for many bills.
  const v: Verifier = createVerifier(options);
  const again: Report = v.verify(bytes);
  const counted: number = v.trustAnchors + v.certificates + v.crls;
  v.free();
  {
    using scoped = createVerifier({ now: null });
    scoped.verify(new ArrayBuffer(4));
  }
  createVerifier();
  // @ts-expect-error a configured verifier takes the bill only
  v.verify(bytes, options);
  // @ts-expect-error a misspelt option is an error here too
  createVerifier({ trustAnchor: [pem] });
  // The worker client.
  const w: WorkerVerifier = createWorkerVerifier({ postMessage() {}, addEventListener() {} });
  const later: Promise<Report> = w.verify(bytes, { now: null });
  w.terminate();
  // @ts-expect-error the worker client's answers are promises
  const sync: Report = w.verify(bytes);
  // @ts-expect-error a string is not a module source
  const fromText: ModuleSource = "piaoyan_wasm_bg.wasm";
  // @ts-expect-error moduleHash() is null after init(WebAssembly.Module)
  const hash: string = moduleHash();
  void [again, counted, later, sync, fromText, hash];
  return version() + (moduleHash() ?? "") + spellAmount(100);
}
`);
  return lines.join("\n");
}

test("the declarations describe real reports and match the schema", async () => {
  await piaoyan.init();
  const reports = [
    ...expected().map((e) => piaoyan.verify(bill(e.name), demoOptions())),
    piaoyan.verify(bill("01-hospital-valid.xml")),
    piaoyan.verify(new TextEncoder().encode("<x/>")),
    // Real OFD documents (format "ofd", with a document section), no trust.
    ...ofdLabels().map((l) => piaoyan.verify(ofd(l.file))),
  ];
  const ofdReports = reports.filter((r) => r.format === "ofd");
  assert.equal(ofdReports.length, ofdLabels().length);
  assert.ok(ofdReports.every((r) => r.document && r.document.signatures.length >= 0));
  assert.ok(ofdReports.some((r) => r.document.signatures.some((s) => s.seal?.picture)), "a seal picture is typed");
  assert.ok(ofdReports.some((r) => r.document.attachments.length > 0), "an attachment is typed");
  const bills = expected().map((e) => piaoyan.parse(bill(e.name)));
  const dir = mkdtempSync(join(tmpdir(), "piaoyan-types-"));
  try {
    const file = join(dir, "check.ts");
    writeFileSync(file, source(reports, bills));
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2022.d.ts"],
      types: [],
      exactOptionalPropertyTypes: true,
      noUnusedLocals: false,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${d.file.fileName.endsWith("check.ts") ? "check.ts" : d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    assert.deepEqual(diagnostics, [], diagnostics.join("\n"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Diagnostics of tsc over `text` (strict), with the given libs. */
function check(text, lib) {
  const dir = mkdtempSync(join(tmpdir(), "piaoyan-types-"));
  try {
    const file = join(dir, "check.ts");
    writeFileSync(file, text);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib,
      types: [],
      exactOptionalPropertyTypes: true,
    });
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${d.file.fileName.endsWith("check.ts") ? "check.ts" : d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("with the DOM lib: init() takes a Module, URL, Response or its promise; workers are typed (piaoyan/worker)", () => {
  const index = JSON.stringify(join(PKG, "index.js"));
  const worker = JSON.stringify(join(PKG, "worker.js"));
  const text = `
import { init, createVerifier, createWorkerVerifier, type ModuleSource, type Report } from ${index};
import { serve, type WorkerRequest, type WorkerResponse } from ${worker};

export async function runtimes(module: WebAssembly.Module, url: URL, response: Response): Promise<Report> {
  await init(module);
  await init(url);
  await init(response);
  await init(fetch(url));
  await init(new Uint8Array(8));
  await init();
  const sources: ModuleSource[] = [module, url, response, fetch(url), new ArrayBuffer(8)];
  // (WebAssembly.Module is an empty interface in TypeScript's lib, so any
  // object type-checks as one: a Blob or a Request is caught at run time,
  // INPUT_TYPE, not by tsc.)
  using v = createVerifier({ now: null });
  v.verify(new Uint8Array());
  const client = createWorkerVerifier(new Worker(new URL("piaoyan/worker", import.meta.url), { type: "module" }));
  createWorkerVerifier(url);
  const request: WorkerRequest = { id: 1, bill: new Uint8Array(), options: { now: null } };
  serve({ postMessage(m: WorkerResponse) { if ("error" in m) void m.error.code; }, addEventListener() {} });
  // @ts-expect-error a port needs postMessage
  serve({ addEventListener() {} });
  void [sources, request];
  return client.verify(new Uint8Array(1), { now: null });
}
`;
  assert.deepEqual(check(text, ["lib.es2022.d.ts", "lib.dom.d.ts"]), []);
  // Without the DOM lib the same declarations still compile; only the
  // runtime's own types are missing.
  const plain = check(text, ["lib.es2022.d.ts"]);
  assert.ok(plain.length > 0 && plain.every((d) => /^check\.ts:\d+ (Cannot find (name|namespace) '(WebAssembly|URL|Response|fetch|Worker)'|Property 'url' does not exist on type 'ImportMeta')/.test(d)), plain.join("\n"));
});

test("a declaration out of step with the schema is caught (the check can fail)", () => {
  // The same machinery on a deliberately wrong declaration.
  const dir = mkdtempSync(join(tmpdir(), "piaoyan-types-"));
  try {
    const file = join(dir, "wrong.ts");
    writeFileSync(
      file,
      [
        "type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;",
        'interface Message { zh: string }',
        `export const keys: Same<keyof Message, ${union(Object.keys(defs.message.properties))}> = true;`,
      ].join("\n"),
    );
    const program = ts.createProgram([file], { strict: true, noEmit: true, types: [], lib: ["lib.es2022.d.ts"] });
    assert.equal(ts.getPreEmitDiagnostics(program).length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
