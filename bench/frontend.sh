#!/usr/bin/env bash
# Builds the web app and the release server (which embeds it), serves the demo data from a
# fresh SQLite file, and runs bench/frontend.mjs in headless Chromium (needs /usr/bin/chromium):
# the first load's transfer before and after compression, wasm size, first paint, layout fps;
# then bench/explorer.mjs on the demo data and on the large dataset (100k enterprises, 2k
# institutions, 1M projects, loaded once into PostgreSQL by bench/datasets.sh): time to a
# usable network view, bytes transferred, fps while panning and zooming.
# LIANQIAO_BENCH_SKIP_LARGE=1 leaves the large dataset out.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/server.sh
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
./scripts/build-frontend.sh
cargo build --locked --release -p backend
npm ci --prefix e2e --no-audit --no-fund >/dev/null
workdir=$(mktemp -d)
log="$workdir/server.log"
LIANQIAO_LOG_FORMAT=json "$target_dir/release/lianqiao" serve --demo --bind 127.0.0.1:0 \
  --database-url "sqlite://$workdir/bench.db?mode=rwc" 2>"$log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$workdir"' EXIT
wait_for_server "$pid" "$log" 600
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
node bench/frontend.mjs "http://$address"
node bench/explorer.mjs "http://$address" "explorer, demo data (SQLite)"
[ "${LIANQIAO_BENCH_SKIP_LARGE:-}" = "1" ] && exit 0

export CARGO_TARGET_DIR="$target_dir"
source bench/datasets.sh
ensure_dataset lianqiao_bench 1000000 seed-large
large_log="$workdir/large.log"
LIANQIAO_LOG_FORMAT=json "$bin" serve --bind 127.0.0.1:0 --database-url "$pg/lianqiao_bench" 2>"$large_log" &
large=$!
trap 'kill $pid $large 2>/dev/null || true; rm -rf "$workdir"' EXIT
wait_for_server "$large" "$large_log" 1500
node bench/explorer.mjs "http://$address" "explorer, large dataset (PostgreSQL)"
