#!/usr/bin/env bash
# The peer benchmark, one command: this API, PostGraphile 4 and seaography side by side on
# the same PostgreSQL data, with pgbench running the best SQL as the database's own limit.
# Installs and builds what it needs (wrk from apt, PostGraphile from npm, seaography-cli and
# sea-orm-cli from the crate registry, the generated seaography server), loads the demo and
# the large dataset once, then runs bench/run.mjs, which checks that all peers return the
# same data, measures, prints the table and writes it to BENCHMARKS.md.
#
# Environment: LIANQIAO_BENCH_PG (default postgres://postgres@127.0.0.1:5432),
# LIANQIAO_BENCH_SKIP_SEAOGRAPHY=1 (leave seaography out: it answers only q1–q4 and takes
# about 15 minutes of two cores to install and build the first time),
# LIANQIAO_BENCH_WORK (generated seaography server and its build, default
# ~/.cache/lianqiao-bench), LIANQIAO_BENCH_SECONDS / LIANQIAO_BENCH_WARMUP (per cell).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
work="${LIANQIAO_BENCH_WORK:-$HOME/.cache/lianqiao-bench}"
mkdir -p "$work"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v pgbench >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null; }
[ -f bench/node_modules/.package-lock.json ] && [ bench/node_modules/.package-lock.json -nt bench/package-lock.json ] \
  || npm ci --prefix bench --no-audit --no-fund

source bench/datasets.sh
export LIANQIAO_BENCH_PG="$pg"
ensure_dataset lianqiao_bench_demo 333 seed-demo
ensure_dataset lianqiao_bench 1000000 seed-large

if [ -n "${LIANQIAO_BENCH_SKIP_SEAOGRAPHY:-}" ]; then
  LIANQIAO_BIN="$bin" node bench/run.mjs
  exit
fi

# seaography: generated from the live schema with SeaORM's own CLIs, built once.
export PATH="$HOME/.cargo/bin:$PATH"
command -v seaography-cli >/dev/null || env -u CARGO_TARGET_DIR cargo install --quiet seaography-cli@2.0.0-rc.9
command -v sea-orm-cli >/dev/null || env -u CARGO_TARGET_DIR cargo install --quiet sea-orm-cli@2.0.4
sea="$work/seaography"
if [ ! -f "$sea/Cargo.toml" ]; then
  echo "== generating the seaography server"
  rm -rf "$sea" && mkdir -p "$sea/src/entities"
  sea-orm-cli generate entity --database-url "$pg/lianqiao_bench_demo" --output-dir "$sea/src/entities" --seaography >/dev/null
  seaography-cli --output-dir "$sea" --entities "$sea/src/entities" --database-url "$pg/lianqiao_bench" \
    --framework axum lianqiao-seaography
  # rustls instead of the system's OpenSSL: nothing to install.
  sed -i 's/runtime-tokio-native-tls/runtime-tokio-rustls/' "$sea/Cargo.toml"
  # UUID columns need seaography's with-uuid feature, or every filter on an ID fails on PostgreSQL.
  sed -i 's/"with-decimal", "with-chrono"\]/"with-decimal", "with-chrono", "with-uuid"]/' "$sea/Cargo.toml"
fi
echo "== building the seaography server (about 7 minutes the first time)"
(cd "$sea" && env -u CARGO_TARGET_DIR CARGO_TARGET_DIR="$work/seaography-target" cargo build --quiet --release)

LIANQIAO_BIN="$bin" SEAOGRAPHY_BIN="$work/seaography-target/release/lianqiao-seaography" node bench/run.mjs
