import { chromium } from "playwright-core";
import { startServer } from "./serve.mjs";
const [root, sel, n] = [process.argv[2], process.argv[3], Number(process.argv[4] || 10)];
const server = await startServer({ root });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"] });
const times = [];
for (let i = 0; i < n; i++) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(server.url, { waitUntil: "commit" });
  await page.waitForFunction((s) => document.querySelector(s), sel, { polling: "raf" });
  times.push(await page.evaluate(() => performance.now()));
  if (i == 0 || i == n - 1) console.log(await page.evaluate(() => performance.getEntriesByType("mark").map((m) => m.name + "=" + Math.round(m.startTime)).join(" ")));
  await ctx.close();
}
times.sort((a, b) => a - b);
console.log(root, "median", Math.round(times[n >> 1]), "min", Math.round(times[0]), "all", times.map(Math.round).join(","));
await browser.close(); await server.close();
