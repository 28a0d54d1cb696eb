// The npm package (web-demo/pkg, built by scripts/build-web) in Node: one
// artifact with the CLI (by hash), the size budget, reports equal to the
// CLI's and valid against docs/report.schema.json, and its errors.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import Ajv2020 from "ajv/dist/2020.js";

import {
  BILLS,
  GZIP_BUDGET,
  PKG,
  REPO,
  SAMPLES,
  bill,
  cliModuleHash,
  demoOptions,
  expected,
  pem,
  piaoyanBin,
  requirePkg,
} from "./env.mjs";

requirePkg();
const piaoyan = await import(join(PKG, "index.js"));

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
const wasmBytes = readFileSync(join(PKG, "piaoyan_wasm_bg.wasm"));

test("verify before init() is a NOT_INITIALIZED error", () => {
  assert.throws(() => piaoyan.verify(bill("01-hospital-valid.xml")), {
    name: "PiaoyanError",
    code: "NOT_INITIALIZED",
  });
  assert.equal(piaoyan.isReady(), false);
});

test("init() instantiates the bundled module, once", async () => {
  const first = piaoyan.init();
  assert.equal(piaoyan.init(), first, "later calls return the same promise");
  await first;
  assert.equal(piaoyan.isReady(), true);
  assert.equal(piaoyan.version(), JSON.parse(readFileSync(join(PKG, "package.json"), "utf8")).version);
});

test("one artifact: the page's module, the bundled bytes and moduleHash() are what piaoyan embeds", async () => {
  await piaoyan.init();
  const cli = cliModuleHash();
  assert.equal(sha256(wasmBytes), cli, "web-demo/pkg/piaoyan_wasm_bg.wasm");
  const { default: base64 } = await import(join(PKG, "piaoyan_wasm_bytes.js"));
  assert.equal(sha256(Buffer.from(base64, "base64")), cli, "piaoyan_wasm_bytes.js");
  assert.equal(piaoyan.moduleHash(), cli, "moduleHash()");
});

test(`the module is at most ${GZIP_BUDGET} bytes gzip -9`, () => {
  const gz = gzipSync(wasmBytes, { level: 9 }).length;
  console.log(`module: ${wasmBytes.length} bytes, ${gz} bytes gzip -9 (budget ${GZIP_BUDGET})`);
  assert.ok(gz <= GZIP_BUDGET, `${gz} > ${GZIP_BUDGET}`);
});

test("a verdict resting on the demo anchors says so (demoTrust), one on other anchors does not", async () => {
  await piaoyan.init();
  for (const e of expected()) {
    const r = piaoyan.verify(bill(e.name), demoOptions());
    const reachesAnchor = r.signatures.some((s) => s.chain.at(-1)?.source === "anchor");
    assert.equal(r.demoTrust, reachesAnchor, e.name);
    for (const s of r.signatures) {
      for (const c of s.chain) assert.equal(c.demo === true, c.source === "anchor", `${e.name}: ${c.subject}`);
    }
  }
  // Nothing trusted: no path, no demo mark.
  const untrusted = piaoyan.verify(bill("01-hospital-valid.xml"), {});
  assert.equal(untrusted.demoTrust, false);
});

test("every demo bill gets its expected verdict", async () => {
  await piaoyan.init();
  for (const e of expected()) {
    const r = piaoyan.verify(bill(e.name), demoOptions());
    assert.equal(r.verdict, e.verdict, e.name);
    assert.equal(r.subIndication, e.subIndication, e.name);
    assert.ok(r.reason.zh && r.reason.en, e.name);
  }
});

test("reports are the CLI's reports, field for field", async () => {
  await piaoyan.init();
  const trust = join(SAMPLES, "trust");
  const cli = spawnSync(
    piaoyanBin(),
    [
      "verify",
      "--format",
      "json",
      "--trust",
      join(trust, "roots.pem"),
      "--certs",
      join(trust, "intermediates.pem"),
      "--crl",
      join(trust, "crls.pem"),
      BILLS,
    ],
    { encoding: "utf8", maxBuffer: 64 << 20 },
  );
  // Exit 1: some demo bills are deliberately not VALID.
  assert.equal(cli.status, 1, cli.stderr);
  const records = JSON.parse(cli.stdout);
  assert.equal(records.length, readdirSync(BILLS).length);
  for (const record of records) {
    // `file` and `duplicateOf` are the CLI's own, around the report.
    const { file, duplicateOf, ...cliReport } = record;
    void duplicateOf;
    const name = file.split(/[\\/]/).pop();
    // The CLI judges expiry against the system clock, as the page does.
    const ours = piaoyan.verify(bill(name), demoOptions({ now: Math.floor(Date.now() / 1000) }));
    assert.deepEqual(ours, cliReport, name);
  }
}, { timeout: 120_000 });

test("reports are valid against docs/report.schema.json", async () => {
  await piaoyan.init();
  const schema = JSON.parse(readFileSync(join(REPO, "docs", "report.schema.json"), "utf8"));
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  const reports = [
    ...expected().map((e) => piaoyan.verify(bill(e.name), demoOptions())),
    piaoyan.verify(new TextEncoder().encode("<not a bill/>")),
    piaoyan.verify(new Uint8Array()),
    piaoyan.verify(bill("01-hospital-valid.xml")),
  ];
  for (const r of reports) {
    assert.ok(validate(r), JSON.stringify(validate.errors, null, 1));
  }
  assert.equal(reports.at(-3).verdict, "INVALID");
  assert.equal(reports.at(-3).subIndication, "FORMAT_FAILURE");
  assert.equal(reports.at(-3).bill, null);
  assert.equal(reports.at(-1).verdict, "INDETERMINATE", "nothing is trusted by default");
});

test("trust material as DER bytes, base64 or PEM gives the same report", async () => {
  await piaoyan.init();
  const ders = (text, label) => piaoyan.pemBlocks(text).filter((b) => b.label === label).map((b) => b.der);
  const asDer = {
    trustAnchors: ders(pem("roots.pem"), "CERTIFICATE"),
    certificates: ders(pem("intermediates.pem"), "CERTIFICATE").map((d) => d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength)),
    crls: ders(pem("crls.pem"), "X509 CRL").map((d) => Buffer.from(d).toString("base64")),
  };
  for (const name of ["01-hospital-valid.xml", "07-revoked-certificate.xml"]) {
    assert.deepEqual(piaoyan.verify(bill(name), asDer), piaoyan.verify(bill(name), demoOptions()), name);
  }
  // Buffer, ArrayBuffer and DataView bills too.
  const bytes = bill("02-school-valid.xml");
  const want = piaoyan.verify(bytes, demoOptions());
  assert.deepEqual(piaoyan.verify(Buffer.from(bytes), demoOptions()), want);
  assert.deepEqual(piaoyan.verify(bytes.buffer.slice(0), demoOptions()), want);
  assert.deepEqual(piaoyan.verify(new DataView(bytes.buffer), demoOptions()), want);
});

test("limits and now are honoured", async () => {
  await piaoyan.init();
  const r = piaoyan.verify(bill("01-hospital-valid.xml"), demoOptions({ limits: { maxInputBytes: 100 } }));
  assert.equal(r.subIndication, "FORMAT_FAILURE");
  // Long after every demo certificate expired: still VALID (signed while
  // valid), with the expiry reported as warnings; with `now: null`, not judged.
  const later = piaoyan.verify(bill("01-hospital-valid.xml"), demoOptions({ now: 4102444800 }));
  assert.equal(later.verdict, "VALID");
  assert.ok(later.warnings.some((w) => w.code === "CERT_EXPIRED_SINCE_SIGNING"), JSON.stringify(later.warnings));
  const unjudged = piaoyan.verify(bill("01-hospital-valid.xml"), demoOptions({ now: null }));
  assert.deepEqual(unjudged.warnings, []);
});

test("without `now`, verify() judges at the current time; `now: null` opts out", async () => {
  await piaoyan.init();
  const real = Date.now;
  try {
    // The clock says 2100: every demo certificate has expired by then.
    Date.now = () => 4_102_444_800_123;
    const omitted = piaoyan.verify(bill("01-hospital-valid.xml"), demoOptions());
    assert.deepEqual(omitted, piaoyan.verify(bill("01-hospital-valid.xml"), demoOptions({ now: 4102444800 })));
    assert.ok(omitted.warnings.some((w) => w.code === "CERT_EXPIRED_SINCE_SIGNING"), JSON.stringify(omitted.warnings));
    // No options at all: the clock too (nothing trusted, so no chain to judge).
    assert.deepEqual(piaoyan.verify(bill("01-hospital-valid.xml")), piaoyan.verify(bill("01-hospital-valid.xml"), { now: 4102444800 }));
    const optedOut = piaoyan.verify(bill("01-hospital-valid.xml"), demoOptions({ now: null }));
    assert.deepEqual(optedOut.warnings, []);
  } finally {
    Date.now = real;
  }
});

test("errors are PiaoyanErrors with a code, never a panic", async () => {
  await piaoyan.init();
  const b = bill("01-hospital-valid.xml");
  const cases = [
    [() => piaoyan.verify("<xml/>"), "INPUT_TYPE", /must be bytes/],
    [() => piaoyan.verify(b, "trust"), "OPTIONS_TYPE", /options must be an object/],
    [() => piaoyan.verify(b, { trustAnchor: [] }), "OPTIONS_TYPE", /^unknown field `trustAnchor` in options, expected one of trustAnchors/],
    [() => piaoyan.verify(b, { limits: { maxDepht: 3 } }), "OPTIONS_TYPE", /unknown field `maxDepht` in options.limits/],
    [() => piaoyan.verify(b, { limits: 3 }), "OPTIONS_TYPE", /options.limits must be an object/],
    [() => piaoyan.verify(b, { crls: [42] }), "OPTIONS_TYPE", /a string \(PEM or base64 DER\) or a Uint8Array/],
    [() => piaoyan.verify(b, { trustAnchors: "x" }), "OPTIONS_TYPE", /options.trustAnchors must be an array/],
    [() => piaoyan.verify(b, { now: 1.5 }), "OPTIONS_TYPE", /^options are not of the expected shape: invalid type: floating point `1.5`/],
    [() => piaoyan.verify(b, { trustAnchors: [pem("roots.pem"), "!!"] }), "OPTIONS_PEM", /^trustAnchors\[1\]/],
    [() => piaoyan.verify(b, { crls: [pem("roots.pem")] }), "OPTIONS_PEM", /crls\[0\] holds no PEM block labelled X509 CRL/],
    [() => piaoyan.verify(b, { certificates: [new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])] }), "OPTIONS_CERTIFICATE", /certificates\[0\]/],
    [() => piaoyan.parse(new TextEncoder().encode("not xml")), "FORMAT_FAILURE", /./],
    [() => piaoyan.describeCertificate(new Uint8Array([1, 2, 3])), "NOT_A_CERTIFICATE", /not a usable certificate/],
    [() => piaoyan.describeCrl(pem("roots.pem")), "PEM", /exactly one PEM block labelled X509 CRL, found 0/],
    [() => piaoyan.pemBlocks("-----BEGIN CERTIFICATE-----\nAAAA\n"), "PEM", /no END line/],
    [() => piaoyan.spellAmount(1.5), "INPUT_TYPE", /whole number of fen/],
    [() => piaoyan.spellAmount("100"), "INPUT_TYPE", /number of fen/],
  ];
  for (const [f, code, message] of cases) {
    let error;
    try {
      f();
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof piaoyan.PiaoyanError, `${code}: ${error}`);
    assert.ok(error instanceof Error);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, message);
    assert.doesNotMatch(error.message, /panicked|unreachable|RuntimeError|TypeError|Error: /);
  }
  // The module still works after every error.
  assert.equal(piaoyan.verify(b, demoOptions()).verdict, "VALID");
});

test("options errors say where: field and index", async () => {
  await piaoyan.init();
  const b = bill("01-hospital-valid.xml");
  const where = (options) => {
    try {
      piaoyan.verify(b, options);
    } catch (e) {
      assert.ok(e instanceof piaoyan.PiaoyanError, String(e));
      return [e.code, e.field, e.index];
    }
    assert.fail("no error");
  };
  assert.deepEqual(where({ trustAnchors: [pem("roots.pem"), "!!"] }), ["OPTIONS_PEM", "trustAnchors", 1]);
  assert.deepEqual(where({ crls: [pem("roots.pem")] }), ["OPTIONS_PEM", "crls", 0]);
  assert.deepEqual(
    where({ certificates: [pem("roots.pem"), new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])] }),
    ["OPTIONS_CERTIFICATE", "certificates", 2],
  );
  // Shape errors the wrapper finds have no place.
  assert.deepEqual(where({ limits: 3 }), ["OPTIONS_TYPE", null, null]);
  // Other errors have none either.
  try {
    piaoyan.parse(new TextEncoder().encode("not xml"));
  } catch (e) {
    assert.deepEqual([e.code, e.field, e.index], ["FORMAT_FAILURE", null, null]);
  }
});

test("parse() gives the report's bill", async () => {
  await piaoyan.init();
  const b = bill("03-donation-mixed-valid.xml");
  assert.deepEqual(piaoyan.parse(b), piaoyan.verify(b, demoOptions()).bill);
});

test("describeCertificate/describeCrl/spellAmount/pemBlocks", async () => {
  await piaoyan.init();
  const roots = piaoyan.pemBlocks(pem("roots.pem"));
  assert.equal(roots.length, 2);
  const root = piaoyan.describeCertificate(roots[0].der);
  assert.equal(root.selfIssued, true);
  assert.match(root.subject, /CN=Piaoyan DEMO .* Root CA/);
  assert.equal(root.sha256, sha256(roots[0].der));
  const inter = piaoyan.describeCertificate(pem("intermediates.pem").split(/(?<=-----END CERTIFICATE-----)/)[0]);
  assert.equal(inter.selfIssued, false);
  const crl = piaoyan.describeCrl(piaoyan.pemBlocks(pem("crls.pem"))[0].der);
  assert.match(crl.issuer, /Issuing CA/);
  assert.ok(crl.thisUpdate.endsWith("Z"));
  assert.equal(piaoyan.spellAmount(21710), "贰佰壹拾柒元壹角整");
  assert.equal(piaoyan.spellAmount(0), "零元整");
});

test("the package.json exports map names files that exist", () => {
  const pkg = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8"));
  assert.equal(pkg.type, "module");
  const targets = [pkg.exports["."].types, pkg.exports["."].default, pkg.exports["./piaoyan_wasm_bg.wasm"], ...pkg.files];
  const present = new Set(readdirSync(PKG).map((f) => `./${f}`));
  for (const t of targets) assert.ok(present.has(t.startsWith("./") ? t : `./${t}`), t);
});

test("render(): SVG pages marked by the verification, the render module loaded on first use only", async () => {
  const { isRenderLoaded } = await import(join(PKG, "render.js"));
  assert.equal(isRenderLoaded(), false, "verifying loaded no render module");
  const drawn = await piaoyan.render(bill("01-hospital-valid.xml"), demoOptions());
  assert.equal(isRenderLoaded(), true);
  assert.equal(drawn.pages.length, 1);
  const [page] = drawn.pages;
  assert.ok(page.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.equal(page.widthMm, 210);
  assert.equal(page.signed, "valid");
  assert.equal(drawn.report.verdict, "VALID");
  await piaoyan.init();
  assert.deepEqual(drawn.report, piaoyan.verify(bill("01-hospital-valid.xml"), demoOptions()));
  const tampered = await piaoyan.render(bill("04-hospital-tampered-amount.xml"), demoOptions());
  assert.equal(tampered.pages[0].signed, "changed");
  assert.ok(tampered.pages[0].svg.includes("签名后被改动"));
  await assert.rejects(piaoyan.render(new Uint8Array([80, 75, 3, 4, 1, 2])), {
    name: "PiaoyanError",
    code: "RENDER_UNREADABLE",
  });
  await assert.rejects(piaoyan.render("not bytes"), { name: "PiaoyanError", code: "INPUT_TYPE" });
});
