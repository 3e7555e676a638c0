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

# Fingerprints: every asset's name carries a digest of its content (`lianqiao_bg.<16 hex>.wasm`),
# so the server lets browsers keep it for a year (immutable) and only index.html is revalidated.
# References are rewritten inner first: start.js names the module and the wasm, index.html
# names start.js and the style sheet.
fingerprint() {
  local file="$1" digest base extension
  digest=$(sha256sum "$dist/$file" | head -c 16)
  base="${file%.*}" extension="${file##*.}"
  mv "$dist/$file" "$dist/$base.$digest.$extension"
  echo "$base.$digest.$extension"
}
js=$(fingerprint lianqiao.js)
wasm=$(fingerprint lianqiao_bg.wasm)
sed -i "s|/lianqiao.js|/$js|; s|/lianqiao_bg.wasm|/$wasm|" "$dist/start.js"
start=$(fingerprint start.js)
css=$(fingerprint style.css)
sed -i "s|/start.js|/$start|; s|/style.css|/$css|" "$dist/index.html"
# Precompressed copies: the server sends `<file>.gz` to clients that accept gzip, without
# compressing on every request.
for file in "$dist/$js" "$dist/$wasm" "$dist/$start" "$dist/$css" "$dist/index.html"; do
  gzip -9 -k -n "$file"
done

raw=$(stat -c %s "$dist/$wasm")
gzipped=$(stat -c %s "$dist/$wasm.gz")
echo "frontend built: $dist (wasm ${raw} bytes raw, ${gzipped} bytes gzipped)"
