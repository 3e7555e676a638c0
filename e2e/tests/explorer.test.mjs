// The network explorer as officials use it (issue 18), at 1280×800 and 390 px, with
// screenshots: the canvas keeps its proportions beside a long panel, the searched node stays
// on screen, names and metrics are shown, search lists every match (English names too),
// ego and path views live in the URL, an empty filter and a bad link say what happened in
// the page's language from the shared error codes, and a network failure can be retried.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { base, screenshots, useBrowser } from "./chromium.mjs";
import { distantPair, gql } from "./graphql.mjs";

const browser = useBrowser();

function watchErrors(page) {
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    // A request the test itself made fail is not an app error.
    if (message.type() === "error" && !message.text().includes("net::ERR_FAILED")) errors.push(message.text());
  });
  return errors;
}

/** The Chinese and English readings of every error code, from the shared crate's table. */
function sharedExplanations() {
  const source = readFileSync(new URL("../../shared/src/error_code.rs", import.meta.url), "utf8");
  const readings = new Map();
  for (const match of source.matchAll(/Self::(\w+) =>\s*\(\s*"([^"]+)",\s*"([^"]+)"/g)) {
    const code = match[1].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
    readings.set(code, { zh: match[2], en: match[3] });
  }
  assert.ok(readings.size > 20, "the shared table was read");
  return readings;
}

async function canvasBox(page) {
  return page.locator("canvas[data-testid=network]").evaluate((canvas) => {
    const box = canvas.getBoundingClientRect();
    return { top: box.top, width: box.width, height: box.height, pixels: canvas.width, inner: canvas.clientWidth };
  });
}

for (const width of [1280, 390]) {
  test(`at ${width}px the explorer keeps its canvas in proportion, finds by English name, names and measures nodes`, async () => {
    const page = await browser().newPage();
    await page.setViewportSize({ width, height: 800 });
    const errors = watchErrors(page);
    const { data } = await gql("{ cooperationGraph(limit: 1000) { nodeCount nodes { id name nameEn degree weightedDegree betweenness } } }");
    await page.goto(base + "/network");
    const canvas = page.locator("canvas[data-testid=network][data-settled]");
    await canvas.waitFor({ timeout: 30_000 });
    const before = await canvasBox(page);
    const ratio = width < 600 ? 1 : 7 / 12;
    assert.ok(Math.abs(before.height / before.width - ratio) < 0.02, `canvas proportion ${before.height / before.width}`);
    assert.equal(before.pixels, before.inner, "one canvas pixel per screen pixel (density 1 here)");

    // Names of the busiest nodes are drawn on the graph.
    const labels = (await canvas.getAttribute("data-labels")).split("\n").filter(Boolean);
    assert.ok(labels.length >= (width < 600 ? 5 : 8), `names drawn: ${labels.length}`);
    const busiest = [...data.cooperationGraph.nodes].sort((a, b) => b.degree - a.degree)[0];
    assert.ok(labels.includes(busiest.name), `the busiest node (${busiest.name}) is named`);

    // Search by English name selects 皖西学院; the canvas keeps its shape beside the panel and
    // the node stays on screen (centred in the canvas, above the fold).
    const west = data.cooperationGraph.nodes.find((node) => node.name === "皖西学院");
    assert.equal(west.nameEn, "West Anhui University");
    await page.fill("#network-search", "west anhui university");
    await page.keyboard.press("Enter");
    await page.locator("[data-testid=node-panel] .node-name", { hasText: "皖西学院" }).waitFor({ timeout: 10_000 });
    await page.locator("[data-testid=panel-projects] li").first().waitFor({ timeout: 10_000 });
    const after = await canvasBox(page);
    assert.ok(Math.abs(after.height - before.height) < 1, `the panel does not stretch the canvas (${before.height} → ${after.height})`);
    assert.ok(after.top + after.height / 2 < 800, "the selected node is above the fold");
    assert.match(page.url(), /node=/, "the selection is in the URL");
    // The panel shows the API's metrics.
    const metrics = await page.locator("[data-testid=node-metrics]").innerText();
    const written = (value) => Math.round(value).toLocaleString("en-US");
    assert.ok(metrics.includes(written(west.degree)) && metrics.includes(written(west.betweenness)), metrics);
    assert.ok((await canvas.getAttribute("data-labels")).split("\n").includes("皖西学院"), "the selected node is named");

    // A search matching several nodes lists them all instead of taking the first.
    const universities = data.cooperationGraph.nodes.filter((node) => node.name.includes("大学")).length;
    await page.fill("#network-search", "大学");
    await page.keyboard.press("Enter");
    const results = page.locator("[data-testid=search-results] li");
    await results.first().waitFor();
    assert.equal(await results.count(), Math.min(universities, 12));
    await results.nth(1).locator("button").click();
    await page.locator("[data-testid=node-panel] .node-name").filter({ hasNotText: "皖西学院" }).waitFor();

    // The hint speaks of taps and buttons, not of a mouse wheel.
    const hint = await page.locator("[data-testid=node-panel]").innerText();
    assert.ok(!hint.includes("滚轮"));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
    await page.screenshot({ path: join(screenshots, `explorer-${width}.png`), fullPage: true });
    assert.deepEqual(errors, []);
  });
}

test("ego and path views live in the URL, the path names the projects linking its nodes, and colours follow the settings", async () => {
  const page = await browser().newPage();
  const errors = watchErrors(page);
  const { data } = await gql("{ cooperationGraph { nodes { id name kind degree } } }");
  const hub = data.cooperationGraph.nodes.filter((node) => node.kind === "INSTITUTION").sort((a, b) => b.degree - a.degree)[0];
  const ego = (await gql("query ($id: ID!) { egoNetwork(nodeId: $id, depth: 1, limit: 1000) { nodeCount } }", { id: hub.id })).data.egoNetwork;

  await page.goto(base + "/network");
  await page.locator("canvas[data-testid=network][data-settled]").waitFor({ timeout: 30_000 });
  await page.fill("#network-search", hub.name);
  await page.keyboard.press("Enter");
  await page.locator("[data-testid=node-panel] .node-name", { hasText: hub.name }).waitFor();
  await page.locator("[data-testid=node-panel] .ego select").selectOption("1");
  await page.click("[data-testid=expand-ego]");
  await page.waitForURL(/ego=.*depth=1/);
  await page.locator(`canvas[data-testid=network][data-nodes="${ego.nodeCount}"]`).waitFor({ timeout: 30_000 });
  // The link opens the same view.
  await page.reload();
  await page.locator(`canvas[data-testid=network][data-nodes="${ego.nodeCount}"]`).waitFor({ timeout: 30_000 });
  await page.locator("[data-testid=node-panel] .node-name", { hasText: hub.name }).waitFor();
  await page.click("[data-testid=whole-network]");
  await page.locator(`canvas[data-testid=network][data-nodes="${data.cooperationGraph.nodes.length}"]`).waitFor({ timeout: 30_000 });

  // A path three hops or more apart, opened from its link, lists the projects along it.
  const { enterprise, target, length } = await distantPair();
  await page.goto(`${base}/network?pathFrom=${enterprise.id}&pathTo=${target.id}`);
  const steps = page.locator("[data-testid=path] > li");
  await steps.first().waitFor({ timeout: 30_000 });
  assert.equal(await steps.count(), length + 1);
  assert.equal(await steps.first().locator("> a").innerText(), enterprise.name);
  assert.equal(await page.locator("[data-testid=path-projects]").count(), length, "each hop names its projects");
  const project = page.locator("[data-testid=path-projects] a").first();
  assert.match(await project.getAttribute("href"), /^\/projects\//);

  // Colour and size settings and a year comparison are in the URL and change the legend.
  await page.selectOption("select[name=colour]", "community");
  await page.waitForURL(/colour=community/);
  await page.getByText("颜色区分合作社群").waitFor();
  await page.selectOption("select[name=compare]", "2022");
  await page.waitForURL(/compare=2022/);
  const legend = page.locator("[data-testid=compare-legend]");
  await legend.waitFor({ timeout: 10_000 });
  const compared = (await gql("{ compareYears(firstYear: 2022, secondYear: 2023) { newEdges { source } continuedEdges { source } endedEdges { source } } }")).data.compareYears;
  const text = await legend.innerText();
  for (const count of [compared.newEdges.length, compared.continuedEdges.length, compared.endedEdges.length]) {
    assert.ok(text.includes(String(count)), `${text} names ${count}`);
  }
  await page.screenshot({ path: join(screenshots, "explorer-path-compare.png"), fullPage: true });
  assert.deepEqual(errors, []);
});

test("an empty filter says so, a bad link is explained from the shared error codes, and a failed request can be retried", async () => {
  const readings = sharedExplanations();
  const page = await browser().newPage();
  const errors = watchErrors(page);

  await page.goto(base + "/network?programme=" + encodeURIComponent("没有这个计划"));
  await page.locator("[data-testid=network-empty]").waitFor({ timeout: 30_000 });

  // A chain ID that is not one: the server answered, with a code; the page says what the
  // shared table says for that code, in Chinese, never the server's English message.
  const answer = await (await fetch(base + "/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: '{ cooperationGraph(filter: { chain: { eq: "garbage" } }) { nodeCount } }' }),
  })).json();
  const { code } = answer.errors[0].extensions;
  await page.goto(base + "/network?chain=garbage");
  const alert = page.locator("[role=alert]");
  await alert.waitFor({ timeout: 30_000 });
  assert.equal(await alert.getAttribute("data-code"), code);
  const shown = await alert.innerText();
  assert.ok(shown.includes(readings.get(code).zh), `${shown} reads the shared code ${code}`);
  assert.ok(!shown.includes(answer.errors[0].message), "not the API's English text");
  assert.ok(!/[A-Za-z]{4,}/.test(shown.replace(code, "")), `no English words in the Chinese page: ${shown}`);
  assert.ok(!shown.includes("无法连接"), "the server did answer");
  await page.screenshot({ path: join(screenshots, "explorer-bad-link.png") });

  // The network fails once: the page says so and offers to try again, which works.
  await page.route("**/graphql", (route) => route.abort());
  await page.goto(base + "/network");
  await page.locator("[data-testid=retry]").waitFor({ timeout: 30_000 });
  assert.ok((await page.locator("[role=alert]").innerText()).includes("无法连接服务器"));
  await page.unroute("**/graphql");
  await page.click("[data-testid=retry]");
  await page.locator("canvas[data-testid=network]").waitFor({ timeout: 30_000 });
  assert.deepEqual(errors, []);
});
