// The built web app in headless Chromium against the real backend with demo data.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch } from "./chromium.mjs";

const base = process.env.LIANQIAO_URL ?? "http://127.0.0.1:8080";
const screenshots = new URL("../screenshots/", import.meta.url).pathname;
let context;

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  context = await launch();
});

after(async () => {
  await context?.close();
});

test("the home page shows every published figure next to its computed value", async () => {
  const page = await context.newPage();
  const consoleErrors = [];
  page.on("console", (message) => { if (message.type() === "error") consoleErrors.push(message.text()); });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));

  await page.goto(base + "/");
  const rows = page.locator("table[data-testid=indicators] tbody tr");
  await rows.nth(10).waitFor({ timeout: 20_000 });
  assert.equal(await rows.count(), 11);

  const shortage = page.locator("tr[data-key=worker_shortage]");
  assert.equal(await shortage.locator("td.published").innerText(), "17,553");
  assert.equal(await shortage.locator("td.computed").innerText(), "17,553");
  assert.equal(await page.locator("tr.mismatch").count(), 0, "every computed value equals the published one");
  assert.match(await page.locator("tr[data-key=above_scale_enterprises] th").innerText(), /规上工业企业/);

  await page.screenshot({ path: join(screenshots, "home-indicators.png"), fullPage: true });
  assert.deepEqual(consoleErrors, []);
});

test("client-side routes fall back to the app", async () => {
  const page = await context.newPage();
  const response = await page.goto(base + "/network/some/deep/link");
  assert.equal(response.status(), 200);
  await page.locator("table[data-testid=indicators]").waitFor({ timeout: 20_000 });
  await page.screenshot({ path: join(screenshots, "deep-link.png") });
});
