#!/usr/bin/env bash
# Installs what building and testing papersift needs, skipping whatever is already there:
# the wasm32 targets (the browser engine's and the WASI command line's), wasm-bindgen-cli at
# exactly Cargo.lock's wasm-bindgen version, cargo-fuzz (pinned), the npm devDependencies
# (binaryen's wasm-opt, esbuild, playwright-core), the benchmark's peer libraries
# (bench/package.json, into bench/node_modules), and Debian's chromium + chromedriver.
# Safe to run again and again. `scripts/setup.sh bench` installs the peer libraries alone.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf 'setup: %s\n' "$*"; }

# ensure_target TRIPLE: the Rust standard library for TRIPLE, unless it is installed.
ensure_target() {
  if rustup target list --installed | grep -qx "$1"; then
    say "$1 target present"
  else
    rustup target add "$1"
  fi
}

# The CLI must match the wasm-bindgen crate exactly, or the glue and the module disagree.
ensure_wasm_bindgen() {
  local want have
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
  if [ -z "$want" ]; then
    echo "setup: cannot find wasm-bindgen's version in Cargo.lock" >&2
    exit 1
  fi
  have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
  if [ "$have" = "$want" ] && command -v wasm-bindgen-test-runner >/dev/null; then
    say "wasm-bindgen-cli $want present"
  else
    say "installing wasm-bindgen-cli $want (found '${have:-none}'; takes a few minutes)"
    # Not --locked: the registry lacks one transitive version pinned by its lock file.
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

# cargo-fuzz at a pinned version, for the fuzz targets in fuzz/ (built on the stable toolchain;
# scripts/test.sh sets RUSTC_BOOTSTRAP=1 for its -Z flags).
CARGO_FUZZ_VERSION=0.13.2
ensure_cargo_fuzz() {
  local have
  have=$(cargo fuzz --version 2>/dev/null | awk '{ print $2 }' || true)
  if [ "$have" = "$CARGO_FUZZ_VERSION" ]; then
    say "cargo-fuzz $CARGO_FUZZ_VERSION present"
  else
    say "installing cargo-fuzz $CARGO_FUZZ_VERSION (found '${have:-none}')"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --force
  fi
}

ensure_npm_packages() {
  if [ -x node_modules/.bin/wasm-opt ] && [ -f node_modules/playwright-core/package.json ] && [ -f node_modules/@gfx/zopfli/package.json ] \
    && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    say "npm packages present"
  else
    npm ci --no-audit --no-fund
  fi
}

# The peers papersift is benchmarked against are not papersift's dependencies: they have their
# own package.json, so building and shipping papersift never installs them.
ensure_bench_packages() {
  if [ -x bench/node_modules/.bin/pagefind ] && [ -f bench/node_modules/minisearch/package.json ] \
    && [ bench/node_modules/.package-lock.json -nt bench/package-lock.json ]; then
    say "bench peer packages present"
  else
    (cd bench && npm ci --no-audit --no-fund)
  fi
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ] && command -v chromedriver >/dev/null; then
    say "chromium and chromedriver present"
    return
  fi
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium chromium-driver
}

if [ "${1:-}" = bench ]; then
  ensure_bench_packages
  exit 0
fi
ensure_target wasm32-unknown-unknown
# The npm package's `papersift` command: the CLI compiled for WASI and run by Node.
ensure_target wasm32-wasip1
ensure_wasm_bindgen
ensure_cargo_fuzz
ensure_npm_packages
ensure_bench_packages
ensure_chromium
