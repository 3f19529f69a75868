#!/usr/bin/env bash
# Installs the postmortem-action binary for this runner and exports its
# path as POSTMORTEM_ACTION_BIN. Reads only the environment set by
# action.yml and the runner (RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP).
#
# install=binary: downloads postmortem-action-<target>.tar.gz of release
#   action-v$POSTMORTEM_ACTION_VERSION and checks it against the sha256 in
#   dist/checksums.sha256 beside this script (committed with the pinned
#   version, so a replaced release asset is refused, not run).
# install=source: the documented fallback, `cargo build --locked --release`
#   of this very checkout of the action (needs a Rust toolchain: add
#   dtolnay/rust-toolchain or rustup before this step).
set -euo pipefail

dir=$POSTMORTEM_ACTION_DIR
version=$POSTMORTEM_ACTION_VERSION
repo_url=${POSTMORTEM_ACTION_RELEASES:-https://github.com/postmortem-chain/postmortem/releases/download}

if [[ "${POSTMORTEM_ACTION_INSTALL:-binary}" == "source" ]]; then
  command -v cargo >/dev/null || { echo "::error title=postmortem-action::install: source needs cargo on the runner"; exit 1; }
  cargo build --locked --release -p postmortem-action --manifest-path "$dir/../Cargo.toml"
  target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$dir/../Cargo.toml" | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
  bin="$target_dir/release/postmortem-action"
  [[ "${RUNNER_OS:-}" == "Windows" ]] && bin="$bin.exe"
  echo "POSTMORTEM_ACTION_BIN=$bin" >>"$GITHUB_ENV"
  exit 0
fi

case "${RUNNER_OS:-Linux}/${RUNNER_ARCH:-X64}" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  *) echo "::error title=postmortem-action::no prebuilt binary for ${RUNNER_OS}/${RUNNER_ARCH}; use install: source"; exit 1 ;;
esac

asset="postmortem-action-$target.tar.gz"
expected=$(awk -v a="$asset" '$2 == a || $2 == "*"a { print $1 }' "$dir/dist/checksums.sha256" 2>/dev/null || true)
if [[ -z "$expected" ]]; then
  echo "::error title=postmortem-action::dist/checksums.sha256 has no sha256 for $asset of version $version; use install: source"
  exit 1
fi

dest="${RUNNER_TEMP:-/tmp}/postmortem-action-$version-$target"
mkdir -p "$dest"
curl --proto '=https' --tlsv1.2 -fsSL --retry 3 -o "$dest/$asset" "$repo_url/action-v$version/$asset"
if command -v sha256sum >/dev/null; then
  actual=$(sha256sum "$dest/$asset" | cut -d' ' -f1)
else
  actual=$(shasum -a 256 "$dest/$asset" | cut -d' ' -f1)
fi
if [[ "$actual" != "$expected" ]]; then
  echo "::error title=postmortem-action::$asset has sha256 $actual, expected $expected: refusing to run it"
  exit 1
fi
tar -xzf "$dest/$asset" -C "$dest"
bin="$dest/postmortem-action"
[[ "${RUNNER_OS:-}" == "Windows" ]] && bin="$bin.exe"
echo "POSTMORTEM_ACTION_BIN=$bin" >>"$GITHUB_ENV"
