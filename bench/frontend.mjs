// The web app's benchmark: wasm size (raw and gzipped), time to first meaningful paint of
// the network page (the first frame with the whole demo network drawn), and frames per
// second while laying out a 2,000-node, 5,000-edge graph, in headless Chromium.
// Usage: node bench/frontend.mjs http://127.0.0.1:PORT   (bench/frontend.sh starts the server)
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { launch } from "../e2e/tests/chromium.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:8080";
const runs = Number(process.env.RUNS ?? 5);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const dist = new URL("../frontend/dist/", import.meta.url);
const wasm = readFileSync(new URL(readdirSync(dist).find((name) => /^lianqiao_bg\.[0-9a-f]+\.wasm$/.test(name)), dist));
const gzipped = gzipSync(wasm, { level: 9 }).length;

const context = await launch();

// The first load's transfer (HTML, JS, wasm, CSS): Resource Timing gives each file's encoded
// size (what travelled, compressed) and decoded size (what it would be without compression).
const first = await context.newPage();
await first.goto(base + "/");
await first.waitForFunction(() => performance.getEntriesByType("resource").some((r) => r.name.endsWith(".wasm")), null, { timeout: 60_000 });
await first.waitForLoadState("networkidle");
const transfer = await first.evaluate(() => {
  const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
    .filter((entry) => entry.entryType === "navigation" || /\.(js|wasm|css)$/.test(new URL(entry.name).pathname));
  return {
    files: entries.length,
    encoded: entries.reduce((sum, entry) => sum + entry.encodedBodySize, 0),
    decoded: entries.reduce((sum, entry) => sum + entry.decodedBodySize, 0),
  };
});
await first.close();
const paints = [];
for (let run = 0; run < runs; run++) {
  const page = await context.newPage();
  await page.route("**/*", (route) => route.continue({ headers: { ...route.request().headers(), "cache-control": "no-cache" } }));
  await page.goto(base + "/network");
  await page.waitForFunction(() => performance.getEntriesByName("lianqiao:network-drawn").length > 0, null, { timeout: 60_000 });
  paints.push(await page.evaluate(() => performance.getEntriesByName("lianqiao:network-drawn")[0].startTime));
  await page.close();
}

const fps = [];
let steps = 0;
for (let run = 0; run < runs; run++) {
  const page = await context.newPage();
  await page.goto(base + "/lab/layout?nodes=2000&edges=5000");
  await page.locator("canvas[data-nodes='2000'][data-edges='5000']").waitFor({ timeout: 60_000 });
  // Count animation frames for 3 s while the layout runs (it settles after 600 steps).
  const measured = await page.evaluate(() => new Promise((resolve) => {
    let frames = 0;
    const start = performance.now();
    const tick = (now) => {
      frames++;
      if (now - start < 3000) requestAnimationFrame(tick);
      else resolve({ frames, seconds: (now - start) / 1000, steps: Number(document.querySelector("canvas").dataset.steps) });
    };
    requestAnimationFrame(tick);
  }));
  fps.push(measured.frames / measured.seconds);
  steps = measured.steps;
  await page.close();
}
await context.close();

const rows = [
  ["first load, uncompressed (bytes)", transfer.decoded, `${transfer.files} files: HTML, JS, wasm, CSS`],
  ["first load, transferred (bytes)", transfer.encoded, `compressed by the server: ${(100 * (1 - transfer.encoded / transfer.decoded)).toFixed(0)}% less`],
  ["wasm raw (bytes)", wasm.length],
  ["wasm gzipped (bytes)", gzipped, "zlib level 9; the budget (460,000) is checked on the build's .gz by scripts/test.sh"],
  ["network first meaningful paint, median of " + runs + " (ms)", Math.round(median(paints)), paints.map(Math.round).join(" ")],
  ["layout 2,000 nodes / 5,000 edges, median fps", median(fps).toFixed(1), "target ≥ 30; runs " + fps.map((value) => value.toFixed(1)).join(" ") + `; ${steps} layout steps in the last run's 3 s`],
];
for (const [name, value, note = ""] of rows) console.log(`${name.padEnd(58)} ${String(value).padStart(10)}  ${note}`);
