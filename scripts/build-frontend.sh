#!/usr/bin/env bash
# Builds the web app into frontend/dist: Rust → wasm32 (size-optimised profile), then the
# wasm-bindgen CLI built from the crate registry at the exact locked version (tools crate).
# Needs the wasm32-unknown-unknown target (`rustup target add wasm32-unknown-unknown`).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
dist=frontend/dist

cargo build --locked -p frontend --target wasm32-unknown-unknown --profile wasm-release
cargo build --locked -p tools --profile tools --bin bindgen

rm -rf "$dist"
mkdir -p "$dist"
"$target_dir/tools/bindgen" --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-dir "$dist" --out-name lianqiao "$target_dir/wasm32-unknown-unknown/wasm-release/frontend.wasm"
# wasm-opt from npm's binaryen (pinned in frontend/package.json; Debian's binaryen 108 breaks
# wasm-bindgen's output). Optional: without npm the unoptimised module is served.
if command -v npm >/dev/null 2>&1; then
  [ -x frontend/node_modules/.bin/wasm-opt ] || npm ci --prefix frontend --no-audit --no-fund >/dev/null
  frontend/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-reference-types --enable-mutable-globals --enable-sign-ext \
    -o "$dist/lianqiao_bg.wasm" "$dist/lianqiao_bg.wasm"
else
  echo "npm not found: wasm-opt skipped" >&2
fi
cp frontend/index.html frontend/start.js frontend/style.css "$dist/"

raw=$(stat -c %s "$dist/lianqiao_bg.wasm")
gzipped=$(gzip -9 -c "$dist/lianqiao_bg.wasm" | wc -c)
echo "frontend built: $dist (wasm ${raw} bytes raw, ${gzipped} bytes gzipped)"
