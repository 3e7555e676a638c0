#!/usr/bin/env bash
# Several processes on one PostgreSQL database (README "Running several processes"):
# 1. change propagation latency between two processes (bench/processes.mjs: p50/p99);
# 2. read throughput of one process against two on this machine: wrk with 16 connections on
#    one process, then 8 + 8 on two at once, for a query answered from the graph index
#    (counts by chain and status) and for a page of projects with participants (SQL).
#
# Environment: LIANQIAO_BENCH_PG (default postgres://postgres@127.0.0.1:5432), SECONDS_EACH
# (default 15), LIANQIAO_BENCH_DATABASE (an existing database to use instead of a fresh demo one).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
pg="${LIANQIAO_BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
seconds="${SECONDS_EACH:-15}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --quiet --release -p backend --bin lianqiao
binary="$CARGO_TARGET_DIR/release/lianqiao"
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

if [ -n "${LIANQIAO_BENCH_DATABASE:-}" ]; then
  url="$pg/$LIANQIAO_BENCH_DATABASE"
else
  psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS lianqiao_processes_bench WITH (FORCE)" -c "CREATE DATABASE lianqiao_processes_bench"
  url="$pg/lianqiao_processes_bench"
fi

start() { # name: starts a server (in this shell, so the trap stops it)
  "$binary" serve --demo --bind 127.0.0.1:0 --database-url "$url?application_name=$1" >"$work/$1.out" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 600); do
    grep -q "listening on" "$work/$1.out" 2>/dev/null && break
    sleep 0.5
  done
}
address() { sed -n 's/^listening on //p' "$work/$1.out"; }
start bench-a
start bench-b
a=$(address bench-a)
b=$(address bench-b)
echo "== processes: A $a, B $b"

echo "== 1. change propagation"
node --experimental-websocket --no-warnings bench/processes.mjs "$a" "$b" 300

echo "== 2. read throughput, one process against two ($seconds s each, 16 connections in all)"
printf '%s' '{"query":"{ projectAggregate(groupBy: [CHAIN, STATUS]) { chainName status count } }"}' >"$work/index.json"
printf '%s' '{"query":"{ projects(first: 20, filter: {status: {eq: IN_PROGRESS}}) { nodes { title startDate institutions(first: 5) { nodes { name } } enterprises(first: 5) { nodes { name } } } } }"}' >"$work/page.json"
rate() { # json line → requests per second
  python3 -c 'import json,sys; f=json.loads(sys.stdin.read()); print(round(f["requests"]/(f["duration_us"]/1e6)))'
}
for shape in index page; do
  one=$(BODY_FILE="$work/$shape.json" wrk -t2 -c16 -d"${seconds}s" -s bench/wrk.lua "$a/graphql" | tail -1 | rate)
  BODY_FILE="$work/$shape.json" wrk -t1 -c8 -d"${seconds}s" -s bench/wrk.lua "$a/graphql" | tail -1 >"$work/two-a" &
  other=$!
  BODY_FILE="$work/$shape.json" wrk -t1 -c8 -d"${seconds}s" -s bench/wrk.lua "$b/graphql" | tail -1 >"$work/two-b"
  wait "$other"
  two=$(( $(rate <"$work/two-a") + $(rate <"$work/two-b") ))
  printf '%-8s one process: %6d req/s   two processes: %6d req/s\n' "$shape" "$one" "$two"
done
