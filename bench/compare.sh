#!/usr/bin/env bash
# Compares two builds of the server on the peer benchmark's Q1 (a chain's page of 20
# enterprises → their projects → their institutions) on the large dataset, on the same machine
# at the same time: "did this change keep the planner's speed?". Each build serves its own copy
# of the benchmark database (an older build gets a copy that lists only the migrations it
# knows), the answers are checked equal first, then wrk drives the two in alternation (16
# connections, 3 s warm-up, 10 s measured, $ROUNDS rounds each) and prints req/s and latency.
#
# Usage: bench/compare.sh OLD_BINARY NEW_BINARY   (after bench/run.sh or bench/datasets.sh has
# loaded the large dataset into lianqiao_bench). Environment: LIANQIAO_BENCH_PG, ROUNDS (3).
set -euo pipefail
cd "$(dirname "$0")/.."
old="$1" new="$2"
pg="${LIANQIAO_BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
rounds="${ROUNDS:-3}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for db in lianqiao_compare_old lianqiao_compare_new lianqiao_compare_probe; do
    psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# The migrations the old build knows: what it applies to an empty database.
psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS lianqiao_compare_probe" -c "CREATE DATABASE lianqiao_compare_probe"
"$old" migrate --database-url "$pg/lianqiao_compare_probe" >/dev/null 2>&1
known=$(psql -qtA "$pg/lianqiao_compare_probe" -c "SELECT string_agg(quote_literal(version), ',') FROM seaql_migrations")
for side in old new; do
  psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS lianqiao_compare_$side" \
    -c "CREATE DATABASE lianqiao_compare_$side TEMPLATE lianqiao_bench"
done
psql -q "$pg/lianqiao_compare_old" -c "DELETE FROM seaql_migrations WHERE version NOT IN ($known)"

port=18400
for side in old new; do
  port=$((port + 1))
  binary=$old
  [ "$side" = new ] && binary=$new
  "$binary" serve --bind "127.0.0.1:$port" --database-url "$pg/lianqiao_compare_$side" >"$work/$side.log" 2>&1 &
  pids+=($!)
  echo "$port" >"$work/$side.port"
done
for side in old new; do
  port=$(cat "$work/$side.port")
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work/$side.log" >&2; exit 1; }
done

chain=$(psql -qtA "$pg/lianqiao_bench" -c "SELECT id FROM industry_chains WHERE code = 'new_energy_vehicles'")
chain_id=$(printf 'IndustryChain:%s' "$chain" | base64 -w0 | tr '+/' '-_' | tr -d '=')
python3 - "$chain_id" >"$work/body.json" <<'EOF'
import json, sys
query = """query Q1($chain: ID!, $first: Int!) {
  enterprises(first: $first, filter: { chain: { eq: $chain } }) {
    nodes { id name projects(first: 25) { nodes { id title status institutions(first: 5) { nodes { id name } } } } }
  }
}"""
print(json.dumps({"query": query, "variables": {"chain": sys.argv[1], "first": 20}}))
EOF
for side in old new; do
  curl -fs -H 'content-type: application/json' --data @"$work/body.json" \
    "http://127.0.0.1:$(cat "$work/$side.port")/graphql" >"$work/$side.json"
done
python3 - "$work/old.json" "$work/new.json" <<'EOF'
import json, sys
old, new = (json.load(open(path)) for path in sys.argv[1:])
assert "errors" not in old and "errors" not in new, (old.get("errors"), new.get("errors"))
assert old == new, "the two builds answer Q1 differently"
nodes = new["data"]["enterprises"]["nodes"]
print(f"answers equal: {len(nodes)} enterprises, {sum(len(e['projects']['nodes']) for e in nodes)} projects")
EOF

echo "round side req/s p50_ms p99_ms"
for round in $(seq 1 "$rounds"); do
  for side in old new; do
    url="http://127.0.0.1:$(cat "$work/$side.port")/graphql"
    BODY_FILE="$work/body.json" wrk -t2 -c16 -d3s -s bench/wrk.lua "$url" >/dev/null
    line=$(BODY_FILE="$work/body.json" wrk -t2 -c16 -d10s --timeout 30s -s bench/wrk.lua "$url" | tail -1)
    python3 -c 'import json,sys; f=json.loads(sys.argv[1]); assert f["non_2xx"] == 0 and f["socket_errors"] == 0, f; print(sys.argv[2], sys.argv[3], round(f["requests"] / f["duration_us"] * 1e6), round(f["p50_us"] / 1000, 1), round(f["p99_us"] / 1000, 1))' \
      "$line" "$round" "$side"
  done
done
