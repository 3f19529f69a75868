#!/usr/bin/env bash
# Installs the postmortem-action binary for this runner and exports its
# path as POSTMORTEM_ACTION_BIN (through GITHUB_ENV). Called by action.yml,
# which passes everything through the environment:
#
#   POSTMORTEM_ACTION_DIR      this action's directory (github.action_path)
#   POSTMORTEM_ACTION_VERSION  the version action.yml pins
#   POSTMORTEM_ACTION_INSTALL  binary (default) or source
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_ENV (the runner's)
#   POSTMORTEM_ACTION_RELEASES where releases are downloaded from (tests):
#                              https://..., or http:// on 127.0.0.1,
#                              localhost or [::1] only
#   POSTMORTEM_ACTION_CACHE_DIR (source) the folder actions/cache keeps
#
# install: binary downloads the raw executable
# postmortem-action-<target>[.exe] of release action-v<version> and checks
# it against the sha256 that dist/checksums.sha256 beside this script
# names. That file is written by the release workflow in the very commit
# the release tag points at, so a pinned tag or commit SHA pins the bytes:
# an asset that was replaced is refused and never run. A checkout that is
# not a release commit (a branch such as main) has no checksums: it says
# so and what to pin.
#
# install: source builds this checkout with `cargo build --locked
# --release` (a Rust toolchain must be installed by an earlier step). The
# binary is kept in POSTMORTEM_ACTION_CACHE_DIR with the key it was built
# for; action.yml restores and saves that folder with actions/cache, so a
# later run with the same key skips the build.
#
# `install.sh source-key` prints that key (and writes key=... to
# GITHUB_OUTPUT when set): the version, the runner's OS and architecture,
# rustc's version, and a hash of Cargo.lock and of the manifests and
# sources the binary is built from, found relative to this directory
# (hashFiles() sees only GITHUB_WORKSPACE, and an action's own checkout
# is outside it).
#
# Every refusal is one ::error workflow command of one sentence that says
# what to do, and exits 1.
set -euo pipefail

title="postmortem-action install"

fail() {
  local msg=${1//%/%25}
  msg=${msg//$'\r'/%0D}
  msg=${msg//$'\n'/%0A}
  echo "::error title=$title::$msg"
  exit 1
}

# A path as bash sees it (Git Bash on Windows receives C:\... paths).
unix_path() {
  if command -v cygpath >/dev/null 2>&1; then cygpath -u "$1"; else printf '%s\n' "$1"; fi
}

sha256_file() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

sha256_stdin() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum | cut -d' ' -f1
  else
    shasum -a 256 | cut -d' ' -f1
  fi
}

[ -n "${POSTMORTEM_ACTION_DIR:-}" ] || fail "POSTMORTEM_ACTION_DIR is not set: run this script through the action (action.yml), which sets it to the action's directory."
dir=$(unix_path "$POSTMORTEM_ACTION_DIR")
version=${POSTMORTEM_ACTION_VERSION:-}
[ -n "$version" ] || fail "POSTMORTEM_ACTION_VERSION is not set: run this script through the action (action.yml), which pins the version."
mode=${POSTMORTEM_ACTION_INSTALL:-binary}
temp=$(unix_path "${RUNNER_TEMP:-${TMPDIR:-/tmp}}")

exe=
[ "${RUNNER_OS:-}" = Windows ] && exe=.exe

export_bin() {
  if [ -n "${GITHUB_ENV:-}" ]; then
    echo "POSTMORTEM_ACTION_BIN=$1" >>"$(unix_path "$GITHUB_ENV")"
  fi
}

# --- install: source ----------------------------------------------------

# find_root: sets root, the repository checkout this action is part of
# (its Cargo.toml and Cargo.lock are one level up).
find_root() {
  root=$(cd "$dir/.." && pwd)
  if ! [ -f "$root/Cargo.lock" ] || ! grep -q '"action"' "$root/Cargo.toml" 2>/dev/null; then
    fail "install: source needs the action's repository around $dir (its Cargo.toml and Cargo.lock one level up), which is missing; use the action as postmortem-chain/postmortem/action@<ref>."
  fi
}

# source_key: sets key, naming everything the binary depends on.
source_key() {
  local rustc_v hash release commit f files=()
  command -v rustc >/dev/null 2>&1 ||
    fail "install: source needs a Rust toolchain on the runner; add one in an earlier step (rustup, or dtolnay/rust-toolchain pinned by commit SHA)."
  rustc_v=$(rustc -vV)
  # The lock file, the root manifest (workspace, profiles), toolchain and
  # cargo settings if any, and the manifests, build scripts and sources of
  # the crates the binary is built from (action/ and crates/; their tests
  # and benches do not go into it).
  for f in Cargo.lock Cargo.toml rust-toolchain rust-toolchain.toml .cargo/config.toml .cargo/config; do
    [ -f "$root/$f" ] && files+=("$f")
  done
  hash=$(
    cd "$root"
    {
      printf 'rustc\n%s\n' "$rustc_v"
      {
        printf '%s\n' "${files[@]}"
        find action crates -type f \( -name Cargo.toml -o -name build.rs -o -path '*/src/*' \) \
          -not -path 'action/tests/*' -not -path 'action/benches/*'
      } | LC_ALL=C sort | while IFS= read -r f; do printf '%s %s\n' "$(sha256_file "$f")" "$f"; done
    } | sha256_stdin
  )
  release=$(printf '%s\n' "$rustc_v" | sed -n 's/^release: //p')
  commit=$(printf '%s\n' "$rustc_v" | sed -n 's/^commit-hash: //p' | cut -c1-12)
  key="postmortem-action-source-v$version-${RUNNER_OS:-unknown}-${RUNNER_ARCH:-unknown}-rustc$release-${commit:-unknown}-${hash:0:24}"
}

if [ "${1:-}" = source-key ]; then
  find_root
  source_key
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "key=$key" >>"$(unix_path "$GITHUB_OUTPUT")"
  fi
  printf '%s\n' "$key"
  exit 0
elif [ -n "${1:-}" ]; then
  fail "unknown argument ${1}: install.sh takes none (install) or source-key."
fi

if [ "$mode" = source ]; then
  find_root
  source_key
  cache=$(unix_path "${POSTMORTEM_ACTION_CACHE_DIR:-$temp/postmortem-action-source}")
  bin="$cache/postmortem-action$exe"
  if [ -x "$bin" ] && [ "$(cat "$cache/key" 2>/dev/null)" = "$key" ]; then
    echo "postmortem-action $version: the build for $key is in the cache; not building"
    export_bin "$bin"
    exit 0
  fi
  command -v cargo >/dev/null 2>&1 ||
    fail "install: source needs cargo on the runner; add a Rust toolchain in an earlier step (rustup, or dtolnay/rust-toolchain pinned by commit SHA)."
  target_dir="$temp/postmortem-action-target"
  echo "postmortem-action $version: building from source for $key"
  # Its own target dir: a CARGO_TARGET_DIR of the workflow's is left alone.
  cargo build --locked --release -p postmortem-action --manifest-path "$root/Cargo.toml" \
    --target-dir "$target_dir" ||
    fail "cargo build --locked --release -p postmortem-action failed (its errors are above); check the Rust toolchain (rust-version in Cargo.toml), or use install: binary with a pinned release."
  rm -rf "$cache"
  mkdir -p "$cache"
  cp "$target_dir/release/postmortem-action$exe" "$bin.tmp"
  mv "$bin.tmp" "$bin"
  printf '%s\n' "$key" >"$cache/key"
  export_bin "$bin"
  exit 0
fi

[ "$mode" = binary ] || fail "install is \"$mode\": use binary (a verified prebuilt release binary, the default) or source (cargo build on the runner)."

# --- install: binary ----------------------------------------------------

case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  *) fail "No prebuilt postmortem-action for a ${RUNNER_OS:-(unset)} ${RUNNER_ARCH:-(unset)} runner (there are binaries for Linux X64 and ARM64, macOS X64 and ARM64, Windows X64); set install: source and install a Rust toolchain in an earlier step." ;;
esac
asset="postmortem-action-$target$exe"
tag="action-v$version"

# The sha256 this commit of the action pins for the asset.
sums="$dir/dist/checksums.sha256"
lines=$(grep -Ev '^[[:space:]]*(#|$)' "$sums" 2>/dev/null || true)
if [ -z "$lines" ]; then
  fail "This checkout of the action is not a release: dist/checksums.sha256 has no checksums, so there is no verified binary to install; pin a release tag action-vX.Y.Z or the commit SHA its release notes name, or set install: source."
fi
expected=$(printf '%s\n' "$lines" | awk -v a="$asset" '$2 == a || $2 == "*" a { print $1; exit }')
if ! [[ "$expected" =~ ^[0-9a-f]{64}$ ]]; then
  fail "dist/checksums.sha256 of $tag has no sha256 for $asset; pin a release tag action-vX.Y.Z (or the commit SHA its release notes name) that ships it, or set install: source."
fi

# Where from: https, or plain http to this machine only (tests).
base=${POSTMORTEM_ACTION_RELEASES:-https://github.com/postmortem-chain/postmortem/releases/download}
base=${base%/}
curl_proto=(--proto "=https" --proto-redir "=https" --tlsv1.2 -L)
if [[ "$base" =~ ^https://[^@[:space:]]+$ ]]; then
  :
elif [[ "$base" =~ ^http://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?(/[^@[:space:]]*)?$ ]]; then
  curl_proto=(--proto "=http" --max-redirs 0)
else
  fail "POSTMORTEM_ACTION_RELEASES is $base: releases are downloaded over https only (plain http only from 127.0.0.1, localhost or [::1]); unset it to use GitHub's releases."
fi
url="$base/$tag/$asset"
command -v curl >/dev/null 2>&1 || fail "install: binary needs curl on the runner; install curl, or set install: source."

mkdir -p "$temp"
download=$(mktemp -d "$temp/postmortem-action-download.XXXXXX")
trap 'rm -rf "$download"' EXIT
code=$(curl "${curl_proto[@]}" -sS --retry 3 --retry-delay 2 --connect-timeout 20 --max-time 600 \
  -o "$download/$asset" -w '%{http_code}' "$url" 2>"$download/curl.err") || {
  reason=$(tr '\n' ' ' <"$download/curl.err" | sed 's/ *$//')
  fail "Downloading $url failed (${reason:-curl could not connect}); check that the runner can reach it, or set install: source."
}
if [ "$code" = 404 ]; then
  fail "$url was not found (HTTP 404): release $tag has no $asset; pin a published release (a tag action-vX.Y.Z or the commit SHA its release notes name), or set install: source."
elif [ "$code" != 200 ]; then
  fail "Downloading $url answered HTTP $code; retry the job later, or set install: source."
fi

actual=$(sha256_file "$download/$asset")
if [ "$actual" != "$expected" ]; then
  fail "$asset downloaded from $url has sha256 $actual, which differs from $expected pinned in dist/checksums.sha256 of $tag: it was not run, and nothing was installed."
fi

dest="$temp/postmortem-action/$tag-$target"
mkdir -p "$dest"
chmod 0755 "$download/$asset"
mv -f "$download/$asset" "$dest/postmortem-action$exe"
export_bin "$dest/postmortem-action$exe"
echo "postmortem-action $version ($target) installed: sha256 $actual, as dist/checksums.sha256 of $tag pins"
