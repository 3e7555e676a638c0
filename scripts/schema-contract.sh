#!/usr/bin/env bash
# The schema contract for API clients (BI tools above all): reports how schema.graphql changed
# since a base commit (LIANQIAO_SCHEMA_BASE, default HEAD~1) and fails on breaking changes
# unless a commit since the base says [breaking-schema]. That the committed schema.graphql is
# exactly what the server serves is checked by the Rust test `schema::*` and e2e/tests/schema.
set -euo pipefail
cd "$(dirname "$0")/.."
base="${LIANQIAO_SCHEMA_BASE:-HEAD~1}"
old=$(mktemp)
trap 'rm -f "$old"' EXIT
if ! git show "$base:schema.graphql" >"$old" 2>/dev/null; then
  echo "schema contract: no schema.graphql at $base (first version or shallow clone); nothing to compare"
  exit 0
fi
allow=()
if git log --format=%B "$base..HEAD" 2>/dev/null | grep -q '\[breaking-schema\]'; then
  allow=(--allow-breaking)
fi
echo "schema contract: comparing schema.graphql with $base ($(git rev-parse --short "$base"))"
node e2e/schema-contract.mjs "$old" schema.graphql "${allow[@]}"
