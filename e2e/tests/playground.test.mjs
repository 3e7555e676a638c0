// The self-hosted GraphQL playground: it loads and runs a query in headless Chromium while
// every request to another host is blocked, and its example queries are valid.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, parse, validate } from "graphql";
import { launch } from "./chromium.mjs";

const base = process.env.LIANQIAO_URL ?? "http://127.0.0.1:8080";
const screenshots = new URL("../screenshots/", import.meta.url).pathname;
let context;
const blocked = [];

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  context = await launch();
  // The network is off: only the server under test answers.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(base + "/")) return route.continue();
    blocked.push(url);
    return route.abort("internetdisconnected");
  });
});

after(async () => {
  await context?.close();
});

test("the playground loads offline and runs the prefilled example", async () => {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });

  const response = await page.goto(base + "/playground");
  assert.equal(response.status(), 200);
  assert.match(response.headers()["content-security-policy"], /connect-src 'self'/);
  const run = page.locator("button.graphiql-execute-button");
  await run.waitFor({ timeout: 30_000 });
  const tabs = page.locator(".graphiql-tab");
  assert.equal(await tabs.count(), 3, "one tab per example: network, BI, liaison");
  assert.match(await page.locator(".graphiql-query-editor").innerText(), /query NetworkOverview/);

  await run.click();
  const result = page.locator(".graphiql-response");
  await page.waitForFunction(() => document.querySelector(".graphiql-response")?.innerText.includes("computedValue"), null, { timeout: 30_000 });
  const text = await result.innerText();
  assert.match(text, /"publishedValue": 1402/);
  assert.doesNotMatch(text, /"errors"/);
  await page.screenshot({ path: join(screenshots, "playground.png") });
  assert.deepEqual(blocked, [], "the playground asked no other host");
  assert.deepEqual(errors, []);
});

test("every example query is valid against the committed schema", async () => {
  const schema = buildSchema(readFileSync(new URL("../../schema.graphql", import.meta.url), "utf8"));
  const examples = await (await fetch(base + "/playground/examples.json")).json();
  assert.equal(examples.length, 3);
  for (const example of examples) {
    assert.deepEqual(validate(schema, parse(example.query)).map(String), [], example.name);
  }
});
