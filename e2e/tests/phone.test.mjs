// Phones and language (issue 18): at 390 px the projects table becomes cards that keep
// titles readable and every value on screen; in English, institutions and programmes show
// their English names wherever they have one. With screenshots.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { base, screenshots, useBrowser } from "./chromium.mjs";
import { gql } from "./graphql.mjs";

const browser = useBrowser();

test("at 390 px the projects table reads as cards: whole titles, no value cut off", async () => {
  const page = await browser().newPage();
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(base + "/projects");
  const rows = page.locator("[data-testid=projects] tbody tr");
  await rows.nth(19).waitFor({ timeout: 20_000 });
  const layout = await rows.evaluateAll((list) => list.map((row) => ({
    title: row.querySelector("td.title").getBoundingClientRect().width,
    right: Math.max(...[...row.querySelectorAll("td")].map((cell) => cell.getBoundingClientRect().right)),
  })));
  for (const row of layout) {
    assert.ok(row.title >= 300, `a title gets the card's width (${row.title}px)`);
    assert.ok(row.right <= 390, `nothing is cut off (${row.right}px)`);
  }
  // Each value says what it is.
  const labelled = await page.locator("[data-testid=projects] tbody tr").first().locator("td[data-label]").evaluateAll(
    (cells) => cells.map((cell) => getComputedStyle(cell, "::before").content),
  );
  assert.ok(labelled.some((content) => content.includes("状态")), labelled.join());
  await page.screenshot({ path: join(screenshots, "projects-cards-390.png"), fullPage: true });
});

test("in English, institutions and programmes are shown by their English names", async () => {
  const page = await browser().newPage();
  await page.goto(base + "/");
  await page.evaluate(() => localStorage.setItem("lianqiao.lang", "en"));
  const key = (await gql('{ projects(first: 1, filter: { programme: { eq: "校企架桥工程" } }) { nodes { id institutions { nodes { name nameEn } } } } }')).data.projects.nodes[0];

  await page.goto(`${base}/projects/${key.id}`);
  await page.locator("[data-testid=programme]").waitFor({ timeout: 20_000 });
  assert.equal(await page.locator("[data-testid=programme]").innerText(), "Bridge Building programme");
  const chips = await page.locator("[data-testid=participants] .chip.institution").allInnerTexts();
  assert.deepEqual(chips, key.institutions.nodes.map((node) => node.nameEn));

  await page.goto(base + "/projects");
  await page.locator("[data-testid=projects] tbody tr").first().waitFor({ timeout: 20_000 });
  const institutions = await page.locator("[data-testid=projects] .chip.institution").allInnerTexts();
  assert.ok(institutions.length > 0 && institutions.every((name) => !/[\u4e00-\u9fff]/.test(name)), institutions.join(" | "));

  await page.goto(base + "/network");
  const canvas = page.locator("canvas[data-testid=network][data-settled]");
  await canvas.waitFor({ timeout: 30_000 });
  const labels = (await canvas.getAttribute("data-labels")).split("\n");
  assert.ok(labels.some((label) => /University|Institute|College/.test(label)), labels.join(" | "));
  await page.screenshot({ path: join(screenshots, "network-english.png") });
  await page.evaluate(() => localStorage.removeItem("lianqiao.lang"));
});
