# Sourced by scripts that start a `lianqiao serve --bind 127.0.0.1:0` in the background.
# wait_for_server <pid> <log> <tries>: waits for the "serving" line, sets $address
# (host:port), and exits with the log when the server dies or never comes up.
wait_for_server() {
  local pid="$1" log="$2" tries="$3"
  address=""
  for _ in $(seq 1 "$tries"); do
    address=$(grep -m 1 'serving' "$log" | grep -oE '127\.0\.0\.1:[0-9]+' || true)
    [ -n "$address" ] && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.2
  done
  echo "the server did not start" >&2
  cat "$log" >&2
  exit 1
}
