// The GraphQL-over-HTTP audit of npm `graphql-http` against the running server:
// every MUST and SHOULD passes (0 errors, 0 warnings).
import { test } from "node:test";
import assert from "node:assert/strict";
import { auditServer } from "graphql-http";

const base = process.env.LIANQIAO_URL ?? "http://127.0.0.1:8080";

test("graphql-http audit: no errors and no warnings", async () => {
  const results = await auditServer({ url: `${base}/graphql` });
  const counts = { ok: 0, warn: 0, error: 0 };
  const problems = [];
  for (const result of results) {
    counts[result.status] += 1;
    if (result.status !== "ok") {
      problems.push(`${result.status.toUpperCase()} ${result.id} ${result.name}: ${result.reason}`);
    }
  }
  console.log(`graphql-http audit: ${counts.ok} ok, ${counts.warn} warn, ${counts.error} error`);
  assert.deepEqual(problems, []);
});
