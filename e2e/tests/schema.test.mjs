// The server serves exactly the committed schema.graphql (the contract BI clients rely on).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { buildClientSchema, getIntrospectionQuery, printSchema } from "graphql";
import { compare, report } from "../schema-contract.mjs";

const base = process.env.LIANQIAO_URL ?? "http://127.0.0.1:8080";

test("the served schema equals the committed contract", async () => {
  const response = await fetch(base + "/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  const { data, errors } = await response.json();
  assert.equal(errors, undefined);
  const served = printSchema(buildClientSchema(data));
  const committed = readFileSync(new URL("../../schema.graphql", import.meta.url), "utf8");
  const changes = await compare(committed, served);
  assert.equal(changes.length, 0, `schema.graphql is out of date; run \`lianqiao export-schema\`:\n${report(changes)}`);
});

test("the contract check reports a removed field as breaking", async () => {
  const committed = readFileSync(new URL("../../schema.graphql", import.meta.url), "utf8");
  const trimmed = committed.replace(/\t"""\n[^"]*"""\n\tindicators: \[Indicator!\]!\n/, "");
  assert.notEqual(trimmed, committed);
  const changes = await compare(committed, trimmed);
  assert.equal(changes.length, 1);
  assert.equal(changes[0].criticality.level, "BREAKING");
  assert.equal(changes[0].path, "Query.indicators");
});
