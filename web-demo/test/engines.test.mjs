// The page's core flows in the two other engine families a payer meets:
// Gecko (Debian's firefox-esr, driven over WebDriver BiDi by puppeteer-core)
// and WebKit (WebKitGTK's MiniBrowser, driven by its WebDriver,
// WebKitWebDriver, through selenium-webdriver, on a virtual X display).
// WebKit is the engine family of iOS, where WeChat's web-view is
// WKWebView. Chromium runs the full suite in browser.test.mjs; here every
// state and a batch run once per engine, with a screenshot each in
// target/web-test/ (PIAOYAN_WEB_TEST_OUT).
//
// The page's contract used here: `document.body.dataset.ready === "1"`
// once the module is loaded; `#bills` takes the files; `#use-demo` ticks
// the demo trust bundle (off by default); every result card carries
// `data-verdict` = valid | demo | invalid | indeterminate | unrecognised
// (and, before or instead of a verdict, pending | error);
// `#batch-summary` carries `data-count`.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import puppeteer from "puppeteer-core";
import { Builder } from "selenium-webdriver";

import { startServer } from "../serve.mjs";
import { BILLS, OUT, SAMPLES, WEB, requirePkg } from "./env.mjs";

requirePkg();

const FIREFOX = process.env.FIREFOX || "/usr/bin/firefox-esr";
const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER || "/usr/bin/WebKitWebDriver";
const MINIBROWSER = process.env.MINIBROWSER || "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
const TIMEOUT = 30_000;

/** What each sample is, with the demo bundle ticked (samples/expected.json). */
const DEMO_STATE = { VALID: "demo", INVALID: "invalid", INDETERMINATE: "indeterminate" };
const samples = JSON.parse(readFileSync(join(SAMPLES, "expected.json"), "utf8")).map((e) => ({
  name: e.file.replace(/^bills\//, ""),
  state: DEMO_STATE[e.verdict],
}));

const file = (name, bytes) => ({ name, b64: Buffer.from(bytes).toString("base64") });
const sample = (name) => file(name, readFileSync(join(BILLS, name)));
const PDF = file("bill.pdf", Buffer.from("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n", "latin1"));

/**
 * In the page: gives `#bills` the files (base64) as a picker would, after
 * setting the demo tick. A plain function: both drivers send its source.
 */
function feed(files, demo) {
  const box = document.getElementById("use-demo");
  if (box.checked !== demo) box.click();
  const dt = new DataTransfer();
  for (const f of files) {
    const bin = atob(f.b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    dt.items.add(new File([bytes], f.name));
  }
  const input = document.getElementById("bills");
  input.files = dt.files;
  input.dispatchEvent(new Event("change", { bubbles: true }));
}

/** In the page: the verdicts shown, and the batch summary's count. */
function shown() {
  const cards = [...document.querySelectorAll("[data-verdict]")].filter((e) => e.id !== "batch-summary");
  const summary = document.getElementById("batch-summary");
  return {
    ready: document.body.dataset.ready === "1",
    verdicts: cards.map((c) => c.dataset.verdict),
    count: summary ? Number(summary.dataset.count) : null,
  };
}

/** A call of `fn` with JSON arguments, as script source. */
const call = (fn, ...args) => `return (${fn})(...${JSON.stringify(args)});`;

async function poll(what, probe, done) {
  const end = Date.now() + TIMEOUT;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The flows, on a driver { open(url), run(source), shot(path), close() }. */
function flows(engine, getDriver) {
  const state = () => getDriver().run(call(shown));

  async function verifyFiles(files, demo, label) {
    const driver = getDriver();
    await driver.open(server.url);
    const t0 = Date.now();
    await poll("the module", state, (s) => s.ready);
    const ready = Date.now() - t0;
    await driver.run(call(feed, files, demo));
    const s = await poll(
      `${files.length} verdicts`,
      state,
      (s) => s.verdicts.length >= files.length && !s.verdicts.includes("pending"),
    );
    await driver.shot(join(OUT, `${engine}-${label}.png`));
    return { ...s, ready };
  }

  test(`${engine}: a genuine bill under the demo bundle is a demo, never a plain pass`, async () => {
    const s = await verifyFiles([sample("01-hospital-valid.xml")], true, "demo");
    console.log(`${engine}: load to ready ${s.ready} ms`);
    assert.deepEqual(s.verdicts, ["demo"]);
  });

  test(`${engine}: without trust the same bill cannot be determined`, async () => {
    const s = await verifyFiles([sample("01-hospital-valid.xml")], false, "indeterminate");
    assert.deepEqual(s.verdicts, ["indeterminate"]);
  });

  test(`${engine}: a changed amount fails`, async () => {
    const s = await verifyFiles([sample("04-hospital-tampered-amount.xml")], true, "invalid");
    assert.deepEqual(s.verdicts, ["invalid"]);
  });

  test(`${engine}: a PDF is not recognised as a bill`, async () => {
    const s = await verifyFiles([PDF], true, "unrecognised");
    assert.deepEqual(s.verdicts, ["unrecognised"]);
  });

  test(`${engine}: a batch of every sample and a PDF`, async () => {
    const files = [...samples.map((s) => sample(s.name)), PDF];
    const s = await verifyFiles(files, true, "batch");
    assert.equal(s.count, files.length);
    const want = [...samples.map((s) => s.state), "unrecognised"];
    assert.deepEqual([...s.verdicts].sort(), want.sort());
  });
}

let server;
before(async () => {
  mkdirSync(OUT, { recursive: true });
  server = await startServer({ root: WEB });
});
after(async () => {
  await server?.close();
});

describe("Firefox ESR (Gecko, WebDriver BiDi)", () => {
  let browser;
  let page;
  before(async () => {
    assert.ok(existsSync(FIREFOX), `${FIREFOX} is missing: run ./scripts/install-tools --browser`);
    browser = await puppeteer.launch({ browser: "firefox", executablePath: FIREFOX, headless: true });
    page = await browser.newPage();
    await page.setViewport({ width: 360, height: 800 });
  });
  after(async () => {
    await browser?.close();
  });
  flows("firefox", () => ({
    open: (url) => page.goto(url),
    run: (source) => page.evaluate(new Function(source)),
    shot: (path) => page.screenshot({ path, fullPage: true }),
  }));
});

/** A free port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

describe("WebKitGTK (WebKit, WebDriver)", () => {
  let driverProcess;
  let driver;
  before(async () => {
    for (const f of [WEBKIT_DRIVER, MINIBROWSER, "/usr/bin/xvfb-run"]) {
      assert.ok(existsSync(f), `${f} is missing: run ./scripts/install-tools --browser`);
    }
    const port = await freePort();
    // xvfb-run gives the driver, and the MiniBrowser it starts, a display.
    driverProcess = spawn("xvfb-run", ["-a", WEBKIT_DRIVER, `--port=${port}`, "--host=127.0.0.1"], {
      stdio: "ignore",
      detached: true,
    });
    const capabilities = {
      browserName: "MiniBrowser",
      "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] },
    };
    const url = `http://127.0.0.1:${port}`;
    driver = await poll(
      "WebKitWebDriver",
      () => new Builder().usingServer(url).withCapabilities(capabilities).build().catch(() => null),
      (d) => d !== null,
    );
    await driver.manage().window().setRect({ width: 360, height: 800 });
  });
  after(async () => {
    await driver?.quit().catch(() => {});
    // The whole process group: xvfb-run, Xvfb and the driver.
    if (driverProcess) process.kill(-driverProcess.pid, "SIGTERM");
  });
  flows("webkit", () => ({
    open: (url) => driver.get(url),
    run: (source) => driver.executeScript(source),
    shot: async (path) => writeFileSync(path, Buffer.from(await driver.takeScreenshot(), "base64")),
  }));
});
