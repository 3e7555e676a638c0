// The built web app in headless Chromium against the real backend with demo data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { base, screenshots, useBrowser } from "./chromium.mjs";

const browser = useBrowser();

test("the home page shows every published figure next to its computed value", async () => {
  const page = await browser().newPage();
  const consoleErrors = [];
  page.on("console", (message) => { if (message.type() === "error") consoleErrors.push(message.text()); });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));

  await page.goto(base + "/");
  const rows = page.locator("table[data-testid=indicators] tbody tr");
  await rows.nth(10).waitFor({ timeout: 20_000 });
  assert.equal(await rows.count(), 11);

  const shortage = page.locator("tr[data-key=worker_shortage]");
  assert.equal(await shortage.locator("td.published").innerText(), "17,553");
  assert.equal(await shortage.locator("td.check").getAttribute("data-computed"), "17553");
  assert.match(await shortage.locator("td.check").innerText(), /一致\s*记录中 17,553/);
  assert.equal(await page.locator("tr.mismatch").count(), 0, "every computed value equals the published one");
  assert.match(await page.locator("tr[data-key=above_scale_enterprises] th").innerText(), /规上工业企业/);

  await page.screenshot({ path: join(screenshots, "home-indicators.png"), fullPage: true });
  assert.deepEqual(consoleErrors, []);
});

test("deep links reach the app, and unknown pages say so", async () => {
  const page = await browser().newPage();
  const response = await page.goto(base + "/network/some/deep/link");
  assert.equal(response.status(), 200);
  await page.locator("[data-testid=not-found]").waitFor({ timeout: 20_000 });
  await page.locator("a", { hasText: "返回首页" }).click();
  await page.locator("table[data-testid=indicators]").waitFor({ timeout: 20_000 });
  await page.screenshot({ path: join(screenshots, "deep-link.png") });
});

test("the network explorer lays out the graph, exports it, finds an enterprise, opens its panel and expands its ego network", async () => {
  const page = await browser().newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  const api = await (await fetch(base + "/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ cooperationGraph { nodeCount edgeCount nodes { name kind degree } } }" }),
  })).json();
  const graph = api.data.cooperationGraph;

  await page.goto(base + "/network");
  const canvas = page.locator("canvas[data-testid=network]");
  await canvas.waitFor({ timeout: 30_000 });
  assert.equal(Number(await canvas.getAttribute("data-nodes")), graph.nodeCount);
  assert.equal(Number(await canvas.getAttribute("data-edges")), graph.edgeCount);
  await page.locator("canvas[data-settled=true]").waitFor({ timeout: 60_000 });
  await page.screenshot({ path: join(screenshots, "network-overview.png") });

  // The view exports as PNG and as CSV (nodes and edges).
  const [png] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=export-png]")]);
  assert.equal(png.suggestedFilename(), "lianqiao-network.png");
  const image = readFileSync(await png.path());
  assert.deepEqual([...image.subarray(1, 4)], [0x50, 0x4e, 0x47], "a PNG file");
  const [csv] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=export-csv]")]);
  const rows = readFileSync(await csv.path(), "utf8").replace(/^\ufeff/, "").trim().split("\n");
  assert.equal(rows[0], "record,id_or_source,name_or_target,kind_or_weight,degree");
  assert.equal(rows.filter((row) => row.startsWith("node,")).length, graph.nodeCount);
  assert.equal(rows.filter((row) => row.startsWith("edge,")).length, graph.edgeCount);

  const enterprise = graph.nodes.find((node) => node.kind === "ENTERPRISE" && node.degree > 1);
  await page.fill("#network-search", enterprise.name);
  await page.keyboard.press("Enter");
  const panel = page.locator("[data-testid=node-panel] .node-name");
  await panel.waitFor({ timeout: 10_000 });
  assert.equal(await panel.innerText(), enterprise.name, "an exact name is selected at once");
  // The panel lists the node's partners and its projects, as the API has them.
  const shown = await panel.innerText();
  const selectedId = (await (await fetch(base + "/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ cooperationGraph { nodes { id name } } }" }),
  })).json()).data.cooperationGraph.nodes.find((node) => node.name === shown).id;
  const details = (await (await fetch(base + "/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "query ($id: ID!) { neighbours(nodeId: $id) { weight } enterprise(id: $id) { projectCount } }", variables: { id: selectedId } }),
  })).json()).data;
  await page.locator("[data-testid=panel-partners] li").first().waitFor({ timeout: 10_000 });
  assert.equal(await page.locator("[data-testid=panel-partners] li").count(), Math.min(10, details.neighbours.length));
  assert.equal(await page.locator("[data-testid=panel-projects] li").count(), Math.min(10, details.enterprise.projectCount));
  await page.screenshot({ path: join(screenshots, "network.png") });

  // Expand the found enterprise's ego network (depth 1), then go back to the whole network.
  const id = (await (await fetch(base + "/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ cooperationGraph { nodes { id name } } }" }),
  })).json()).data.cooperationGraph.nodes.find((node) => node.name === enterprise.name).id;
  const ego = (await (await fetch(base + "/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "query ($id: ID!) { egoNetwork(nodeId: $id, depth: 1) { nodeCount } }", variables: { id } }),
  })).json()).data.egoNetwork;
  await page.selectOption("[data-testid=node-panel] .ego select", "1");
  await page.click("[data-testid=expand-ego]");
  await page.locator(`canvas[data-testid=network][data-nodes="${ego.nodeCount}"]`).waitFor({ timeout: 20_000 });
  assert.ok(ego.nodeCount > 1 && ego.nodeCount < graph.nodeCount);
  await page.locator("canvas[data-settled=true]").waitFor({ timeout: 60_000 });
  await page.screenshot({ path: join(screenshots, "network-ego.png") });
  await page.click("[data-testid=whole-network]");
  await page.locator(`canvas[data-testid=network][data-nodes="${graph.nodeCount}"]`).waitFor({ timeout: 20_000 });

  // The same page on a phone-sized screen.
  await page.setViewportSize({ width: 390, height: 800 });
  await page.screenshot({ path: join(screenshots, "network-phone.png"), fullPage: true });
  assert.deepEqual(errors, []);
});

test("the language switch turns every visible string to English and back, and is remembered", async () => {
  const page = await browser().newPage();
  await page.goto(base + "/");
  await page.locator("table[data-testid=indicators] tbody tr").nth(10).waitFor({ timeout: 20_000 });
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  await page.click("[data-testid=switch-language]");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.equal(await page.locator("table[data-testid=indicators] thead th").nth(1).innerText(), "Published");
  assert.match(await page.locator("tr[data-key=above_scale_enterprises] th").innerText(), /[A-Za-z]/);
  // No Chinese is left except the brand name and the records' own names.
  // No Chinese is left but the brand name and the switch back, which names its language in it.
  const visible = (await page.locator("body").innerText()).replace("链桥", "").replace("中文", "");
  assert.doesNotMatch(visible, /[\u4e00-\u9fff]/, visible);
  await page.screenshot({ path: join(screenshots, "home-english.png"), fullPage: true });

  // Pages without records' own names are all English too.
  for (const [path, ready] of [["/desk", "[data-testid=login]"], ["/chains", "[data-testid=chains] li"], ["/nowhere", "[data-testid=not-found]"]]) {
    await page.goto(base + path);
    await page.locator(ready).first().waitFor({ timeout: 20_000 });
    const text = (await page.locator("body").innerText()).replace("链桥", "").replace("中文", "");
    assert.doesNotMatch(text, /[\u4e00-\u9fff]/, `${path}: ${text}`);
  }

  await page.goto(base + "/network");
  await page.locator("canvas[data-testid=network]").waitFor({ timeout: 30_000 });
  assert.equal(await page.locator("label[for=network-search]").innerText(), "Find an enterprise or institution");
  await page.click("[data-testid=switch-language]");
  assert.equal(await page.locator("label[for=network-search]").innerText(), "查找企业或院校");
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
});
