// The network explorer on a server (the large dataset in bench/frontend.sh): time to a
// usable network view (navigation to the first frame with the overview drawn), bytes transferred for it (page, script, wasm, style sheet and the API's
// answers, as they travelled), and frames per second while a user pans and zooms during the
// layout, in headless Chromium.
// Usage: node bench/explorer.mjs http://127.0.0.1:PORT [label]
import { launch } from "../e2e/tests/chromium.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:8080";
const label = process.argv[3] ?? "";
const runs = Number(process.env.RUNS ?? 5);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const context = await launch();
const usable = [];
const bytes = [];
const fps = [];
let shown = null;
for (let run = 0; run < runs; run++) {
  const page = await context.newPage();
  // Every run loads like a first visit: nothing from the browser's cache.
  await page.route("**/*", (route) => route.continue({ headers: { ...route.request().headers(), "cache-control": "no-cache" } }));
  const client = await page.context().newCDPSession(page);
  await client.send("Network.enable");
  await client.send("Network.setCacheDisabled", { cacheDisabled: true });
  let transferred = 0;
  client.on("Network.loadingFinished", (event) => { transferred += event.encodedDataLength; });
  await page.goto(base + "/network");
  await page.waitForFunction(() => performance.getEntriesByName("lianqiao:network-drawn").length > 0, null, { timeout: 120_000 });
  usable.push(await page.evaluate(() => performance.getEntriesByName("lianqiao:network-drawn")[0].startTime));
  const canvas = page.locator("canvas[data-testid=network]");
  shown = await page.locator("[data-testid=network-shown]").evaluate((line) => ({
    shown: Number(line.dataset.shown), hidden: Number(line.dataset.hidden), total: Number(line.dataset.total), text: line.innerText,
  }));

  // Interaction while the layout still runs: drag the background and zoom with the wheel for
  // 3 s, counting animation frames.
  const box = await canvas.boundingBox();
  const counting = page.evaluate(() => new Promise((resolve) => {
    let frames = 0;
    const start = performance.now();
    const tick = (now) => {
      frames++;
      if (now - start < 3000) requestAnimationFrame(tick);
      else resolve(frames / ((now - start) / 1000));
    };
    requestAnimationFrame(tick);
  }));
  const started = Date.now();
  let step = 0;
  while (Date.now() - started < 2900) {
    const x = box.x + box.width * (0.3 + 0.4 * ((step % 10) / 10));
    const y = box.y + box.height * 0.95;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 40, y - 10, { steps: 4 });
    await page.mouse.up();
    await page.mouse.wheel(0, step % 2 ? 120 : -120);
    step++;
  }
  fps.push(await counting);
  await page.waitForTimeout(200);
  bytes.push(transferred);
  await page.close();
}
await context.close();

const rows = [
  ["nodes shown / hidden / in the graph", `${shown.shown} / ${shown.hidden} / ${shown.total}`, shown.text],
  ["time to a usable network view, median (ms)", Math.round(median(usable)), "first frame drawn; runs " + usable.map(Math.round).join(" ") + "; target < 2,000"],
  ["bytes transferred for the view, median", median(bytes), "page, script, wasm, CSS and API answers; runs " + bytes.join(" ") + "; target < 2,000,000"],
  ["fps while panning and zooming during layout, median", median(fps).toFixed(1), "runs " + fps.map((value) => value.toFixed(1)).join(" ") + "; target ≥ 30"],
];
if (label) console.log(`-- ${label}`);
for (const [name, value, note = ""] of rows) console.log(`${name.padEnd(58)} ${String(value).padStart(12)}  ${note}`);
