// The page in a real browser: Debian's chromium, headless, driven by
// playwright-core (no browser download), loading the page from a local
// static server on 127.0.0.1. One screenshot per state goes to
// target/web-test/ (PIAOYAN_WEB_TEST_OUT).

import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";

import { startServer } from "../serve.mjs";
import {
  BILLS,
  OFD_CORPUS,
  OUT,
  PKG,
  SAMPLES,
  WEB,
  bill,
  cliModuleHash,
  demoOptions,
  expected,
  ofd,
  requirePkg,
} from "./env.mjs";

requirePkg();
const piaoyan = await import(join(PKG, "index.js"));
await piaoyan.init();

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const billPath = (name) => join(BILLS, name);
const trustPath = (name) => join(SAMPLES, "trust", name);

let server;
let browser;
let origin;
/** Every request any page of the tests made. */
const requests = [];
/** Console errors and page errors, by test. */
const problems = [];

before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run ./scripts/install-tools --browser (apt-get install chromium)`);
  }
  mkdirSync(OUT, { recursive: true });
  server = await startServer({ root: WEB });
  origin = new URL(server.url).origin;
  // playwright gives each launch a fresh, temporary --user-data-dir.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  context.on("request", (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/Content Security Policy|connect-src/.test(m.text())) {
      problems.push(`console: ${m.text()}`);
    }
  });
  return page;
}

/** Opens the page; `demo`: tick "use the demo trust bundle" (off by default). */
async function open(page, { demo = true } = {}) {
  await page.goto(server.url);
  await page.locator('#status[data-state="ready"]').waitFor();
  if (demo) await page.check("#use-demo");
}

/** A card whose verdict rests on the demo bundle: marked 演示/DEMO, never green. */
async function assertDemoMarked(card, word) {
  assert.equal(await card.getAttribute("data-demo"), "true");
  assert.equal(await card.locator(".verdict .demo-mark").innerText(), word);
  assert.ok(await card.locator(".demo-hint").isVisible());
  const colours = await card.locator(".verdict").evaluate((el) => {
    const css = getComputedStyle(el);
    const root = getComputedStyle(document.documentElement);
    return { bg: css.backgroundColor, green: root.getPropertyValue("--valid-bg").trim() };
  });
  const hex = (rgb) => "#" + rgb.match(/\d+/g).slice(0, 3).map((n) => Number(n).toString(16).padStart(2, "0")).join("");
  assert.notEqual(hex(colours.bg), colours.green, "a demo verdict is not shown in the VALID green");
}

async function upload(page, names) {
  await page.setInputFiles("#bills", names.map(billPath));
  for (const n of names) await page.locator(`article[data-file="${n}"]`).waitFor();
}

async function clear(page) {
  if (await page.locator("#clear").isVisible()) await page.click("#clear");
  await assert.doesNotReject(page.locator("article").first().waitFor({ state: "detached" }));
}

const shot = (page, name) => page.screenshot({ path: join(OUT, name), fullPage: true });

function reportOf(name) {
  return piaoyan.verify(bill(name), demoOptions());
}

test("load to first verdict, then a VALID bill with its fields and both signatures", async () => {
  const page = await newPage({ locale: "zh-CN" });
  const start = Date.now();
  await page.goto(server.url, { waitUntil: "commit" });
  await page.check("#use-demo");
  await page.setInputFiles("#bills", billPath("01-hospital-valid.xml"));
  const card = page.locator('article[data-file="01-hospital-valid.xml"]');
  await card.waitFor();
  const elapsed = Date.now() - start;
  const inPage = await page.evaluate(() => performance.getEntriesByName("piaoyan:first-verdict")[0].startTime);
  console.log(
    `load-to-first-verdict: ${elapsed} ms from page.goto to the verdict on screen; ` +
      `${Math.round(inPage)} ms from navigation start to the verdict rendered (performance mark)`,
  );

  assert.equal(await card.getAttribute("data-verdict"), "VALID");
  await assert.doesNotReject(card.locator(".verdict-text", { hasText: "验证通过" }).waitFor());
  await assertDemoMarked(card, "演示");
  const text = await card.innerText();
  const r = reportOf("01-hospital-valid.xml");
  const m = r.bill.main;
  for (const v of [
    r.reason.zh,
    m.eInvoiceName,
    m.eInvoiceCode,
    m.eInvoiceNumber,
    m.randomNumber,
    m.payerParty.name,
    m.invoicingParty.name,
    `¥${m.totalAmount.text}`,
    m.totalAmountCapital,
    `${m.issueDate.slice(0, 4)}年${m.issueDate.slice(4, 6)}月${m.issueDate.slice(6)}日`,
    ...r.bill.items.map((i) => i.name),
    ...r.bill.items.map((i) => i.amount.text),
  ]) {
    assert.ok(text.includes(v), `the card shows ${JSON.stringify(v)}`);
  }
  for (const [label, value] of [
    ["票据代码", m.eInvoiceCode],
    ["票据号码", m.eInvoiceNumber],
    ["校验码", m.randomNumber],
    ["交款人", m.payerParty.name],
  ]) {
    assert.equal((await card.locator(".field", { has: page.locator(`dt:text-is("${label}")`) }).locator("dd").first().innerText()).trim(), value, label);
  }
  const signatures = card.locator("section.signature");
  assert.equal(await signatures.count(), 2);
  for (let i = 0; i < 2; i++) {
    const s = r.signatures[i];
    const sig = signatures.nth(i);
    const sigText = await sig.innerText();
    assert.ok(sigText.includes(i === 0 ? "开票单位签名" : "财政监管签名"), sigText);
    assert.ok(sigText.includes("验证通过"), sigText);
    assert.ok(sigText.includes(s.signer.subject), "signer");
    assert.ok(sigText.includes(s.signer.issuer), "issuer");
    assert.ok(sigText.includes(`${s.signer.notBefore.slice(0, 10)} — ${s.signer.notAfter.slice(0, 10)}`), "validity");
    assert.equal(await sig.locator(".chain li").count(), s.chain.length);
    assert.ok(s.chain.length >= 2);
    assert.ok((await sig.locator(".chain li").last().innerText()).includes("信任锚"));
  }
  assert.equal(await page.locator("#module-hash").innerText(), cliModuleHash(), "the page runs the CLI's module");
  await shot(page, "01-valid.png");
  await page.context().close();
});

test("a tampered bill is 验证失败 with its reason; an untrusted one 无法确定 with its reason", async () => {
  const page = await newPage();
  await open(page);
  const before = requests.length;

  await upload(page, ["04-hospital-tampered-amount.xml"]);
  let card = page.locator('article[data-file="04-hospital-tampered-amount.xml"]');
  const invalid = reportOf("04-hospital-tampered-amount.xml");
  assert.equal(await card.getAttribute("data-verdict"), "INVALID");
  assert.equal(await card.locator(".verdict-text").innerText(), "验证失败");
  assert.equal(await card.locator(".plain").innerText(), "票据内容在签名之后被改动过。");
  assert.equal(await card.locator(".reason").innerText(), invalid.reason.zh);
  assert.ok((await card.innerText()).includes("HASH_FAILURE"));
  await shot(page, "02-invalid.png");

  await clear(page);
  await upload(page, ["05-untrusted-root.xml"]);
  card = page.locator('article[data-file="05-untrusted-root.xml"]');
  const indeterminate = reportOf("05-untrusted-root.xml");
  assert.equal(await card.getAttribute("data-verdict"), "INDETERMINATE");
  assert.equal(await card.locator(".verdict-text").innerText(), "无法确定");
  assert.equal(await card.locator(".plain").innerText(), "签名证书无法追溯到您信任的根证书（信任锚）。");
  assert.equal(await card.locator(".reason").innerText(), indeterminate.reason.zh);
  assert.ok((await card.innerText()).includes("NO_CERTIFICATE_CHAIN_FOUND"));
  assert.equal(await card.locator(".hint").count(), 1, "the page says how to add a trust anchor");
  await shot(page, "03-indeterminate.png");

  assert.deepEqual(requests.slice(before), [], "verifying made no request at all");
  await page.context().close();
});

test("several bills at once, each with its verdict; then English", async () => {
  const page = await newPage();
  await open(page);
  const all = expected();
  await upload(page, all.map((e) => e.name));
  const cards = page.locator("article");
  assert.equal(await cards.count(), all.length);
  for (let i = 0; i < all.length; i++) {
    assert.equal(await cards.nth(i).getAttribute("data-file"), all[i].name, "cards keep the picked order");
    assert.equal(await cards.nth(i).getAttribute("data-verdict"), all[i].verdict, all[i].name);
  }
  // Warnings are listed apart from the checks when a bill has any.
  for (let i = 0; i < all.length; i++) {
    const r = reportOf(all[i].name);
    assert.equal(await cards.nth(i).locator(".warnings li").count(), r.warnings.length, all[i].name);
  }
  await shot(page, "04-multiple.png");

  await page.click("#lang");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.equal(await page.locator("#lang").innerText(), "中文");
  assert.equal(await page.locator("#pick-h").innerText(), "Choose bills");
  const words = { VALID: "VALID", INVALID: "INVALID", INDETERMINATE: "INDETERMINATE" };
  for (let i = 0; i < all.length; i++) {
    const card = cards.nth(i);
    assert.equal(await card.locator(".verdict-text").innerText(), words[all[i].verdict]);
    assert.equal(await card.locator(".reason").innerText(), reportOf(all[i].name).reason.en);
    assert.match(await card.locator(".plain").innerText(), /^[A-Z][^\u4e00-\u9fff]+\.$/, "plain words in English");
  }
  assert.ok((await cards.first().innerText()).includes("Check code"));
  await shot(page, "05-english.png");
  await page.click("#lang");
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  assert.equal(await cards.first().locator(".verdict-text").innerText(), "验证通过");
  await page.context().close();
});

test("demo trust is off by default: a bill on the demo keys is not VALID until the payer opts in", async () => {
  const page = await newPage({ locale: "zh-CN" });
  await open(page, { demo: false });
  assert.equal(await page.isChecked("#use-demo"), false);
  await upload(page, ["01-hospital-valid.xml"]);
  const card = page.locator('article[data-file="01-hospital-valid.xml"]');
  assert.equal(await card.getAttribute("data-verdict"), "INDETERMINATE");
  assert.equal(await card.getAttribute("data-demo"), null);
  await page.check("#use-demo");
  await page.locator('article[data-file="01-hospital-valid.xml"][data-verdict="VALID"]').waitFor();
  await assertDemoMarked(page.locator('article[data-file="01-hospital-valid.xml"]'), "演示");
  await page.context().close();
});

test("trust: without the demo bundle nothing is VALID; the user's PEM files restore every verdict", async () => {
  const page = await newPage();
  await open(page);
  const all = expected();
  await upload(page, all.map((e) => e.name));
  await page.uncheck("#use-demo");
  const cards = page.locator("article");
  for (let i = 0; i < all.length; i++) {
    const v = await cards.nth(i).getAttribute("data-verdict");
    assert.notEqual(v, "VALID", all[i].name);
  }
  assert.ok((await page.locator("#trust-list").innerText()).includes("尚无信任锚"));
  assert.match(await page.getAttribute("#trust-files", "accept"), /\.pem/);
  await page.setInputFiles("#trust-files", ["roots.pem", "intermediates.pem", "crls.pem"].map(trustPath));
  await page.locator(".trust-entry").nth(5).waitFor();
  assert.equal(await page.locator(".trust-entry").count(), 6);
  assert.equal(await page.locator(".trust-entry.kind-anchor").count(), 2, "self-signed roots become anchors");
  assert.equal(await page.locator(".trust-entry.kind-intermediate").count(), 2);
  assert.equal(await page.locator(".trust-entry.kind-crl").count(), 2);
  for (let i = 0; i < all.length; i++) {
    assert.equal(await cards.nth(i).getAttribute("data-verdict"), all[i].verdict, all[i].name);
  }
  // The same roots added by hand are still the demo roots: still marked.
  await assertDemoMarked(cards.nth(0), "演示");
  await shot(page, "06-trust.png");
  // An intermediate made an anchor by hand: the untrusted demo bill still
  // does not verify (its CA is not in the bundle), the others still do.
  await page.locator(".trust-entry.kind-intermediate select").first().selectOption("anchor");
  assert.equal(await cards.nth(0).getAttribute("data-verdict"), "VALID");
  await page.context().close();
});

test("keyboard: Tab reaches the controls, Enter on the bill picker opens it", async () => {
  const page = await newPage();
  // Focus starts at the top of the page (ticking the demo box would move it).
  await open(page, { demo: false });
  const seen = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    seen.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName));
  }
  for (const id of ["lang", "bills", "use-demo", "trust-files"]) assert.ok(seen.includes(id), `${id} in ${seen}`);
  assert.ok(seen.indexOf("bills") < seen.indexOf("trust-files"));
  await page.check("#use-demo");
  await page.focus("#bills");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "bills");
  // Enter on the focused picker opens the file chooser. A loaded machine
  // sometimes drops the first key event before Chromium acts on it: up to
  // three presses, each given 10 s.
  let chooser;
  for (let attempt = 0; attempt < 3 && !chooser; attempt++) {
    [chooser] = await Promise.all([
      page.waitForEvent("filechooser", { timeout: 10_000 }).catch(() => undefined),
      page.keyboard.press("Enter"),
    ]);
  }
  assert.ok(chooser, "Enter on the focused bill picker opens the file chooser");
  assert.equal(chooser.isMultiple(), true);
  await chooser.setFiles(billPath("02-school-valid.xml"));
  await page.locator('article[data-file="02-school-valid.xml"][data-verdict="VALID"]').waitFor();
  assert.match(await page.getAttribute("#bills", "accept"), /\.xml/);
  assert.match(await page.getAttribute("#bills", "accept"), /\.ofd/);
  await page.context().close();
});

test("360 px wide (a phone's web-view): no horizontal scroll", async () => {
  const page = await newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  await open(page);
  await upload(page, ["01-hospital-valid.xml", "03-donation-mixed-valid.xml", "05-untrusted-root.xml"]);
  await page.locator("details.checks").first().evaluate((d) => (d.open = true));
  const layout = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll("body *")]
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 2 && r.right > width + 0.5;
      })
      .map((e) => `${e.tagName}.${e.className}`);
    return { width, scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth, wide };
  });
  assert.equal(layout.width, 360);
  assert.ok(layout.scroll <= layout.width, `document scrolls sideways: ${layout.scroll} > ${layout.width}`);
  assert.ok(layout.body <= layout.width, `body is ${layout.body} wide`);
  assert.deepEqual(layout.wide, [], "elements past the right edge");
  // What the phone shows: the first screen of the results.
  await page.locator("#results-section").evaluate((e) => e.scrollIntoView());
  await page.screenshot({ path: join(OUT, "07-mobile-360.png") });
  await page.context().close();
});

const ofdPath = (name) => join(OFD_CORPUS, name);
const ofdReport = (name) => piaoyan.verify(ofd(name), demoOptions());

async function uploadOfd(page, names) {
  await page.setInputFiles("#bills", names.map(ofdPath));
  for (const n of names) await page.locator(`article[data-file="${n}"]`).waitFor();
}

/** Whether the seal images of a card decoded (naturalWidth > 0). */
async function sealImagesLoaded(card) {
  const images = card.locator("img.seal-picture");
  const n = await images.count();
  const widths = [];
  for (let i = 0; i < n; i++) {
    widths.push(
      await images.nth(i).evaluate(async (img) => {
        if (!img.complete) await new Promise((r) => img.addEventListener("load", r, { once: true }));
        await img.decode().catch(() => {});
        return img.naturalWidth;
      }),
    );
  }
  return widths;
}

test("OFD documents: 无法确定 with the seal, 验证失败 naming the changed page content, then English", async () => {
  const page = await newPage({ locale: "zh-CN" });
  await open(page);
  const before = requests.length;

  await uploadOfd(page, ["converter-1.ofd"]);
  let card = page.locator('article[data-file="converter-1.ofd"]');
  let r = ofdReport("converter-1.ofd");
  assert.equal(r.format, "ofd");
  assert.equal(await card.getAttribute("data-verdict"), "INDETERMINATE");
  assert.equal(await card.locator(".verdict-text").innerText(), "无法确定");
  assert.equal(await card.locator(".detail .reason").innerText(), r.reason.zh);
  const sigs = card.locator("section.ofd-signature");
  assert.equal(await sigs.count(), r.document.signatures.length);
  const s0 = r.document.signatures[0];
  const text = await sigs.first().innerText();
  for (const v of ["电子印章", "无法确定", s0.seal.name, s0.signer.subject, s0.signer.issuer, s0.message.zh]) {
    assert.ok(text.includes(v), `the seal shows ${JSON.stringify(v)}`);
  }
  assert.ok(text.includes(`${s0.signer.notBefore.slice(0, 10)} — ${s0.signer.notAfter.slice(0, 10)}`), "validity");
  // Its seal picture is itself an OFD drawing: named, not drawn.
  assert.equal(s0.seal.picture.type, "ofd");
  assert.equal(await sigs.first().locator("img").count(), 0);
  assert.ok((await sigs.first().locator(".seal-picture-label").innerText()).includes("OFD"));
  // Its attachments are listed with their fields.
  assert.equal(await card.locator("section.attachment").count(), r.document.attachments.length);
  const withFields = r.document.attachments.find((a) => a.fields.length);
  const listed = await card.locator("section.attachment", { hasText: withFields.file }).textContent();
  assert.ok(listed.includes(withFields.fields[0].name) && listed.includes(withFields.fields[0].value), listed);
  await shot(page, "08-ofd-indeterminate.png");

  // A document whose seal picture is a PNG shows it.
  await uploadOfd(page, ["converter-h.ofd"]);
  card = page.locator('article[data-file="converter-h.ofd"]');
  assert.equal(await card.locator(".verdict-text").innerText(), "无法确定");
  const widths = await sealImagesLoaded(card);
  assert.equal(widths.length, 2);
  assert.ok(widths.every((w) => w > 0), `seal images decoded: ${widths}`);
  assert.ok(await card.locator("img.seal-picture").first().isVisible());
  assert.match(await card.locator("img.seal-picture").first().getAttribute("alt"), /^印章图片: OFD R&W/);

  await clear(page);
  await uploadOfd(page, ["converter-zsbk.ofd"]);
  card = page.locator('article[data-file="converter-zsbk.ofd"]');
  r = ofdReport("converter-zsbk.ofd");
  assert.equal(await card.getAttribute("data-verdict"), "INVALID");
  assert.equal(await card.locator(".verdict-text").innerText(), "验证失败");
  assert.equal(await card.locator(".plain").innerText(), "文件内容在盖章或签名之后被改动过。");
  assert.equal(await card.locator(".detail .reason").innerText(), r.reason.zh);
  assert.ok(r.reason.zh.includes("/Doc_0/Pages/Page_0/Content.xml"));
  const failed = await card.locator(".failed-refs").first().innerText();
  assert.ok(failed.includes("签名后被改动或缺失的文件") && failed.includes("/Doc_0/Pages/Page_0/Content.xml"), failed);
  assert.ok((await card.innerText()).includes("HASH_FAILURE"));
  const zsbkWidths = await sealImagesLoaded(card);
  assert.ok(zsbkWidths.length === 2 && zsbkWidths.every((w) => w > 0), `${zsbkWidths}`);
  await shot(page, "09-ofd-invalid.png");

  await page.click("#lang");
  assert.equal(await card.locator(".verdict-text").innerText(), "INVALID");
  assert.equal(await card.locator(".detail .reason").innerText(), r.reason.en);
  assert.equal(await card.locator(".plain").innerText(), "The document's content was changed after it was sealed or signed.");
  const en = await card.innerText();
  for (const v of ["Electronic seal", "Parts changed or missing since signing", "Seal name", r.document.signatures[0].message.en]) {
    assert.ok(en.includes(v), `English: ${JSON.stringify(v)}`);
  }
  assert.doesNotMatch(await card.locator(".ofd-signature h4").first().innerText(), /电子印章|验证失败/);
  await shot(page, "10-ofd-english.png");

  assert.deepEqual(requests.slice(before), [], "verifying documents made no request at all");
  await page.context().close();
});

test("OFD documents at 360 px: no horizontal scroll, attachments and seals reachable by keyboard", async () => {
  const page = await newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  await open(page);
  const names = ["converter-zsbk.ofd", "converter-999.ofd", "reader-helloworld.ofd", "sign-DigitalSign.ofd"];
  await uploadOfd(page, names);
  const verdicts = { "converter-zsbk.ofd": "INVALID", "converter-999.ofd": "INDETERMINATE", "reader-helloworld.ofd": "INVALID", "sign-DigitalSign.ofd": "INDETERMINATE" };
  for (const n of names) {
    assert.equal(await page.locator(`article[data-file="${n}"]`).getAttribute("data-verdict"), verdicts[n], n);
  }
  assert.ok((await page.locator('article[data-file="sign-DigitalSign.ofd"]').innerText()).includes("数字签名"));
  assert.ok((await page.locator('article[data-file="reader-helloworld.ofd"]').innerText()).includes("未找到签名。"));
  // Every list of fields opened: long names and values must wrap.
  await page.locator("details").evaluateAll((ds) => ds.forEach((d) => (d.open = true)));
  const layout = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll("body *")]
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 2 && r.right > width + 0.5;
      })
      .map((e) => `${e.tagName}.${e.className}`);
    return { width, scroll: document.documentElement.scrollWidth, wide };
  });
  assert.equal(layout.width, 360);
  assert.ok(layout.scroll <= layout.width, `document scrolls sideways: ${layout.scroll}`);
  assert.deepEqual(layout.wide, [], "elements past the right edge");
  // The attachment field lists are <details>: Tab reaches their summaries.
  await page.locator("details.attachment-fields").evaluateAll((ds) => ds.forEach((d) => (d.open = false)));
  const summary = page.locator("details.attachment-fields summary").first();
  await summary.focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.locator("details.attachment-fields").first().evaluate((d) => d.open), true);
  await page.locator("#results-section").evaluate((e) => e.scrollIntoView());
  await page.screenshot({ path: join(OUT, "11-ofd-mobile-360.png") });
  await page.context().close();
});

test("the CSP forbids connect-src, so the page cannot fetch even its own origin", async () => {
  const page = await newPage();
  await open(page);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  assert.match(csp, /(^|;)\s*connect-src 'none'\s*(;|$)/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/);
  const outcome = await page.evaluate(async () => {
    const violations = [];
    document.addEventListener("securitypolicyviolation", (e) => violations.push(e.effectiveDirective));
    const fetched = await fetch("/index.html").then(
      () => "fetched",
      () => "blocked",
    );
    await new Promise((r) => setTimeout(r, 50));
    return { fetched, violations };
  });
  assert.deepEqual(outcome, { fetched: "blocked", violations: ["connect-src"] });
  await page.context().close();
});

test("no request left the origin, and the module was never fetched as .wasm", () => {
  assert.ok(requests.length > 0);
  const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith("data:"));
  assert.deepEqual(foreign, []);
  const paths = new Set(server.requests.map((r) => r.replace(/^GET /, "").split("?")[0]));
  assert.deepEqual(
    [...paths].sort(),
    ["/", "/app.js", "/pkg/index.js", "/pkg/piaoyan_wasm.js", "/pkg/piaoyan_wasm_bytes.js", "/style.css", "/trust/demo-trust.js"],
  );
  assert.deepEqual(problems, []);
});
