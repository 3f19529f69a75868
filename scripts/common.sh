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

# Runs a command up to three times with a timeout: registries here
# occasionally stall on the first try.
retry() {
  local n
  for n in 1 2 3; do
    if timeout 300 "$@"; then return 0; fi
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
