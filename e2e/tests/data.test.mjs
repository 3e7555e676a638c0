// The data desk in headless Chromium, as the office's data editor uses it: an import through
// the page (template link, dry run with its problems, the fixed file committed, the import
// reverted), and a record edited while someone else changed it (the conflict keeps what was
// typed; saving again applies it). Everything it changes is undone, for the tests after it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { base, screenshots, useBrowser } from "./chromium.mjs";
import { gql as request, signIn } from "./graphql.mjs";

const browser = useBrowser();

/** The data of a GraphQL answer (the checks here need no more). */
async function gql(...args) {
  return (await request(...args)).data;
}

async function signInPage(page) {
  await page.goto(base + "/data");
  // The browser keeps the session between this file's tests.
  await page.locator("[data-testid=login], [data-testid=import-panel]").first().waitFor({ timeout: 20_000 });
  if (await page.locator("[data-testid=import-panel]").count()) return;
  await page.fill("[data-testid=login] input[name=username]", "editor");
  await page.fill("[data-testid=login] input[name=password]", "lianqiao-editor-demo");
  await page.click("[data-testid=login] button[type=submit]");
  await page.locator("[data-testid=import-panel]").waitFor({ timeout: 20_000 });
}

const header = "企业名称,统一社会信用代码,县区,规上企业,重点企业,职工人数,成立年份";
// Valid codes of enterprises that are not in the demo (GB 32100 check characters).
const codes = ["91341500800000011D", "913415008000000297"];

test("an editor checks a file, fixes it, imports it and reverts the import", async () => {
  const page = await browser().newPage();
  await signInPage(page);
  const before = (await gql("{ enterprises { totalCount } }")).enterprises.totalCount;
  assert.equal(
    await page.locator("[data-testid=template]").getAttribute("href"),
    "/import/enterprises/template.xlsx",
  );
  const file = (rows) => ({ name: "register.csv", mimeType: "text/csv", buffer: Buffer.from([header, ...rows].join("\n")) });
  await page.setInputFiles("[data-testid=import-file]", file([
    `页面导入甲,${codes[0]},霍山县,是,否,12,2012`,
    `页面导入乙,${codes[1]},火星区,是,否,12,2012`,
  ]));
  await page.click("[data-testid=dry-run]");
  const problems = page.locator("[data-testid=import-problems] tbody tr");
  await problems.first().waitFor({ timeout: 20_000 });
  assert.equal(await problems.count(), 1);
  assert.equal(await problems.first().getAttribute("data-code"), "INVALID_VALUE");
  assert.match(await problems.first().innerText(), /^3\s/);
  await page.screenshot({ path: join(screenshots, "data-dry-run.png"), fullPage: true });

  await page.setInputFiles("[data-testid=import-file]", file([
    `页面导入甲,${codes[0]},霍山县,是,否,12,2012`,
    `页面导入乙,${codes[1]},金寨县,是,否,12,2012`,
  ]));
  await page.click("[data-testid=commit]");
  await page.locator("[data-testid=import-report][data-committed=true]").waitFor({ timeout: 20_000 });
  assert.equal((await gql("{ enterprises { totalCount } }")).enterprises.totalCount, before + 2);
  await page.click("[data-testid=revert]");
  await page.locator("[data-testid=reverted]").waitFor({ timeout: 20_000 });
  assert.equal((await gql("{ enterprises { totalCount } }")).enterprises.totalCount, before);
});

test("an editor's save after someone else's change keeps what was typed and applies it", async () => {
  const page = await browser().newPage();
  await signInPage(page);
  await page.click("[data-testid=tab-records]");
  await page.fill("[data-testid=records-search]", "有限公司");
  await page.press("[data-testid=records-search]", "Enter");
  const row = page.locator("[data-testid=records-table] tbody tr").first();
  await row.waitFor({ timeout: 20_000 });
  const id = await row.getAttribute("data-id");
  const found = (await gql("query ($id: ID!) { node(id: $id) { ... on Enterprise { version employees } } }", { id })).node;
  await row.locator("[data-testid=edit]").click();
  const form = page.locator("[data-testid=record-form]");
  await form.locator("input[name=employees]").fill(String(found.employees + 7));

  // Meanwhile an administrator changes the same enterprise.
  const admin = await signIn("admin", "lianqiao-admin-demo");
  await gql(
    "mutation ($id: ID!, $v: Int!, $e: Int) { updateEnterprise(id: $id, expectedVersion: $v, input: { employees: $e }) { __typename } }",
    { id, v: found.version, e: found.employees + 1 },
    admin,
  );
  await form.locator("[data-testid=save]").click();
  await form.locator("[data-testid=form-message]", { hasText: "刚被他人修改" }).waitFor({ timeout: 20_000 });
  assert.equal(await form.locator("input[name=employees]").inputValue(), String(found.employees + 7));
  await page.screenshot({ path: join(screenshots, "data-conflict.png"), fullPage: true });
  await form.locator("[data-testid=save]").click();
  await form.waitFor({ state: "detached", timeout: 20_000 });
  const after = (await gql("query ($id: ID!) { node(id: $id) { ... on Enterprise { version employees } } }", { id })).node;
  assert.deepEqual(after, { version: found.version + 2, employees: found.employees + 7 });
  // Put it back as it was.
  await gql(
    "mutation ($id: ID!, $v: Int!, $e: Int) { updateEnterprise(id: $id, expectedVersion: $v, input: { employees: $e }) { __typename } }",
    { id, v: after.version, e: found.employees },
    admin,
  );
});
