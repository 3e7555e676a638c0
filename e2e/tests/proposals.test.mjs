// A liaison on the desk in headless Chromium: proposes a project with a partner enterprise
// picked from the register, finds it on the desk as proposed with their institution taking
// part, edits its outcomes, and sees both in their recent changes. The proposal is archived
// afterwards, so that the tests after this one see the demo dataset.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { base, screenshots, useBrowser } from "./chromium.mjs";
import { gql, signIn } from "./graphql.mjs";

const browser = useBrowser();

test("a liaison proposes a project, edits its outcomes and sees their changes", async () => {
  const page = await browser().newPage();
  await page.goto(base + "/desk");
  await page.fill("[data-testid=login] input[name=username]", "liaison-wxu");
  await page.fill("[data-testid=login] input[name=password]", "lianqiao-liaison-demo");
  await page.click("[data-testid=login] button[type=submit]");
  await page.locator("[data-testid=signed-in]").waitFor({ timeout: 20_000 });
  await page.locator("[data-testid=my-changes]").waitFor({ timeout: 20_000 });

  const partner = (await gql("{ enterprises(first: 1, orderBy: [{ field: NAME, direction: ASC }]) { nodes { id name } } }")).data
    .enterprises.nodes[0];
  await page.click("[data-testid=open-propose]");
  const form = page.locator("[data-testid=propose] [data-testid=record-form]");
  await form.locator("input[name=title]").fill("端到端测试：茶叶深加工联合研发");
  await form.locator("input[name=programme]").fill("校企合作");
  await form.locator("select[name=kind]").selectOption("JOINT_RND");
  await form.locator("[data-testid=save]").click();
  await form.waitFor({ state: "detached", timeout: 20_000 });

  const liaison = await signIn("liaison-wxu", "lianqiao-liaison-demo");
  const find = async () => (await gql(
    `{ projects(filter: { title: { eq: "端到端测试：茶叶深加工联合研发" } }) { nodes { id status version patents
         enterprises { nodes { id } } institutions { nodes { name } } } } }`,
    {},
    liaison,
  )).data.projects.nodes[0];
  const proposed = await find();
  assert.equal(proposed.status, "PROPOSED");
  assert.deepEqual(proposed.institutions.nodes.map((node) => node.name), ["皖西学院"], "the liaison's institution takes part");

  // The desk opened it: a partner is picked from the register, then the outcomes are set.
  const panel = page.locator("[data-testid=desk-panel]");
  const participants = panel.locator("[data-testid=participants]");
  await participants.waitFor({ timeout: 20_000 });
  await participants.locator("[data-testid=edit-enterprises] input[type=search]").fill(partner.name.slice(0, 6));
  await participants.locator("[data-testid=edit-enterprises] .matches button", { hasText: partner.name }).click();
  await participants.locator(`[data-testid=edit-enterprises] .picked li[data-id="${partner.id}"]`).waitFor();
  await participants.locator("button[type=submit]").click();
  await panel.locator(`[data-testid=desk-version][data-version="${proposed.version + 1}"]`).waitFor({ timeout: 20_000 });
  const outcomes = panel.locator("[data-testid=outcomes] [data-testid=record-form]");
  await outcomes.locator("input[name=patents]").fill("2");
  await outcomes.locator("[data-testid=save]").click();
  await panel.locator(`[data-testid=desk-version][data-version="${proposed.version + 2}"]`).waitFor({ timeout: 20_000 });
  const after = await find();
  assert.equal(after.patents, 2);
  assert.deepEqual(after.enterprises.nodes.map((node) => node.id), [partner.id]);
  await page.locator("[data-testid=my-changes] li").nth(2).waitFor({ timeout: 20_000 });
  await page.screenshot({ path: join(screenshots, "desk-proposal.png"), fullPage: true });

  const admin = await signIn("admin", "lianqiao-admin-demo");
  await gql(
    "mutation ($id: ID!, $v: Int!) { archiveRecord(id: $id, expectedVersion: $v) { __typename } }",
    { id: proposed.id, v: proposed.version + 2 },
    admin,
  );
});
