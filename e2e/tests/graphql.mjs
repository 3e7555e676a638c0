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
