// The desk for the people who use it (issue 18): a new liaison's empty desk says what to do;
// they change their own password and manage API tokens for their BI tools; staff see every
// project under a title that says so and can search it; on a phone the chosen project's
// panel comes into view. At 1280×800 and 390 px, with screenshots.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { base, screenshots, useBrowser } from "./chromium.mjs";
import { gql, signIn } from "./graphql.mjs";

const browser = useBrowser();

async function signInOnPage(page, username, password) {
  await page.context().clearCookies();
  await page.goto(base + "/desk");
  await page.fill("[data-testid=login] input[name=username]", username);
  await page.fill("[data-testid=login] input[name=password]", password);
  await page.click("[data-testid=login] button[type=submit]");
  await page.locator("[data-testid=signed-in]").waitFor({ timeout: 10_000 });
}

test("a new liaison's empty desk guides them; they change their password and create and revoke a token", async () => {
  const admin = await signIn("admin", "lianqiao-admin-demo");
  const stamp = Date.now().toString(36);
  const institution = (await gql(
    "mutation ($n: String!) { createInstitution(input: { name: $n, nameEn: $n, kind: UNIVERSITY, province: \"安徽省\", city: \"六安市\", isKey: false }) { id } }",
    { n: `测试学院${stamp}` },
    admin,
  )).data.createInstitution.id;
  const username = `liaison-${stamp}`;
  await gql(
    "mutation ($u: String!, $i: ID!) { createUser(input: { username: $u, displayName: \"新联络员\", password: \"first-password-123\", role: LIAISON, institutionId: $i }) { id } }",
    { u: username, i: institution },
    admin,
  );

  const page = await browser().newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await signInOnPage(page, username, "first-password-123");
  const empty = page.locator("[data-testid=desk-empty]");
  await empty.waitFor({ timeout: 20_000 });
  assert.match(await empty.innerText(), /提出新的合作项目/, "the empty desk says how to start");
  assert.match(await page.locator("[data-testid=desk-list-title]").innerText(), /本单位的合作项目（0）/);

  // A token for a BI tool: its secret is shown once and works; revoked, it no longer does.
  const tokens = page.locator("[data-testid=tokens]");
  await tokens.locator("[data-testid=no-tokens]").waitFor({ timeout: 10_000 });
  await tokens.locator("input[name=token-name]").fill("Power BI");
  await tokens.locator("[data-testid=create-token]").click();
  const secret = await tokens.locator("[data-testid=token-secret]").innerText();
  assert.match(secret, /^lqt_/);
  const asToken = (query) => fetch(base + "/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
    body: JSON.stringify({ query }),
  }).then((response) => response.json());
  assert.equal((await asToken("{ me { username } }")).data.me.username, username);
  await tokens.locator("[data-testid=token]").first().waitFor();
  await page.screenshot({ path: join(screenshots, "desk-account.png"), fullPage: true });
  await tokens.locator("[data-testid=revoke-token]").click();
  await tokens.locator("[data-testid=no-tokens]").waitFor({ timeout: 10_000 });
  assert.ok((await asToken("{ me { username } }")).errors, "a revoked token is refused");

  // The password: a wrong current one is refused in words, then the change works.
  const form = page.locator("[data-testid=change-password]");
  await form.locator("input[name=current]").fill("not-my-password");
  await form.locator("input[name=new]").fill("second-password-456");
  await form.locator("input[name=again]").fill("second-password-456");
  await form.locator("button[type=submit]").click();
  const refusal = form.locator("[role=alert]");
  await refusal.waitFor();
  assert.ok(!/[A-Za-z]{5,}/.test((await refusal.innerText()).replace(/\(\w+\)|（\w+）/g, "")), "a Chinese reading of the code");
  await form.locator("input[name=current]").fill("first-password-123");
  await form.locator("button[type=submit]").click();
  await form.locator("[data-testid=password-changed]").waitFor({ timeout: 10_000 });
  await signIn(username, "second-password-456");

  await page.setViewportSize({ width: 390, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
  await page.screenshot({ path: join(screenshots, "desk-empty-phone.png"), fullPage: true });
  assert.deepEqual(errors, []);
});

test("staff see every project under a title that says so, search it, and on a phone the panel comes into view", async () => {
  const page = await browser().newPage();
  await page.setViewportSize({ width: 390, height: 800 });
  await signInOnPage(page, "admin", "lianqiao-admin-demo");
  const title = page.locator("[data-testid=desk-list-title]");
  const total = (await gql("{ projects { totalCount } }")).data.projects.totalCount;
  await page.waitForFunction((count) => document.querySelector("[data-testid=desk-list-title]")?.innerText.includes(`（${count}）`), total, { timeout: 20_000 });
  assert.match(await title.innerText(), /全部合作项目/, "not titled as one institution's");

  const word = "茶";
  const matching = (await gql("query ($t: String!) { projects(filter: { title: { contains: $t } }) { totalCount } }", { t: word })).data.projects.totalCount;
  assert.ok(matching > 0 && matching < total);
  await page.fill("[data-testid=desk-search]", word);
  await page.keyboard.press("Enter");
  await page.waitForFunction((count) => document.querySelector("[data-testid=desk-list-title]")?.innerText.includes(`（${count}）`), matching, { timeout: 20_000 });
  const titles = await page.locator("[data-testid=desk-projects] li button").allInnerTexts();
  assert.ok(titles.length > 0 && titles.every((text) => text.includes(word)), titles.join(" | "));

  // Tapping a project brings its panel on screen.
  await page.locator("[data-testid=desk-projects] li button").first().click();
  const panel = page.locator("[data-testid=desk-panel]");
  await panel.locator("[data-testid=desk-status]").waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => {
    const box = document.querySelector("[data-testid=desk-panel]").getBoundingClientRect();
    return box.top >= -1 && box.top < window.innerHeight / 2;
  }, null, { timeout: 5_000 });
  await page.screenshot({ path: join(screenshots, "desk-admin-phone.png") });
});
