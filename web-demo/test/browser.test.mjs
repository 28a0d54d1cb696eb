// The page in a real browser: Debian's chromium, headless, driven by
// playwright-core (no browser download), loading the page from a local
// static server on 127.0.0.1. One screenshot per state goes to
// target/web-test/ (PIAOYAN_WEB_TEST_OUT).

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";

import { pageFiles, startServer } from "../serve.mjs";
import { beijingDay, plainName } from "../format.js";
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
/** Every request any page of the tests (and its workers) made. */
const requests = [];
/** Every request the page's service worker made (keeping the page's files). */
const swRequests = [];
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
  context.on("request", (r) => (r.serviceWorker() ? swRequests : requests).push(r.url()));
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
async function open(page, { demo = true, url = server.url } = {}) {
  await page.goto(url);
  await page.locator('body[data-ready="1"]').waitFor();
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

/** A shown bill's drawn pages (drawn when its card is opened): its first page, once decoded. */
async function drawn(page, name) {
  const card = page.locator(`article[data-file="${name}"]`);
  await card.locator("details.fold").evaluate((d) => (d.open = true));
  const img = card.locator("img.bill-page").first();
  await img.waitFor();
  await img.evaluate(async (el) => {
    if (!el.complete) await new Promise((r) => el.addEventListener("load", r, { once: true }));
  });
  return img;
}

/** One of the render module's files (pkg/files.js, PIAOYAN_RENDER_FILES). */
function isRenderFile(url) {
  const path = new URL(url).pathname;
  return pkgLists().PIAOYAN_RENDER_FILES.some((f) => path === `/${f}`);
}

async function upload(page, names) {
  await page.setInputFiles("#bills", names.map(billPath));
  for (const n of names) await page.locator(`article[data-file="${n}"]:not([data-verdict="pending"])`).waitFor();
}

/** Waits until no card is still being verified. */
async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('article[data-verdict="pending"]'));
}

async function clear(page) {
  if (await page.locator("#clear").isVisible()) await page.click("#clear");
  await assert.doesNotReject(page.locator("article").first().waitFor({ state: "detached" }));
}

/** Chinese mode speaks plainly: no 信任锚, PEM, CRL, OIDs, messageDigest, English codes, raw DN hex, ASCII colons. */
async function assertNoJargon(card) {
  const text = await card.innerText();
  for (const bad of [/信任锚/, /PEM/, /\bCRL\b/, /messageDigest/, /[A-Z]{4,}_[A-Z_]+/, /\d+\.\d+\.\d+\.\d+=/, /=#[0-9a-f]{4}/i, /[\u4e00-\u9fff]:/, /\b[a-z]{2,} [a-z]{2,} [a-z]{2,}\b/]) {
    assert.doesNotMatch(text, bad, `jargon in ${await card.getAttribute("data-file")}`);
  }
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
  await page.locator('article[data-file="01-hospital-valid.xml"][data-verdict="demo"]').waitFor();
  const elapsed = Date.now() - start;
  const inPage = await page.evaluate(() => performance.getEntriesByName("piaoyan:first-verdict")[0].startTime);
  const readyAt = await page.evaluate(() => performance.getEntriesByName("piaoyan:ready")[0].startTime);
  console.log(`load-to-ready: ${Math.round(readyAt)} ms from navigation start to document.body.dataset.ready (performance mark)`);
  console.log(
    `load-to-first-verdict: ${elapsed} ms from page.goto to the verdict on screen; ` +
      `${Math.round(inPage)} ms from navigation start to the verdict rendered (performance mark)`,
  );

  assert.equal(await card.getAttribute("data-verdict"), "demo");
  await assert.doesNotReject(card.locator(".verdict-text", { hasText: "验证通过" }).waitFor());
  await assertDemoMarked(card, "演示");
  const text = await card.innerText();
  const r = reportOf("01-hospital-valid.xml");
  const m = r.bill.main;
  for (const v of [
    m.eInvoiceName,
    m.eInvoiceCode,
    m.eInvoiceNumber,
    m.randomNumber,
    m.payerParty.name,
    m.invoicingParty.name,
    `¥${m.totalAmount.text}`,
    m.totalAmountCapital,
    `${m.issueDate.slice(0, 4)}年${Number(m.issueDate.slice(4, 6))}月${Number(m.issueDate.slice(6))}日`,
    ...m.mainExt.map((f) => f.value),
    "统筹支付",
    "个人自付",
    "门诊号",
    ...r.bill.auxItems.map((a) => a.name),
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
    assert.ok(sigText.includes(plainName(s.signer.subject)), "signer");
    assert.ok(sigText.includes(plainName(s.signer.issuer)), "issuer");
    assert.ok(sigText.includes(`${beijingDay(s.signer.notBefore)} — ${beijingDay(s.signer.notAfter)}`), "validity");
    assert.equal(await sig.locator(".chain li").count(), s.chain.length);
    assert.ok(s.chain.length >= 2);
    assert.ok((await sig.locator(".chain li").last().innerText()).includes("根证书"));
  }
  assert.equal(await card.locator(".trust-reason").innerText(), "由“Piaoyan DEMO SM2 Root CA”根证书签发");
  await assertNoJargon(card);
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
  assert.equal(await card.getAttribute("data-verdict"), "invalid");
  assert.equal(await card.getAttribute("data-sub-indication"), invalid.subIndication);
  assert.equal(await card.locator(".verdict-text").innerText(), "验证失败");
  assert.equal(await card.locator(".plain").innerText(), "票据内容在签名之后被改动过。");
  assert.equal(await card.locator(".next-step").innerText(), `请不要使用此文件报销或入账。请向开票单位（${invalid.bill.main.invoicingParty.name}）重新索取这张票据。`);
  assert.ok(await card.locator(".paper.untrusted .stamp", { hasText: "不可信" }).isVisible(), "the paper is stamped 不可信");
  assert.equal(await card.locator(".help.resaved").count(), 0, "no CR bytes: not called re-saved");
  await assertNoJargon(card);
  await shot(page, "02-invalid.png");

  await clear(page);
  await upload(page, ["05-untrusted-root.xml"]);
  card = page.locator('article[data-file="05-untrusted-root.xml"]');
  const indeterminate = reportOf("05-untrusted-root.xml");
  assert.equal(await card.getAttribute("data-verdict"), "indeterminate");
  assert.equal(await card.getAttribute("data-sub-indication"), indeterminate.subIndication);
  assert.equal(await card.locator(".verdict-text").innerText(), "无法确定");
  assert.equal(await card.locator(".plain").innerText(), "票据看起来完整，但本页无法确认为它签名的机构可信。");
  const next = await card.locator(".next-step").innerText();
  assert.ok(next.includes("全国财政电子票据查验平台") && next.includes(indeterminate.bill.main.invoicingParty.name), next);
  assert.doesNotMatch(await card.innerText(), /添加/, "the payer is never asked to judge root certificates");
  assert.equal(await card.locator(".paper.untrusted").count(), 0);
  await assertNoJargon(card);
  await shot(page, "03-indeterminate.png");

  // A bill shown in detail is drawn: the render module's files, and nothing else.
  assert.deepEqual(requests.slice(before).filter((u) => !isRenderFile(u)), [], "verifying made no request at all");
  await page.context().close();
});

test("several bills at once, each with its verdict; then English", async () => {
  const page = await newPage();
  await open(page);
  const all = expected();
  await upload(page, all.map((e) => e.name));
  const cards = page.locator("article");
  assert.equal(await cards.count(), all.length);
  await page.locator(`#batch-summary[data-count="${all.length}"]`).waitFor();
  for (let i = 0; i < all.length; i++) {
    assert.equal(await cards.nth(i).getAttribute("data-file"), all[i].name, "cards keep the picked order");
    assert.equal(await cards.nth(i).getAttribute("data-report-verdict"), all[i].verdict, all[i].name);
  }
  // A batch: folded cards, the summary line first.
  assert.equal(await page.locator("article details.fold[open]").count(), 0);
  const summary = await page.locator("#batch-summary").innerText();
  assert.ok(summary.startsWith("7 张：0 通过、3 演示、3 失败、1 无法确定、0 无法识别"), summary);
  assert.ok(summary.includes("重复 1 张"), summary);
  await page.locator("article details.fold").evaluateAll((ds) => ds.forEach((d) => (d.open = true)));
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
    assert.equal(await card.locator(".reason").textContent(), reportOf(all[i].name).reason.en);
    assert.match(await card.locator(".plain").innerText(), /^[A-Z][^\u4e00-\u9fff]+\.$/, "plain words in English");
  }
  assert.ok((await cards.first().innerText()).includes("Check code"));
  await shot(page, "05-english.png");
  await page.click("#lang");
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  assert.equal(await cards.first().locator(".sum-verdict").innerText(), "验证通过");
  await page.context().close();
});

test("demo trust is off by default: a bill on the demo keys is not VALID until the payer opts in", async () => {
  const page = await newPage({ locale: "zh-CN" });
  await open(page, { demo: false });
  assert.equal(await page.isChecked("#use-demo"), false);
  await upload(page, ["01-hospital-valid.xml"]);
  const card = page.locator('article[data-file="01-hospital-valid.xml"]');
  assert.equal(await card.getAttribute("data-verdict"), "indeterminate");
  assert.equal(await card.getAttribute("data-demo"), null);
  await page.check("#use-demo");
  await page.locator('article[data-file="01-hospital-valid.xml"][data-verdict="demo"]').waitFor();
  await assertDemoMarked(page.locator('article[data-file="01-hospital-valid.xml"]'), "演示");
  await page.context().close();
});

test("trust: without the demo bundle nothing is VALID; the user's PEM files restore every verdict", async () => {
  const page = await newPage();
  await open(page);
  const all = expected();
  await upload(page, all.map((e) => e.name));
  await page.uncheck("#use-demo");
  await page.locator('article[data-verdict="demo"]').first().waitFor({ state: "detached" });
  const cards = page.locator("article");
  for (let i = 0; i < all.length; i++) {
    const v = await cards.nth(i).getAttribute("data-report-verdict");
    assert.notEqual(v, "VALID", all[i].name);
  }
  assert.ok(await page.locator("#no-anchor").isVisible());
  assert.equal(await page.locator("#advanced").evaluate((d) => d.open), false, "adding roots is folded away");
  await page.click("#advanced summary");
  assert.match(await page.getAttribute("#trust-files", "accept"), /\.pem/);
  await page.setInputFiles("#trust-files", ["roots.pem", "intermediates.pem", "crls.pem"].map(trustPath));
  await page.locator("#trust-list .trust-entry").nth(5).waitFor();
  await page.locator('article[data-file="01-hospital-valid.xml"][data-verdict="demo"]').waitFor();
  assert.equal(await page.locator(".trust-entry").count(), 6);
  assert.equal(await page.locator(".trust-entry.kind-anchor").count(), 2, "self-signed roots become anchors");
  assert.equal(await page.locator(".trust-entry.kind-intermediate").count(), 2);
  assert.equal(await page.locator(".trust-entry.kind-crl").count(), 2);
  for (let i = 0; i < all.length; i++) {
    assert.equal(await cards.nth(i).getAttribute("data-report-verdict"), all[i].verdict, all[i].name);
  }
  const listed = await page.locator("#trust-list").innerText();
  assert.ok(listed.includes("roots.pem") && /\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d 添加/.test(listed), listed);
  await cards.nth(0).locator("details.fold").evaluate((d) => (d.open = true));
  // The same roots added by hand are still the demo roots: still marked.
  await assertDemoMarked(cards.nth(0), "演示");
  await shot(page, "06-trust.png");
  // An intermediate made an anchor by hand: the untrusted demo bill still
  // does not verify (its CA is not in the bundle), the others still do.
  await page.locator(".trust-entry.kind-intermediate select").first().selectOption("anchor");
  await page.locator("article").first().waitFor();
  assert.equal(await page.locator("article").nth(0).getAttribute("data-report-verdict"), "VALID");
  // Kept on the device: after a reload the roots are still listed and used.
  await page.reload();
  await page.locator('body[data-ready="1"]').waitFor();
  assert.equal(await page.locator("#trust-list .trust-entry").count(), 6, "user roots persisted across reload");
  await upload(page, ["02-school-valid.xml"]);
  assert.equal(await page.locator('article[data-file="02-school-valid.xml"]').getAttribute("data-verdict"), "demo");
  await page.click("#advanced summary");
  for (let i = 5; i >= 0; i--) await page.locator("#trust-list .trust-entry button").nth(i).click();
  await page.locator("#trust-list .trust-entry").first().waitFor({ state: "detached" });
  await page.context().close();
});

test("keyboard: Tab reaches the controls, Enter on the bill picker opens it", async () => {
  const page = await newPage();
  // Focus starts at the top of the page (ticking the demo box would move it).
  await open(page, { demo: false });
  await page.locator("#advanced").evaluate((d) => (d.open = true));
  const seen = [];
  for (let i = 0; i < 16; i++) {
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
  await page.locator('article[data-file="02-school-valid.xml"][data-verdict="demo"]').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.closest("article")?.dataset.file), "02-school-valid.xml", "focus moved to the verdict");
  assert.ok((await page.locator("#announce").innerText()).includes("02-school-valid.xml"), "announced");
  assert.match(await page.getAttribute("#bills", "accept"), /\.xml/);
  assert.match(await page.getAttribute("#bills", "accept"), /\.ofd/);
  await page.context().close();
});

test("360 px wide (a phone's web-view): no horizontal scroll", async () => {
  const page = await newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  await open(page);
  await upload(page, ["01-hospital-valid.xml", "03-donation-mixed-valid.xml", "05-untrusted-root.xml"]);
  await page.locator("details").evaluateAll((ds) => ds.forEach((d) => (d.open = true)));
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
  for (const n of names) await page.locator(`article[data-file="${n}"]:not([data-verdict="pending"])`).waitFor();
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
  assert.equal(await card.getAttribute("data-verdict"), "indeterminate");
  assert.equal(await card.locator(".verdict-text").innerText(), "无法确定");
  assert.equal(await card.locator(".detail .reason").textContent(), r.reason.zh.replace(/: /g, "："));
  const sigs = card.locator("section.ofd-signature");
  assert.equal(await sigs.count(), r.document.signatures.length);
  const s0 = r.document.signatures[0];
  const text = await sigs.first().innerText();
  for (const v of ["电子印章", "无法确定", s0.seal.name, plainName(s0.signer.subject), plainName(s0.signer.issuer)]) {
    assert.ok(text.includes(v), `the seal shows ${JSON.stringify(v)}`);
  }
  assert.ok(text.includes(`${beijingDay(s0.signer.notBefore)} — ${beijingDay(s0.signer.notAfter)}`), "validity");
  // The core's English path search stays in the folded technical details.
  assert.match(s0.message.zh, /no certification path/);
  await assertNoJargon(card);
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
  await clear(page);
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
  assert.equal(await card.getAttribute("data-verdict"), "invalid");
  assert.equal(await card.locator(".verdict-text").innerText(), "验证失败");
  assert.equal(await card.locator(".plain").innerText(), "文件内容在盖章或签名之后被改动过。");
  assert.equal(await card.locator(".detail .reason").textContent(), r.reason.zh.replace(/: /g, "："));
  assert.ok(r.reason.zh.includes("/Doc_0/Pages/Page_0/Content.xml"));
  const failed = await card.locator(".failed-refs").first().innerText();
  assert.ok(failed.includes("签名后被改动或缺失的文件") && failed.includes("/Doc_0/Pages/Page_0/Content.xml"), failed);
  assert.equal(await card.getAttribute("data-sub-indication"), "HASH_FAILURE");
  const zsbkWidths = await sealImagesLoaded(card);
  assert.ok(zsbkWidths.length === 2 && zsbkWidths.every((w) => w > 0), `${zsbkWidths}`);
  await shot(page, "09-ofd-invalid.png");

  await page.click("#lang");
  assert.equal(await card.locator(".verdict-text").innerText(), "INVALID");
  assert.equal(await card.locator(".detail .reason").textContent(), r.reason.en);
  assert.equal(await card.locator(".plain").innerText(), "The document's content was changed after it was sealed or signed.");
  const en = await card.innerText();
  for (const v of ["Electronic seal", "Parts changed or missing since signing", "Seal name", r.document.signatures[0].message.en]) {
    assert.ok(en.includes(v), `English: ${JSON.stringify(v)}`);
  }
  assert.doesNotMatch(await card.locator(".ofd-signature h4").first().innerText(), /电子印章|验证失败/);
  await shot(page, "10-ofd-english.png");

  assert.deepEqual(requests.slice(before).filter((u) => !isRenderFile(u)), [], "verifying documents made no request at all");
  await page.context().close();
});

test("OFD documents at 360 px: no horizontal scroll, attachments and seals reachable by keyboard", async () => {
  const page = await newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  await open(page);
  const names = ["converter-zsbk.ofd", "converter-999.ofd", "reader-helloworld.ofd", "sign-DigitalSign.ofd"];
  await uploadOfd(page, names);
  const verdicts = { "converter-zsbk.ofd": "INVALID", "converter-999.ofd": "INDETERMINATE", "reader-helloworld.ofd": "INVALID", "sign-DigitalSign.ofd": "INDETERMINATE" };
  for (const n of names) {
    assert.equal(await page.locator(`article[data-file="${n}"]`).getAttribute("data-report-verdict"), verdicts[n], n);
  }
  await page.locator("article details.fold").evaluateAll((ds) => ds.forEach((d) => (d.open = true)));
  assert.ok((await page.locator('article[data-file="sign-DigitalSign.ofd"]').innerText()).includes("数字签名"));
  assert.ok((await page.locator('article[data-file="reader-helloworld.ofd"]').innerText()).includes("未找到签名。"));
  // Every card and list of fields opened: long names and values must wrap.
  await page.locator("article details.fold").evaluateAll((ds) => ds.forEach((d) => (d.open = true)));
  await page.locator("details").evaluateAll((ds) => ds.forEach((d) => (d.open = true)));
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

/** Files that are not bills, made here: a PDF, a PNG, an empty file, a zip of two bills. */
function notBills() {
  const zip = (() => {
    // A stored (uncompressed) zip with two entries and no /OFD.xml.
    const entries = [["a.xml", bill("01-hospital-valid.xml")], ["b.xml", bill("02-school-valid.xml")]];
    const chunks = [];
    const central = [];
    let offset = 0;
    const u16 = (n) => [n & 255, (n >> 8) & 255];
    const u32 = (n) => [n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255];
    for (const [name, data] of entries) {
      const nameBytes = Buffer.from(name);
      const crc = crc32(data);
      const local = Buffer.from([...u32(0x04034b50), ...u16(20), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(crc), ...u32(data.length), ...u32(data.length), ...u16(nameBytes.length), ...u16(0)]);
      chunks.push(local, nameBytes, Buffer.from(data));
      central.push(Buffer.concat([Buffer.from([...u32(0x02014b50), ...u16(20), ...u16(20), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(crc), ...u32(data.length), ...u32(data.length), ...u16(nameBytes.length), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(offset)]), nameBytes]));
      offset += local.length + nameBytes.length + data.length;
    }
    const cd = Buffer.concat(central);
    const end = Buffer.from([...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(entries.length), ...u16(entries.length), ...u32(cd.length), ...u32(offset), ...u16(0)]);
    return Buffer.concat([...chunks, cd, end]);
  })();
  return [
    { name: "bill.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"), kind: "pdf", help: "OFD 或 XML 版本" },
    { name: "photo.png", mimeType: "image/png", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), kind: "image", help: "电子文件" },
    { name: "empty.xml", mimeType: "text/xml", buffer: Buffer.alloc(0), kind: "empty", help: "重新下载" },
    { name: "bills.zip", mimeType: "application/zip", buffer: zip, kind: "archive", help: "解压" },
    { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello, not a bill"), kind: "unknown", help: "OFD 或 XML 票据文件" },
  ];
}

function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

test("无法识别: a PDF, a picture, an empty file, a zip and other files each get their own help, grey", async () => {
  const page = await newPage();
  await open(page);
  const files = notBills();
  await page.setInputFiles("#bills", files.map(({ name, mimeType, buffer }) => ({ name, mimeType, buffer })));
  await page.locator(`#batch-summary[data-count="${files.length}"]`).waitFor();
  await page.locator("article").nth(files.length - 1).waitFor();
  await settled(page);
  assert.ok((await page.locator("#batch-summary").innerText()).includes(`${files.length} 无法识别`));
  for (const f of files) {
    const card = page.locator(`article[data-file="${f.name}"]`);
    assert.equal(await card.getAttribute("data-verdict"), "unrecognised", f.name);
    assert.equal(await card.getAttribute("data-not-a-bill"), f.kind, f.name);
    await card.locator("details.fold").evaluate((d) => (d.open = true));
    assert.equal(await card.locator(".verdict-text").innerText(), "无法识别");
    assert.ok((await card.locator(".help").innerText()).includes(f.help), `${f.name}: ${await card.locator(".help").innerText()}`);
    assert.equal(await card.locator(".paper, .signatures").count(), 0, "no bill shown for a file that is not one");
    await assertNoJargon(card);
  }
  const grey = await page.locator('article[data-file="bill.pdf"] .verdict').evaluate((el) => getComputedStyle(el).backgroundColor);
  const red = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--invalid-bg").trim());
  assert.notEqual(grey, red);
  await page.locator("article details.fold").evaluateAll((ds) => ds.forEach((d) => (d.open = false)));
  await page.locator('article[data-file="bill.pdf"] details.fold').evaluate((d) => (d.open = true));
  await shot(page, "12-unrecognised-1280.png");
  await page.setViewportSize({ width: 360, height: 740 });
  await page.locator('article[data-file="bill.pdf"]').evaluate((e) => e.scrollIntoView());
  await page.screenshot({ path: join(OUT, "12-unrecognised-360.png") });
  await page.context().close();
});

test("a file over the size bound is 无法识别 without being read", async () => {
  const page = await newPage();
  await open(page);
  await page.evaluate(() => {
    const big = new File([new Uint8Array(1)], "huge.ofd");
    Object.defineProperty(big, "size", { value: 65 * 1024 * 1024 });
    big.arrayBuffer = () => {
      throw new Error("read a file over the bound");
    };
    const dt = new DataTransfer();
    dt.items.add(big);
    const ev = new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true });
    Object.defineProperty(ev.dataTransfer, "files", { value: [big] });
    document.dispatchEvent(ev);
  });
  const card = page.locator('article[data-file="huge.ofd"]');
  await card.waitFor();
  assert.equal(await card.getAttribute("data-verdict"), "unrecognised");
  assert.equal(await card.getAttribute("data-not-a-bill"), "tooLarge");
  await page.context().close();
});

test("a bill re-saved with CR LF line ends (Notepad) is 验证失败 and says why", async () => {
  const page = await newPage();
  await open(page);
  const crlf = Buffer.from(Buffer.from(bill("01-hospital-valid.xml")).toString("utf8").replace(/\r?\n/g, "\r\n"));
  await page.setInputFiles("#bills", { name: "02-resaved.xml", mimeType: "text/xml", buffer: crlf });
  const card = page.locator('article[data-file="02-resaved.xml"]');
  await card.waitFor();
  assert.equal(await card.getAttribute("data-verdict"), "invalid");
  assert.equal(await card.getAttribute("data-sub-indication"), "HASH_FAILURE");
  const help = await card.locator(".help.resaved").innerText();
  assert.ok(help.includes("记事本") && help.includes("原始文件"), help);
  await shot(page, "13-resaved.png");
  await page.context().close();
});

test("a content mistake highlights the fields the report names", async () => {
  const page = await newPage();
  await open(page);
  await upload(page, ["06-capital-amount-mistake.xml"]);
  const card = page.locator('article[data-file="06-capital-amount-mistake.xml"]');
  assert.equal(await card.getAttribute("data-verdict"), "invalid");
  assert.ok(await card.locator(".paper.untrusted .capital.suspect").isVisible());
  assert.ok((await card.locator(".capital.suspect").innerText()).includes("可能被改动"));
  assert.equal(await card.locator(".code-field.suspect").count(), 0, "only the named fields");
  await shot(page, "14-content-invalid.png");
  await page.context().close();
});

test("drawn pages: above the details once a bill is shown, 360 px wide; no bill shown in detail, no render module", async () => {
  const page = await newPage({ locale: "zh-CN" });
  const before = requests.length;
  const renderFiles = () => requests.slice(before).filter(isRenderFile);
  await open(page);
  assert.deepEqual(renderFiles(), [], "the page before any bill loads nothing of the render module");
  // A batch: its summary and folded cards, no detail opened, nothing drawn.
  await upload(page, ["01-hospital-valid.xml", "02-school-valid.xml"]);
  await settled(page);
  await page.waitForTimeout(300);
  assert.equal(await page.locator("article details.fold[open]").count(), 0);
  assert.equal(await page.locator(".bill-pages").count(), 0);
  assert.deepEqual(renderFiles(), [], "a batch with no detail opened loads nothing of the render module");
  // Its first bill opened: drawn after the verdict, a quiet placeholder meanwhile.
  const card = page.locator('article[data-file="01-hospital-valid.xml"]');
  await card.locator("details.fold").evaluate((d) => (d.open = true));
  assert.ok(await card.locator(".verdict-text").isVisible(), "the verdict is shown at once");
  const img = await drawn(page, "01-hospital-valid.xml");
  assert.equal(await card.locator(".bill-pages.pending").count(), 0, "the placeholder gave way");
  const width = await img.evaluate((el) => ({ natural: el.naturalWidth, shown: el.getBoundingClientRect().width }));
  assert.ok(width.natural > 0, "the SVG decoded");
  assert.equal(Math.round(width.shown), 360);
  // Demo trust: VALID, so the whole form is covered.
  assert.equal(await img.getAttribute("data-signed"), "valid");
  assert.ok(renderFiles().length > 0, "drawing loaded the render module");
  // Above the verdict's details.
  const order = await card.evaluate((el) => {
    const pages = el.querySelector(".bill-pages");
    const details = el.querySelector(".card-body > :not(.verdict):not(p):not(.bill-pages)");
    return pages && details ? pages.compareDocumentPosition(details) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
  });
  assert.ok(order, "the pages come before the details");
  const figure = card.locator("figure.bill-pages");
  await page.waitForFunction((el) => el.dataset.shownToDrawnMs, await figure.elementHandle());
  console.log(
    `drawn pages: first bill ${await figure.getAttribute("data-shown-to-drawn-ms")} ms from the verdict shown to the page drawn ` +
      `(render() ${await figure.getAttribute("data-draw-ms")} ms, both including loading the render module)`,
  );
  // The second bill (the module loaded): its drawing alone.
  const second = page.locator('article[data-file="02-school-valid.xml"]');
  await drawn(page, "02-school-valid.xml");
  const figure2 = second.locator("figure.bill-pages");
  await page.waitForFunction((el) => el.dataset.shownToDrawnMs, await figure2.elementHandle());
  console.log(
    `drawn pages: second bill ${await figure2.getAttribute("data-shown-to-drawn-ms")} ms from the verdict shown to the page drawn ` +
      `(render() ${await figure2.getAttribute("data-draw-ms")} ms, the module loaded)`,
  );
  await page.screenshot({ path: join(OUT, "16-drawn-pages.png"), fullPage: true });
  // A single OFD document: drawn as it is shown, its seal from its OFD seal picture.
  await clear(page);
  await uploadOfd(page, ["converter-1.ofd"]);
  const ofdCard = page.locator('article[data-file="converter-1.ofd"]');
  assert.equal(await ofdCard.locator("details.fold").evaluate((d) => d.open), true, "a single bill is shown in detail");
  await drawn(page, "converter-1.ofd");
  await ofdCard.screenshot({ path: join(OUT, "17-drawn-ofd.png") });
  await page.context().close();
});

test("drawing that fails says so, and the verdict stands", async () => {
  // A copy of the page whose render module is missing (a broken deploy).
  const root = mkdtempSync(join(tmpdir(), "piaoyan-page-"));
  for (const f of readdirSync(WEB)) {
    if (["node_modules", "test"].includes(f)) continue;
    cpSync(join(WEB, f), join(root, f), { recursive: true });
  }
  rmSync(join(root, "pkg", "piaoyan_render_bytes.js"));
  const own = await startServer({ root });
  try {
    const page = await newPage({ locale: "zh-CN" });
    const ignored = problems.length;
    await open(page, { url: own.url });
    await upload(page, ["01-hospital-valid.xml"]);
    const card = page.locator('article[data-file="01-hospital-valid.xml"]');
    const note = card.locator(".bill-pages.draw-error");
    await note.waitFor();
    assert.match(await note.innerText(), /^未能绘制票面（验证结果不受影响）：.+/);
    assert.equal(await card.getAttribute("data-verdict"), "demo", "the verdict stands");
    assert.ok(await card.locator(".verdict-text", { hasText: "验证通过" }).isVisible());
    assert.equal(await card.locator("img.bill-page").count(), 0);
    // The missing file's 404 is this test's doing.
    problems.splice(ignored);
    await page.context().close();
  } finally {
    await own.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test("states at 360 px and 1280 px", async () => {
  const cases = [
    ["valid-demo", "01-hospital-valid.xml"],
    ["invalid", "04-hospital-tampered-amount.xml"],
    ["indeterminate", "05-untrusted-root.xml"],
  ];
  for (const width of [360, 1280]) {
    const page = await newPage({ viewport: { width, height: width === 360 ? 740 : 900 }, ...(width === 360 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
    await open(page);
    for (const [name, file] of cases) {
      await clear(page);
      await upload(page, [file]);
      await page.locator("#results-section").evaluate((e) => e.scrollIntoView());
      await page.screenshot({ path: join(OUT, `15-${name}-${width}.png`) });
    }
    await page.context().close();
  }
});

test("a batch of 100 bills: progress, a summary first, the page answers clicks while verifying", async () => {
  const page = await newPage();
  await open(page);
  const names = expected().map((e) => e.name);
  const files = Array.from({ length: 100 }, (_, i) => ({ name: `${String(i).padStart(3, "0")}-${names[i % names.length]}`, mimeType: "text/xml", buffer: Buffer.from(bill(names[i % names.length])) }));
  const start = Date.now();
  await page.setInputFiles("#bills", files);
  await page.locator("#progress", { hasText: /正在验证 \d+\/100/ }).waitFor();
  // While verifying: the page still answers (the worker does the work).
  const t0 = Date.now();
  await page.click("#lang");
  await page.click("#lang");
  const answered = Date.now() - t0;
  await page.locator('#batch-summary[data-count="100"]').waitFor();
  await page.locator("#progress:empty").waitFor({ timeout: 60_000 });
  console.log(`batch of 100: ${Date.now() - start} ms to all verdicts; two clicks answered in ${answered} ms while verifying`);
  assert.ok(answered < 2000, `clicks answered in ${answered} ms`);
  const summary = await page.locator("#batch-summary").innerText();
  assert.match(summary, /^100 张：0 通过、\d+ 演示、\d+ 失败、\d+ 无法确定、0 无法识别/);
  assert.match(summary, /重复 \d+ 张/);
  assert.equal(await page.locator("article").count(), 100);
  assert.equal(await page.locator("article details.fold[open]").count(), 0, "folded");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "batch-summary", "focus on the summary");
  await shot(page, "16-batch-100.png");
  await page.context().close();
});

test("print: A4, one bill per page, verdict, time, file and module hashes; no buttons", async () => {
  const page = await newPage();
  await open(page);
  await upload(page, ["01-hospital-valid.xml", "04-hospital-tampered-amount.xml"]);
  await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
  await page.emulateMedia({ media: "print" });
  const visibleButtons = await page.locator("button, .button, input").evaluateAll((els) => els.filter((e) => e.getClientRects().length > 0).length);
  assert.equal(visibleButtons, 0, "no buttons in print");
  const card = page.locator('article[data-file="01-hospital-valid.xml"]');
  const meta = await card.locator(".print-meta").innerText();
  const sha = createHash("sha256").update(bill("01-hospital-valid.xml")).digest("hex");
  assert.ok(meta.includes(sha), "the file's SHA-256");
  assert.ok(meta.includes(cliModuleHash()), "the module hash");
  assert.match(meta, /验证时间：?\s*\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d:\d\d/);
  assert.equal(await card.evaluate((el) => getComputedStyle(el).breakAfter), "page");
  // The drawn page is printed with its card (printing opened every card, so each is drawn).
  await card.locator("img.bill-page").first().waitFor();
  assert.ok(await card.locator("img.bill-page").first().isVisible(), "the drawn page is printed");
  assert.equal(await page.locator(".bill-pages.pending:visible").count(), 0, "no placeholder in print");
  await shot(page, "17-print.png");
  await page.pdf({ path: join(OUT, "17-print.pdf"), format: "A4" });
  await page.emulateMedia({ media: "screen" });
  // 保存结果 downloads the JSON report.
  const [download] = await Promise.all([page.waitForEvent("download"), card.locator("button.save").click()]);
  const saved = JSON.parse(await readFile(await download.path(), "utf8"));
  assert.equal(saved.billKey, reportOf("01-hospital-valid.xml").billKey);
  assert.equal(saved.verdict, "VALID");
  await page.context().close();
});

test("verification runs in a Web Worker; the main thread never loads the module", async () => {
  const page = await newPage();
  const workers = [];
  page.on("worker", (w) => workers.push(w.url()));
  await open(page);
  await upload(page, ["02-school-valid.xml"]);
  assert.ok(workers.some((u) => u.endsWith("/verify-worker.js")), workers.join());
  const mainLoaded = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname));
  assert.ok(!mainLoaded.includes("/pkg/piaoyan_wasm_bytes.js"), "the module's bytes are the worker's, not the page's");
  await page.context().close();
});

test("the same bill again: the device's history warns, and one button clears it", async () => {
  const page = await newPage();
  await open(page);
  await upload(page, ["03-donation-mixed-valid.xml"]);
  assert.equal(await page.locator(".dup-warning").count(), 0);
  await clear(page);
  await upload(page, ["03-donation-mixed-valid.xml"]);
  const warn = await page.locator('article[data-file="03-donation-mixed-valid.xml"] .dup-warning').innerText();
  assert.match(warn, /^此票据已于 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d 验证过（文件 03-donation-mixed-valid\.xml）。$/);
  await page.reload();
  await page.locator('body[data-ready="1"]').waitFor();
  assert.match(await page.locator("#history-count").innerText(), /记录了 2 次验证/);
  await page.click("#clear-history");
  await page.locator("#history-count", { hasText: "记录了 0 次" }).waitFor();
  await page.check("#use-demo");
  await upload(page, ["03-donation-mixed-valid.xml"]);
  assert.equal(await page.locator(".dup-warning").count(), 0);
  await page.context().close();
});

test("Android and WeChat pickers accept any file; elsewhere a visible choice does the same", async () => {
  const ua = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36 MicroMessenger/8.0.50";
  const phone = await newPage({ userAgent: ua, viewport: { width: 360, height: 740 } });
  await open(phone, { demo: false });
  assert.equal(await phone.getAttribute("#bills", "accept"), null);
  assert.equal(await phone.isChecked("#any-file"), true);
  await phone.context().close();
  const page = await newPage();
  await open(page, { demo: false });
  assert.match(await page.getAttribute("#bills", "accept"), /\.ofd/);
  await page.check("#any-file");
  assert.equal(await page.getAttribute("#bills", "accept"), null);
  await page.context().close();
});

test("offline after the first visit: the service worker keeps the page, and the render module once a bill was drawn; the manifest makes it installable", async () => {
  const own = await startServer({ root: WEB });
  const page = await newPage();
  await open(page, { url: own.url, demo: false });
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
  });
  const manifest = await page.evaluate(() => document.querySelector('link[rel="manifest"]').href);
  assert.ok(manifest.endsWith("/manifest.webmanifest"));
  const renderFiles = pkgLists().PIAOYAN_RENDER_FILES;
  assert.ok(renderFiles.length >= 3, renderFiles.join());
  const kept = () => page.evaluate(async () => (await (await caches.open("piaoyan-page-v1")).keys()).map((r) => new URL(r.url).pathname));
  assert.deepEqual((await kept()).filter((p) => /render/.test(p)), [], "installing kept nothing of the render module");
  // Draw once (a first visit: the worker predates the service worker's control).
  await page.check("#use-demo");
  await upload(page, ["01-hospital-valid.xml"]);
  await drawn(page, "01-hospital-valid.xml");
  await page.waitForFunction(
    async (files) => {
      const keys = (await (await caches.open("piaoyan-page-v1")).keys()).map((r) => new URL(r.url).pathname);
      return files.every((f) => keys.includes(`/${f}`));
    },
    renderFiles,
    { polling: 100 },
  );
  // The network gone: the page, verifying and drawing all come from the cache.
  await own.close();
  await page.reload();
  await page.locator('body[data-ready="1"]').waitFor();
  await page.check("#use-demo");
  await upload(page, ["02-school-valid.xml"]);
  assert.equal(await page.locator('article[data-file="02-school-valid.xml"]').getAttribute("data-verdict"), "demo");
  const img = await drawn(page, "02-school-valid.xml");
  assert.equal(await img.getAttribute("data-signed"), "valid");
  await page.context().close();
});

test("a deploy-time trust bundle: listed by name, its roots trusted with no tick and no request", async () => {
  // A copy of the page whose bundle names the demo roots, as an organisation would name its own.
  const root = mkdtempSync(join(tmpdir(), "piaoyan-page-"));
  for (const f of readdirSync(WEB)) {
    if (["node_modules", "test", "trust"].includes(f)) continue;
    cpSync(join(WEB, f), join(root, f), { recursive: true });
  }
  mkdirSync(join(root, "trust", "bundle"), { recursive: true });
  cpSync(join(WEB, "trust", "demo-trust.js"), join(root, "trust", "demo-trust.js"));
  cpSync(trustPath("roots.pem"), join(root, "trust", "bundle", "roots.pem"));
  cpSync(trustPath("intermediates.pem"), join(root, "trust", "bundle", "intermediates.pem"));
  writeFileSync(
    join(root, "trust", "bundle", "manifest.json"),
    JSON.stringify({ name: "示范医院财务处信任包", publisher: "示范医院", roots: [{ file: "roots.pem", label: "演示根证书" }], intermediates: [{ file: "intermediates.pem", label: "演示中间证书" }], crls: [] }),
  );
  execFileSync(process.execPath, [join(WEB, "make-trust-bundle.mjs"), join(root, "trust", "bundle"), join(root, "trust", "bundle.js")]);
  const own = await startServer({ root });
  try {
    const page = await newPage();
    await open(page, { url: own.url, demo: false });
    assert.ok((await page.locator("#bundle-name").innerText()).includes("示范医院财务处信任包"));
    assert.equal(await page.locator("#bundle-list .trust-entry").count(), 4);
    assert.ok((await page.locator("#bundle-list").innerText()).includes("演示根证书"));
    await upload(page, ["02-school-valid.xml"]);
    const card = page.locator('article[data-file="02-school-valid.xml"]');
    assert.equal(await card.getAttribute("data-verdict"), "demo", "trusted through the bundle (still marked: its roots are the demo's)");
    assert.equal(await card.locator(".trust-reason").innerText(), "由“Piaoyan DEMO P-256 Root CA”根证书签发");
    await shot(page, "18-deploy-bundle.png");
    await page.context().close();
  } finally {
    await own.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test("a bad bundle manifest is a clear error", () => {
  const root = mkdtempSync(join(tmpdir(), "piaoyan-bundle-"));
  try {
    writeFileSync(join(root, "manifest.json"), JSON.stringify({ roots: [{ file: "../x.pem", label: "x" }] }));
    assert.throws(() => execFileSync(process.execPath, [join(WEB, "make-trust-bundle.mjs"), root, join(root, "out.js")], { stdio: "pipe" }), /must be a file name/);
    writeFileSync(join(root, "manifest.json"), JSON.stringify({ roots: [{ file: "missing.pem", label: "x" }] }));
    assert.throws(() => execFileSync(process.execPath, [join(WEB, "make-trust-bundle.mjs"), root, join(root, "out.js")], { stdio: "pipe" }), /missing\.pem/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/** The package's files the service worker knows, as scripts/build-web listed them (pkg/files.js). */
function pkgLists() {
  const self = {};
  runInNewContext(readFileSync(join(PKG, "files.js"), "utf8"), { self });
  return self;
}

test("no request left the origin, and the module was never fetched as .wasm", () => {
  assert.ok(requests.length > 0);
  // The page's own server, and the local copies of the offline and bundle tests (127.0.0.1, other ports).
  const foreign = [...requests, ...swRequests].filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith("http://127.0.0.1:") && !u.startsWith("data:"));
  assert.deepEqual(foreign, []);
  const paths = new Set(server.requests.map((r) => r.replace(/^GET /, "").split("?")[0]));
  assert.deepEqual(
    [...paths].sort(),
    [
      "/",
      // The page's own files (page-files.js), the service worker and its list.
      ...pageFiles().map((f) => `/${f}`),
      "/sw.js",
      "/page-files.js",
      // Every module of the package: the service worker keeps them all (pkg/files.js).
      ...pkgLists().PIAOYAN_PKG_FILES.map((f) => `/${f}`),
      // The render module's files: fetched only when a bill is drawn (the
      // drawing tests above do), never by a page that only verifies.
      ...pkgLists().PIAOYAN_RENDER_FILES.map((f) => `/${f}`),
    ].sort(),
  );
  assert.deepEqual(problems, []);
});
