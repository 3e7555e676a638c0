// docs/bi.md is executable: every URL in it answers with rows, every GraphQL block in it is
// valid and runs; and a real GraphQL client pages through a connection to its end.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { buildSchema, parse, validate } from "graphql";
import { createClient } from "graphql-http";

const base = process.env.LIANQIAO_URL ?? "http://127.0.0.1:8080";
const guide = readFileSync(new URL("../../docs/bi.md", import.meta.url), "utf8");
const schema = buildSchema(readFileSync(new URL("../../schema.graphql", import.meta.url), "utf8"));

function blocks(language) {
  return [...guide.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((match) => match[1]);
}

/// `http://localhost:8080/...` as written in the guide, pointed at the server under test with
/// each query parameter URL-encoded (as Excel, Power BI and curl do).
function local(written) {
  const [path, query] = written.replace("http://localhost:8080", "").split("?");
  if (!query) return base + path;
  const params = query.split("&").map((pair) => {
    const at = pair.indexOf("=");
    return `${pair.slice(0, at)}=${encodeURIComponent(pair.slice(at + 1))}`;
  });
  return `${base}${path}?${params.join("&")}`;
}

async function signIn() {
  const response = await fetch(base + "/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: 'mutation { login(username: "admin", password: "lianqiao-admin-demo") { username } }' }),
  });
  assert.equal(response.status, 200);
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
}

test("every export URL in the BI guide answers with rows", async () => {
  const urls = new Set();
  for (const block of [...blocks("text"), ...blocks("python")]) {
    for (const match of block.matchAll(/http:\/\/localhost:8080\/export\/[^\s'`]+/g)) urls.add(match[0]);
  }
  assert.ok(urls.size >= 8, `found ${urls.size} URLs`);
  for (const url of urls) {
    const response = await fetch(local(url));
    assert.equal(response.status, 200, url);
    const lines = (await response.text()).trim().split("\n");
    const header = url.includes(".jsonl") ? 0 : 1;
    assert.ok(lines.length > header, `${url} has rows`);
  }
});

test("every GraphQL block in the BI guide is valid and runs", async () => {
  const cookie = await signIn();
  const documents = blocks("graphql");
  assert.ok(documents.length >= 3);
  for (const document of documents) {
    assert.deepEqual(validate(schema, parse(document)).map(String), [], document);
    const response = await fetch(base + "/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ query: document }),
    });
    const body = await response.json();
    assert.equal(body.errors, undefined, `${document}\n${JSON.stringify(body.errors)}`);
    const root = Object.values(body.data)[0];
    assert.ok(Array.isArray(root) ? root.length > 0 : root, document);
  }
});

test("a GraphQL client pages through a connection to its end", async () => {
  const client = createClient({ url: base + "/graphql" });
  const run = (query, variables) =>
    new Promise((resolve, reject) => {
      let result;
      client.subscribe({ query, variables }, { next: (value) => (result = value), error: reject, complete: () => resolve(result) });
    });
  const query = `query Page($after: String) {
    projects(first: 100, after: $after, filter: { status: { ne: TERMINATED } }) {
      totalCount pageInfo { hasNextPage endCursor } nodes { id }
    }
  }`;
  const ids = new Set();
  let after = null;
  let total = 0;
  let pages = 0;
  for (;;) {
    const { data, errors } = await run(query, { after });
    assert.equal(errors, undefined);
    total = data.projects.totalCount;
    data.projects.nodes.forEach((node) => ids.add(node.id));
    pages += 1;
    if (!data.projects.pageInfo.hasNextPage) break;
    after = data.projects.pageInfo.endCursor;
  }
  assert.ok(pages >= 3, `paged ${pages} times`);
  assert.equal(ids.size, total, "every project once, none twice");
  client.dispose();
});
