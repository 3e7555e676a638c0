// GraphQL calls for the browser tests' own checks and set-up, beside the page under test.
import assert from "node:assert/strict";
import { base } from "./chromium.mjs";

/** Runs a GraphQL operation (`cookie` signs it in); fails the test on any error. */
export async function gql(query, variables = {}, cookie) {
  const response = await fetch(base + "/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return { data: body.data, response };
}

/** Signs in and returns the session cookie to send with `gql`. */
export async function signIn(username, password) {
  const { response } = await gql(
    "mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { id } }",
    { u: username, p: password },
  );
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
}

/**
 * An enterprise and an institution of the demo network three or more hops apart, with the
 * number of hops: `{ enterprise, target, length }` (nodes as `{ id name kind degree }`).
 */
export async function distantPair() {
  const { data } = await gql("{ cooperationGraph { nodes { id name kind degree } } }");
  const enterprise = data.cooperationGraph.nodes.find((node) => node.kind === "ENTERPRISE" && node.degree > 1);
  for (const node of data.cooperationGraph.nodes.filter((one) => one.kind === "INSTITUTION")) {
    const path = (await gql("query ($a: ID!, $b: ID!) { shortestPath(from: $a, to: $b) { length } }", { a: enterprise.id, b: node.id })).data.shortestPath;
    if (path && path.length >= 3) return { enterprise, target: node, length: path.length };
  }
  assert.fail("a pair three hops apart exists");
}
