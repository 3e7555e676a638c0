#!/usr/bin/env bash
# Builds the web app and the server (which embeds the app), then serves both at
# http://127.0.0.1:8080 with a SQLite database under ./data, loading the demo dataset into it
# the first time.
# Extra arguments go to `lianqiao serve` (e.g. --bind 0.0.0.0:8080, --database-url postgres://...).
set -euo pipefail
cd "$(dirname "$0")/.."
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
./scripts/playground-assets.sh
./scripts/build-frontend.sh
exec cargo run --locked --release -p backend -- serve --demo "$@"
