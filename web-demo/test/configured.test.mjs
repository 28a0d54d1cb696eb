// createVerifier(): the options read and the trust built once, on the
// module's configured ABI; its reports are verify(bill, options)'s, byte
// for byte (as JSON text, key order included), over every demo bill and
// every shared vector; the same errors; several verifiers side by side;
// free() and Symbol.dispose; `now` from the clock.

import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { PKG, REPO, bill, demoOptions, expected, pem, requirePkg } from "./env.mjs";

requirePkg();
const piaoyan = await import(join(PKG, "index.js"));
await piaoyan.init();

const VECTORS = join(REPO, "..", "shared", "vectors", "bills");
const vectorText = (f) => readFileSync(join(VECTORS, "trust", f), "utf8");
const vectorOptions = (extra = {}) => ({
  trustAnchors: [vectorText("roots.pem")],
  certificates: [vectorText("intermediates.pem")],
  crls: [vectorText("crls.pem")],
  ...extra,
});
const vectorFiles = () => readdirSync(VECTORS).filter((f) => /\.(xml|ofd)$/.test(f)).sort();
const NOW = 1767225600;

function sameReports(verifier, options, files, read) {
  for (const name of files) {
    const bytes = read(name);
    const want = JSON.stringify(piaoyan.verify(bytes, options));
    assert.equal(JSON.stringify(verifier.verify(bytes)), want, name);
  }
}

test("reports equal verify(bill, options) over every demo bill and every shared vector", () => {
  const demo = piaoyan.createVerifier(demoOptions({ now: NOW }));
  assert.deepEqual([demo.trustAnchors, demo.certificates, demo.crls], [2, 2, 2]);
  const names = expected().map((e) => e.name);
  sameReports(demo, demoOptions({ now: NOW }), names, bill);
  // Twice over: the configured instance's caches change nothing.
  sameReports(demo, demoOptions({ now: NOW }), names, bill);
  const files = vectorFiles();
  assert.ok(files.length >= 100, `${files.length} shared vectors`);
  const v = piaoyan.createVerifier(vectorOptions({ now: NOW }));
  sameReports(v, vectorOptions({ now: NOW }), files, (f) => new Uint8Array(readFileSync(join(VECTORS, f))));
  // No time at all (now: null), and no options at all.
  sameReports(piaoyan.createVerifier(demoOptions({ now: null })), demoOptions({ now: null }), names, bill);
  const expiredLater = piaoyan.createVerifier(demoOptions({ now: 4102444800 }));
  assert.ok(expiredLater.verify(bill("01-hospital-valid.xml")).warnings.some((w) => w.code === "CERT_EXPIRED_SINCE_SIGNING"));
}, { timeout: 300_000 });

test("without `now`, each bill is judged at the current time, as verify() judges it", () => {
  const v = piaoyan.createVerifier(demoOptions());
  const plain = piaoyan.createVerifier();
  for (const name of expected().map((e) => e.name)) {
    for (let attempt = 0; ; attempt++) {
      const before = Math.floor(Date.now() / 1000);
      const got = [JSON.stringify(v.verify(bill(name))), JSON.stringify(plain.verify(bill(name)))];
      const want = [
        JSON.stringify(piaoyan.verify(bill(name), demoOptions({ now: before }))),
        JSON.stringify(piaoyan.verify(bill(name), { now: before })),
      ];
      if (Math.floor(Date.now() / 1000) !== before && attempt < 3) continue; // a second went by
      assert.deepEqual(got, want, name);
      break;
    }
  }
});

test("the clock is read for each bill: a verifier made long ago judges at today's time", () => {
  const real = Date.now;
  try {
    Date.now = () => 1_000_000_000_000; // 2001: the demo certificates are not yet valid then
    const v = piaoyan.createVerifier(demoOptions());
    const early = v.verify(bill("01-hospital-valid.xml"));
    Date.now = () => 4_102_444_800_000; // 2100: long expired
    const late = v.verify(bill("01-hospital-valid.xml"));
    assert.deepEqual(late, piaoyan.verify(bill("01-hospital-valid.xml"), demoOptions({ now: 4102444800 })));
    assert.ok(late.warnings.some((w) => w.code === "CERT_EXPIRED_SINCE_SIGNING"), JSON.stringify(late.warnings));
    assert.notDeepEqual(early.warnings, late.warnings);
  } finally {
    Date.now = real;
  }
});

test("several verifiers live side by side, each with its own trust", () => {
  const trusting = piaoyan.createVerifier(demoOptions({ now: NOW }));
  const none = piaoyan.createVerifier({ now: NOW });
  const revokedOnly = piaoyan.createVerifier({ trustAnchors: [pem("roots.pem")], now: NOW });
  for (let i = 0; i < 3; i++) {
    assert.equal(trusting.verify(bill("01-hospital-valid.xml")).verdict, "VALID");
    assert.equal(none.verify(bill("01-hospital-valid.xml")).verdict, "INDETERMINATE");
    assert.equal(trusting.verify(bill("07-revoked-certificate.xml")).subIndication, "REVOKED");
    assert.deepEqual(
      revokedOnly.verify(bill("02-school-valid.xml")),
      piaoyan.verify(bill("02-school-valid.xml"), { trustAnchors: [pem("roots.pem")], now: NOW }),
    );
  }
});

test("the errors of verify(): options, bills, and FREED after free() or dispose", () => {
  const caught = (f) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof piaoyan.PiaoyanError, String(e));
      return { code: e.code, message: e.message, field: e.field, index: e.index };
    }
    assert.fail("no error");
  };
  const b = bill("01-hospital-valid.xml");
  for (const options of [
    "trust",
    { trustAnchor: [] },
    { limits: { maxDepht: 3 } },
    { now: 1.5 },
    { crls: [42] },
    { trustAnchors: [pem("roots.pem"), "!!"] },
    { crls: [pem("roots.pem")] },
    { certificates: [pem("roots.pem"), new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])] },
  ]) {
    const want = caught(() => piaoyan.verify(b, options));
    assert.deepEqual(caught(() => piaoyan.createVerifier(options)), want, JSON.stringify(options));
  }
  const v = piaoyan.createVerifier(demoOptions());
  assert.deepEqual(caught(() => v.verify("<xml/>")), caught(() => piaoyan.verify("<xml/>", demoOptions())));
  // A bill that is not one is a report, as with verify().
  assert.equal(v.verify(new Uint8Array()).notABill, "empty");
  v.free();
  assert.equal(caught(() => v.verify(b)).code, "FREED");
  v.free(); // twice is fine
  const w = piaoyan.createVerifier();
  assert.equal(typeof Symbol.dispose, "symbol");
  w[Symbol.dispose]();
  assert.match(caught(() => w.verify(b)).message, /freed; make another with createVerifier\(\)/);
});
