// Chains that advise (issue 18): a gap is judged against the city's own coverage and the bar
// can be changed in the page; suggestions say why in one line; the diagram's institution
// names stay apart. At 1280×800 and 390 px, with screenshots.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { base, screenshots, useBrowser } from "./chromium.mjs";
import { gql } from "./graphql.mjs";

const browser = useBrowser();

const ANALYSIS = "query ($r: Float!) { industryChains { nodes { id nameZh analysis(relativeThreshold: $r) { cityCoverage threshold segments { segmentId } gaps { segmentId } } } } }";

for (const width of [1280, 390]) {
  test(`at ${width}px a chain's gaps follow the city's coverage and an adjustable bar, and say why partners are suggested`, async () => {
    const page = await browser().newPage();
    await page.setViewportSize({ width, height: 800 });
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    const half = (await gql(ANALYSIS, { r: 0.5 })).data.industryChains.nodes;
    const higher = (await gql(ANALYSIS, { r: 1.5 })).data.industryChains.nodes;
    // Before, with an absolute 20%, every segment of every chain was a gap.
    const segments = half.reduce((sum, chain) => sum + chain.analysis.segments.length, 0);
    const gaps = half.reduce((sum, chain) => sum + chain.analysis.gaps.length, 0);
    assert.ok(gaps < segments, `not every segment is a gap (${gaps} of ${segments})`);
    // A chain whose gaps change with the bar.
    const index = half.findIndex((chain, at) => higher[at].analysis.gaps.length > chain.analysis.gaps.length);
    assert.ok(index >= 0, "raising the bar finds more gaps somewhere");
    const chain = half[index];

    await page.goto(`${base}/chains/${chain.id}`);
    await page.locator("[data-testid=gap-rule]").waitFor({ timeout: 20_000 });
    const rule = await page.locator("[data-testid=gap-rule]").innerText();
    const percent = (share) => `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
    assert.ok(rule.includes(percent(chain.analysis.cityCoverage)) && rule.includes(percent(chain.analysis.threshold)), rule);
    assert.equal(await page.locator("[data-testid=segment].gap").count(), chain.analysis.gaps.length);

    await page.selectOption("[data-testid=gap-bar]", "150");
    await page.waitForURL(/gap=150/);
    await page.waitForFunction(
      (count) => document.querySelectorAll("[data-testid=segment].gap").length === count,
      higher[index].analysis.gaps.length,
    );
    // Each suggestion explains itself in one line.
    const reasons = page.locator("[data-testid=suggestions] [data-testid=why]");
    await reasons.first().waitFor();
    const all = await reasons.allInnerTexts();
    for (const reason of all) assert.match(reason, /^：(学科相符（[^）]+）；)?(已与本链其他环节 \d+ 家企业合作 \d+ 个项目|尚未与本链企业合作)/);
    assert.ok(all.some((reason) => reason.startsWith("：学科相符（")), "suggestions say which disciplines fit");

    // The diagram's institution names are whole enough to tell apart.
    const labels = await page.locator("[data-testid=chain-diagram] [data-institution] text").allTextContents();
    assert.equal(new Set(labels).size, labels.length, `distinct labels: ${labels.join(" | ")}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
    await page.screenshot({ path: join(screenshots, `chain-gaps-${width}.png`), fullPage: true });
    assert.deepEqual(errors, []);
  });
}
