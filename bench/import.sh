#!/usr/bin/env bash
# The import benchmark: dry run and commit of a 100,000-row enterprise workbook and a
# 1,000,000-row project CSV (both written by Python: openpyxl and csv), through the command
# line (the same code as POST /import), on a fresh PostgreSQL database and a fresh SQLite file.
# Prints wall time and the process's peak memory (GNU time's maximum resident set size).
#
# Environment: LIANQIAO_BENCH_PG (default postgres://postgres@127.0.0.1:5432),
# LIANQIAO_IMPORT_ENTERPRISES / LIANQIAO_IMPORT_PROJECTS (row counts).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
pg="${LIANQIAO_BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
enterprises="${LIANQIAO_IMPORT_ENTERPRISES:-100000}"
projects="${LIANQIAO_IMPORT_PROJECTS:-1000000}"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --quiet --release -p backend --bin lianqiao
binary="$CARGO_TARGET_DIR/release/lianqiao"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

venv=e2e/.venv
[ -x "$venv/bin/python" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install --quiet -r e2e/python/requirements.txt; }
echo "== writing $enterprises enterprises (.xlsx) and $projects projects (.csv)"
"$venv/bin/python" bench/import_files.py "$work" "$enterprises" "$projects"
ls -la "$work"

measure() { # label, then the command
  local label=$1; shift
  /usr/bin/time -f "%e s, peak memory %M KiB" -o "$work/time" "$@" >"$work/out.json" 2>"$work/err" || true
  printf '%-44s %s | %s\n' "$label" "$(cat "$work/time" | tail -1)" "$(tail -1 "$work/err")"
}

for database in postgres sqlite; do
  if [ "$database" = postgres ]; then
    psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS lianqiao_import_bench WITH (FORCE)" -c "CREATE DATABASE lianqiao_import_bench"
    url="$pg/lianqiao_import_bench"
  else
    url="sqlite://$work/import.db?mode=rwc"
  fi
  "$binary" migrate --database-url "$url" 2>/dev/null
  echo "== $database"
  measure "enterprises.xlsx dry run" "$binary" import enterprises "$work/enterprises.xlsx" --dry-run --database-url "$url"
  measure "enterprises.xlsx commit" "$binary" import enterprises "$work/enterprises.xlsx" --database-url "$url"
  measure "enterprises.xlsx again (no change)" "$binary" import enterprises "$work/enterprises.xlsx" --database-url "$url"
  measure "projects.csv dry run" "$binary" import projects "$work/projects.csv" --dry-run --max-rows "$projects" --database-url "$url"
  measure "projects.csv commit" "$binary" import projects "$work/projects.csv" --max-rows "$projects" --database-url "$url"
done
