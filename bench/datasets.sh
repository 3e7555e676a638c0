# Sourced by the benchmark scripts: makes sure the release server is built and the benchmark
# databases hold their datasets, loading each once. Sets $bin and $pg.
cargo build --quiet --locked --release -p backend
bin="$CARGO_TARGET_DIR/release/lianqiao"
pg="${LIANQIAO_BENCH_PG:-postgres://postgres@127.0.0.1:5432}"

# ensure_dataset <database> <expected projects> <lianqiao subcommand>
ensure_dataset() {
  local database="$1" projects="$2" command="$3"
  if ! psql -qtA "$pg/$database" -c "SELECT COUNT(*) FROM projects" 2>/dev/null | grep -qx "$projects"; then
    echo "== loading $database ($command, once)"
    psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database"
    "$bin" "$command" --database-url "$pg/$database"
  fi
}
