#!/usr/bin/env bash
# Installs the GraphQL playground's npm packages (GraphiQL, React) that backend/build.rs
# embeds into the server binary. Skips the install when node_modules matches the lockfile.
set -euo pipefail
cd "$(dirname "$0")/../playground"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
