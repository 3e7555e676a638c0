# Sourced by scripts/test.sh and .ci/run: makes sure this machine has what the tests need, or
# stops at once with one line naming what is missing.
#
# On Debian as root (CI, a fresh machine) missing packages are installed with apt-get: Chromium
# for the browser tests, a CJK font for readable screenshots, Python's venv for the pandas test,
# Node.js and npm for the black-box tests and the playground, nginx for the several-process
# test. The wasm32 target comes from
# rustup. Elsewhere the line says what to install.

ensure_prerequisites() {
  local packages=()
  command -v chromium >/dev/null 2>&1 || packages+=(chromium)
  command -v fc-list >/dev/null 2>&1 || packages+=(fontconfig)
  [ -n "$(fc-list :lang=zh 2>/dev/null)" ] || packages+=(fonts-wqy-zenhei)
  python3 -c "import ensurepip, venv" 2>/dev/null || packages+=(python3 python3-venv)
  { command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; } || packages+=(nodejs npm)
  [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || packages+=(nginx)
  if [ ${#packages[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "== Installing ${packages[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq && apt-get install -y -qq "${packages[@]}" >/dev/null || {
        echo "missing prerequisites: ${packages[*]} (apt-get install failed)" >&2
        exit 1
      }
    else
      echo "missing prerequisites: ${packages[*]} (install them: sudo apt-get install ${packages[*]})" >&2
      exit 1
    fi
  fi
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || {
      echo "missing prerequisite: the wasm32-unknown-unknown target (rustup target add wasm32-unknown-unknown)" >&2
      exit 1
    }
  fi
}
