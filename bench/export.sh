#!/usr/bin/env bash
# Export benchmark on the large dataset (100k enterprises, 2k institutions, 1M projects) in
# PostgreSQL: streams CSV exports of growing size from a release server and prints rows/s and
# the server's peak resident memory during each export, so that flat memory shows as the
# same peak for 10k, 100k and 1M rows.
#
#   bench/export.sh            (PostgreSQL at LIANQIAO_BENCH_PG, default
#                               postgres://postgres@127.0.0.1:5432, database lianqiao_bench;
#                               the dataset is loaded on the first run and reused)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
source bench/datasets.sh
database="${LIANQIAO_BENCH_LARGE_DB:-lianqiao_bench}"
ensure_dataset "$database" 1000000 seed-large
url="$pg/$database"

work=$(mktemp -d)
LIANQIAO_LOG_FORMAT=text "$bin" serve --bind 127.0.0.1:0 --database-url "$url" 2>"$work/server.log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
source scripts/lib/server.sh
wait_for_server "$server" "$work/server.log" 600

rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$server/status"; }

# Samples the server's RSS every 20 ms while `curl` downloads; prints rows, seconds, peak KiB.
measure() {
  local path="$1" peak_file="$work/peak" sampler
  rss_kib >"$peak_file"
  (
    peak=$(cat "$peak_file")
    while :; do
      now=$(rss_kib)
      [ "$now" -gt "$peak" ] && peak=$now && echo "$peak" >"$peak_file"
      sleep 0.02
    done
  ) &
  sampler=$!
  local started ended rows
  started=$(date +%s.%N)
  rows=$(curl -sfS "http://$address$path" | tail -n +2 | wc -l)
  ended=$(date +%s.%N)
  kill $sampler 2>/dev/null; wait $sampler 2>/dev/null || true
  echo "$rows $(awk -v a="$started" -v b="$ended" 'BEGIN { print b - a }') $(cat "$peak_file")"
}

filter() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

# Warm up the database cache once.
curl -sf "http://$address/export/projects.csv" >/dev/null
baseline=$(rss_kib)
echo
echo "Export benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server RSS before the exports: $((baseline / 1024)) MiB (includes the graph index)"
echo
printf '%-58s %10s %9s %12s %14s\n' "export" "rows" "seconds" "rows/s" "peak RSS MiB"
for spec in \
  "/export/projects.csv?filter=$(filter '{"startDate":{"gte":"2024-07-01"},"status":{"eq":"IN_PROGRESS"}}')|projects, in progress, started since July 2024" \
  "/export/projects.csv?filter=$(filter '{"status":{"eq":"COMPLETED"}}')|projects, completed" \
  "/export/projects.csv|projects, all" \
  "/export/projects.jsonl|projects, all, JSON lines" \
  "/export/project_participants.csv|project participants, all" \
  "/export/graph_edges.csv|graph edges, all (from the index)"; do
  path="${spec%%|*}"
  label="${spec##*|}"
  read -r rows seconds peak < <(measure "$path")
  [[ "$path" == *.jsonl ]] && rows=$((rows + 1))
  awk -v label="$label" -v rows="$rows" -v s="$seconds" -v peak="$peak" \
    'BEGIN { printf "%-58s %10d %9.2f %12.0f %14.1f\n", label, rows, s, rows / s, peak / 1024 }'
done
