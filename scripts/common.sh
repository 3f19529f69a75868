# Shared by scripts/run and scripts/test: install what is missing, skip what
# is present. Sourced, not run.

set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# A cargo target directory outside the clone is safe to reuse between runs
# and clones; everything still builds from scratch without it.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/postmortem/target}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
mkdir -p "$CARGO_TARGET_DIR"

say() { printf '==> %s\n' "$*" >&2; }

# Runs a command up to three times, each within RETRY_TIMEOUT seconds
# (default 300): registries here occasionally stall on the first try.
retry() {
  local n
  for n in 1 2 3; do
    if timeout "${RETRY_TIMEOUT:-300}" "$@"; then return 0; fi
    say "attempt $n of: $* failed; retrying"
    sleep $((n * 3))
  done
  return 1
}

ensure_rust_components() {
  command -v cargo >/dev/null || { say "cargo is missing: install rustup (https://rustup.rs) first"; exit 2; }
  local c
  for c in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$c"; then
      say "installing rustup component $c"
      retry rustup component add "$c"
    fi
  done
}

APT_UPDATED=
# ensure_apt PACKAGE...: installs the Debian packages that are missing.
ensure_apt() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  if [ -z "$APT_UPDATED" ]; then
    say "apt-get update"
    retry $sudo apt-get update -qq
    APT_UPDATED=1
  fi
  say "installing ${missing[*]}"
  retry $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# ensure_node: node and npm, from Debian when the machine has none.
ensure_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    ensure_apt nodejs npm
  fi
}

# ensure_npm_deps DIR: the pinned packages of DIR's package-lock.json,
# installed once (again when the lock file changes).
ensure_npm_deps() {
  local dir=$1 stamp=$1/node_modules/.package-lock.json
  ensure_node
  if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
    say "npm ci in $dir"
    (cd "$dir" && retry npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# ensure_wasm_bindgen_cli: wasm-bindgen and wasm-bindgen-test-runner of the
# exact wasm-bindgen version in Cargo.lock (the CLI must match the crate).
ensure_wasm_bindgen_cli() {
  local want have
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")
  [ -n "$want" ] || { say "wasm-bindgen is not in Cargo.lock"; exit 2; }
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  [ "$have" = "$want" ] && return 0
  say "installing wasm-bindgen-cli $want (found: ${have:-none}); this takes a few minutes"
  # Not --locked: its lock file has named versions the registry did not serve.
  RETRY_TIMEOUT=1500 retry cargo install wasm-bindgen-cli --version "$want"
}

# ensure_wasm_target: rustup's wasm32-unknown-unknown standard library.
ensure_wasm_target() {
  local dir
  dir=$(rustc --print target-libdir --target wasm32-unknown-unknown 2>/dev/null || true)
  [ -n "$dir" ] && [ -d "$dir" ] && return 0
  say "installing the wasm32-unknown-unknown target"
  RETRY_TIMEOUT=120 retry rustup target add wasm32-unknown-unknown
}

# ensure_chromium: Debian's chromium and chromedriver for the browser tests.
ensure_chromium() {
  ensure_apt chromium chromium-driver
}
