#!/usr/bin/env bash
# Runs every papersift test from a fresh clone: installs what is missing (scripts/setup.sh),
# builds the wasm and dist/ (scripts/build.sh), then
#   1. cargo test --workspace                 (core, CLI and the wasm crate's native unit tests)
#   2. wasm-bindgen tests of the JS API       in Node, and in headless Chrome
#   3. browser scenarios (node --test)        real Chromium via playwright-core
#      and the in-browser builder's script    in Node (tests/builder/)
#      and the engine's memory                in Node (tests/node/: no leaks)
#   4. the npm pack consumer test (node --test)
#   5. checks without a harness               a bad record fails build.rs with file:line lines;
#                                             `cargo fmt --all --check`; clippy with -D warnings;
#                                             each fuzz target (fuzz/) run 30 s from its seeds
# Every stage runs even when an earlier test stage fails; the last line sums the tests:
# `papersift: N passed, M failed`. Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
started=$SECONDS

bash scripts/setup.sh || { echo "test: setup failed"; exit 1; }
bash scripts/build.sh || { echo "test: build failed"; exit 1; }
echo "test: setup and build took $((SECONDS - started)) s"

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
passed=0
failed=0
failed_stages=()

# count LOG: prints "PASSED FAILED" summed over the closing lines of cargo test
# (`test result: ok. 6 passed; 0 failed; ...`) and node --test (`# pass 7`, `# fail 0`).
count() {
  awk '
    /^test result: / { for (i = 1; i < NF; i++) { if ($(i + 1) ~ /^passed/) p += $i; if ($(i + 1) ~ /^failed/) f += $i } }
    /^# pass [0-9]+$/ { p += $3 }
    /^# fail [0-9]+$/ { f += $3 }
    END { print p + 0, f + 0 }
  ' "$1"
}

# stage NAME CMD...: runs CMD, echoing and logging its output; a stage that fails, or that
# ran no test at all, counts as failed.
stage() {
  local name=$1 log="$logs/$1.log" status p f
  shift
  echo
  echo "=== test: $name"
  local t0=$SECONDS
  "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  read -r p f <<<"$(count "$log")"
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$status" -ne 0 ] || [ "$p" -eq 0 ]; then
    [ "$status" -ne 0 ] && [ "$f" -eq 0 ] && failed=$((failed + 1))
    [ "$p" -eq 0 ] && echo "test: $name ran no test"
    failed_stages+=("$name")
  fi
  echo "=== test: $name: $p passed, $f failed, exit $status, $((SECONDS - t0)) s"
}

wasm_test() {
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test --target wasm32-unknown-unknown --test wasm "$@"
}

stage cargo cargo test --workspace --no-fail-fast
# The browser and npm tests build sites with the CLI; cargo test built it, this makes sure.
cargo build -p papersift-cli --quiet || { failed=$((failed + 1)); failed_stages+=("cli build"); }
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
export PAPERSIFT_BIN="$target_dir/debug/papersift"
papersift=$PAPERSIFT_BIN
wasm_test_in_chrome() { WASM_BINDGEN_USE_BROWSER=1 wasm_test "$@"; }

stage wasm-node wasm_test
stage wasm-chrome wasm_test_in_chrome
stage browser node --test --test-concurrency=1 tests/browser/
stage builder node --test tests/builder/
stage node node --test tests/node/
stage npm node --test tests/npm/
stage bench-smoke node --test bench/smoke.test.mjs

# check NAME CMD...: one harness-free check, counted as one test.
check() {
  local name=$1
  shift
  if "$@"; then
    echo "ok - $name"
    passed=$((passed + 1))
  else
    echo "not ok - $name"
    failed=$((failed + 1))
    failed_stages+=("check: $name")
  fi
}

bad_record_fails_the_build_with_file_line_and_no_panic() {
  local out status
  out=$(PAPERSIFT_RECORDS=tests/fixtures/bad/empty_record.jsonl cargo build --lib 2>&1)
  status=$?
  printf '%s\n' "$out" | grep -E 'error' | head -5
  [ "$status" -ne 0 ] && grep -q 'tests/fixtures/bad/empty_record.jsonl:[0-9]' <<<"$out" && ! grep -q 'panicked' <<<"$out"
}

missing_engine_says_how_to_fix_it() {
  local dir out
  dir=$(mktemp -d)
  out=$(PAPERSIFT_ENGINE=/nonexistent/papersift-engine.js "$papersift" build tests/fixtures/papers.jsonl -o "$dir" 2>&1)
  local status=$?
  rm -rf "$dir"
  printf '%s\n' "$out" | tail -1
  [ "$status" -ne 0 ] && grep -q 'npm run build' <<<"$out"
}

code_is_formatted() {
  cargo fmt --all --check && cargo fmt --manifest-path fuzz/Cargo.toml --check
}

clippy_has_no_warnings() {
  cargo clippy --workspace --all-targets --quiet -- -D warnings
}

widget_loads_nothing_from_the_network() {
  # No fonts, images, stylesheets or CDNs: the styles and the element reference no URL.
  ! grep -nE 'url\(|@import|https?://' js/*.js js/*.css
}

echo
echo "=== test: checks"
check "a bad record fails build.rs with its file:line and no panic" bad_record_fails_the_build_with_file_line_and_no_panic
check "papersift build without the engine script says how to fix it" missing_engine_says_how_to_fix_it
check "the widget loads nothing from the network" widget_loads_nothing_from_the_network
check "the Rust code is formatted (cargo fmt --all --check)" code_is_formatted
check "clippy finds nothing (cargo clippy --workspace --all-targets -- -D warnings)" clippy_has_no_warnings

# The fuzz targets (fuzz/, see docs/RELIABILITY.md), built once with AddressSanitizer on the
# stable toolchain (RUSTC_BOOTSTRAP=1 lets cargo fuzz's -Z flags through), then each run for
# PAPERSIFT_FUZZ_SECONDS (30) from its committed seeds. Each target is one test; a crash names
# the target and the input libFuzzer wrote (under fuzz/artifacts/). The per-input timeout is wall
# time, generous because a loaded machine stretches inputs that take 0.2 s of CPU to seconds.
fuzz_seconds=${PAPERSIFT_FUZZ_SECONDS:-30}
fuzz_built=0
fuzz_cargo() {
  RUSTC_BOOTSTRAP=1 cargo +stable fuzz "$@"
}

fuzz_targets_build() {
  local log="$logs/fuzz-build.log" t0=$SECONDS
  fuzz_cargo build >"$log" 2>&1 || { tail -20 "$log"; return 1; }
  echo "fuzz: the targets built in $((SECONDS - t0)) s"
  fuzz_built=1
}

# fuzz_smoke TARGET DICT [FLAG...]: runs TARGET from a scratch corpus seeded with fuzz/corpus/TARGET.
fuzz_smoke() {
  local target=$1 dict=$2 work log status artifact
  shift 2
  [ "$fuzz_built" = 1 ] || { echo "fuzz: $target not run: the targets did not build"; return 1; }
  work=$(mktemp -d)
  log="$logs/fuzz-$target.log"
  fuzz_cargo run "$target" "$work" "fuzz/corpus/$target" -- -dict="fuzz/dict/$dict.dict" \
    -max_total_time="$fuzz_seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 "$@" >"$log" 2>&1
  status=$?
  rm -rf "$work"
  grep -E '^stat::number_of_executed_units|^Done ' "$log" | tail -1
  if [ "$status" -ne 0 ]; then
    artifact=$(sed -n 's/.*Test unit written to //p' "$log" | tail -1)
    grep -m 3 -E 'panicked at|ERROR: (libFuzzer|AddressSanitizer)' "$log"
    echo "fuzz: $target failed (exit $status); input: ${artifact:-none written}"
    echo "fuzz: reproduce with RUSTC_BOOTSTRAP=1 cargo +stable fuzz run $target ${artifact:-}"
    return 1
  fi
}

check "the fuzz targets build with AddressSanitizer on stable (cargo fuzz build)" fuzz_targets_build
check "fuzz: the index loader (one file) survives ${fuzz_seconds} s from its seeds" fuzz_smoke index_file index
check "fuzz: the index loader (root and pieces) survives ${fuzz_seconds} s from its seeds" fuzz_smoke index_pieces index
check "fuzz: query parsing and search survive ${fuzz_seconds} s from their seeds" fuzz_smoke query query
check "fuzz: every record parser survives ${fuzz_seconds} s from its seeds" fuzz_smoke records records

# Sharded and single-file sites rank every dev query alike. Needs ../shared/data: without it
# the script exits 77 and the check is reported as skipped, not counted as passed.
shards_identity_status=0
PAPERSIFT_BIN="$papersift" bash scripts/shards_identity.sh || shards_identity_status=$?
if [ "$shards_identity_status" -eq 77 ]; then
  echo "skipped (not counted) - sharded and single-file sites rank every dev query alike: no ../shared/data"
else
  check "sharded and single-file sites rank every dev query alike (scifact, cranfield, cisi, med)" test "$shards_identity_status" -eq 0
fi

echo
echo "test: finished in $((SECONDS - started)) s"
if [ "${#failed_stages[@]}" -gt 0 ]; then
  echo "test: failed stages: ${failed_stages[*]}"
  [ "$failed" -eq 0 ] && failed=1
fi
echo "papersift: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "${#failed_stages[@]}" -eq 0 ]
