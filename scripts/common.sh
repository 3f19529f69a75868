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

# ensure_rust_src: the standard library's sources, so the form's release
# build can compile std for size (-Zbuild-std). Detected by the folder
# rustup puts them in.
ensure_rust_src() {
  local src
  src="$(rustc --print sysroot)/lib/rustlib/src/rust/library/core"
  [ -d "$src" ] && return 0
  say "installing rust-src (the standard library's sources)"
  RETRY_TIMEOUT=120 retry rustup component add rust-src
}

# ensure_chromium: Debian's chromium and chromedriver for the browser tests.
ensure_chromium() {
  ensure_apt chromium chromium-driver
}

# build_wasm_module PACKAGE LIB OUT_DIR: builds a crate of the workspace for
# the browser and writes OUT_DIR/LIB.js (wasm-bindgen's glue, --target web)
# and OUT_DIR/LIB_bg.wasm (after wasm-opt -Oz). Used for the form
# (scripts/build-web) and for the baseline it is benchmarked against
# (scripts/bench-web), so both are built alike.
build_wasm_module() {
  local package=$1 lib=$2 out=$3
  # Its own target dir: the wasm build never invalidates the native cache.
  local target_dir=${WASM_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/postmortem/wasm-target}
  # The size-first profile of the root Cargo.toml ([profile.wasm-release]:
  # opt-level "z", fat LTO, one codegen unit, panic "abort").
  local profile=wasm-release

  # wasm-opt must know reference types as wasm-bindgen emits them: Debian
  # 12's binaryen 108 produces a module that fails at instantiation
  # ("WebAssembly.Table.set(): Argument 1 is invalid for table"), so the
  # build uses npm's binaryen, pinned in web/tools/package-lock.json.
  ensure_npm_deps "$ROOT/web/tools"
  local wasm_opt=$ROOT/web/tools/node_modules/.bin/wasm-opt
  ensure_wasm_target
  ensure_rust_src
  ensure_wasm_bindgen_cli

  # Size, measured on the form (gzip of the module, see BENCHMARKS.md):
  # - the standard library compiled with the crate, for size, with panics
  #   that abort at once instead of formatting a message nobody reads in a
  #   browser (-Zbuild-std with optimize_for_size, -Cpanic=immediate-abort):
  #   about 38 KB less. These are unstable flags of the stable compiler,
  #   hence RUSTC_BOOTSTRAP=1 for this build only, in its own target dir;
  # - Leptos's `erase_components` cfg, which type-erases views instead of
  #   monomorphising each one: about 25 KB less.
  # `cargo rustc --crate-type cdylib`: the crate is also an rlib (for its
  # tests), and building both at once keeps every public item and makes
  # the form's module about 130 KB larger.
  say "cargo rustc -p $package --profile $profile --target wasm32-unknown-unknown --crate-type cdylib (-Zbuild-std)"
  RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort --cfg erase_components" \
    cargo rustc --locked --profile "$profile" --target wasm32-unknown-unknown -p "$package" --lib \
    --crate-type cdylib --target-dir "$target_dir" \
    -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size

  local stage
  stage=$(mktemp -d)
  say "wasm-bindgen --target web ($lib)"
  wasm-bindgen --target web --no-typescript --out-dir "$stage" --out-name "$lib" \
    "$target_dir/wasm32-unknown-unknown/$profile/$lib.wasm"
  say "wasm-opt -Oz ($lib)"
  mkdir -p "$out"
  "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-reference-types --enable-mutable-globals --enable-multivalue \
    -o "$out/${lib}_bg.wasm" "$stage/${lib}_bg.wasm"
  minify_js "$stage/$lib.js" "$out/$lib.js"
  rm -rf "$stage"
}

# minify_js IN OUT: an ES module minified by esbuild (pinned in web/tools):
# comments and long names cost a page about 3 KB of gzip on the form.
minify_js() {
  ensure_npm_deps "$ROOT/web/tools"
  "$ROOT/web/tools/node_modules/.bin/esbuild" --log-level=warning --minify --format=esm \
    --target=es2020 "$1" --outfile="$2"
}

# quietly COMMAND...: runs a command (a shell function too) with its output
# kept in a temporary log, shown only when it fails.
quietly() {
  local log rc=0
  log=$(mktemp)
  "$@" >"$log" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || cat "$log" >&2
  rm -f "$log"
  return "$rc"
}
