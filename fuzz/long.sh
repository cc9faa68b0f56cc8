#!/usr/bin/env bash
# Long fuzz runs: builds the targets (as scripts/test.sh does), then runs each named target (all
# four by default) in parallel under `nice -n 15` for SECONDS (3600 by default), and prints one
# summary line per target: executions, corpus, coverage, crashes. Each target grows its own
# corpus in $PAPERSIFT_FUZZ_WORK/long/TARGET (default work dir /tmp/papersift-fuzz), seeded
# from fuzz/corpus/TARGET; crashes, timeouts and out-of-memory inputs go to
# $PAPERSIFT_FUZZ_WORK/artifacts/TARGET/, and the run goes on after them.
#
# The targets run from copies of their binaries, so rebuilding fuzz/ during a run changes nothing.
# Fork mode (-fork=1) restarts a target process after a crash; the query target builds the
# default index when it starts, so it runs in one process instead, started again after a crash.
#
# Usage: fuzz/long.sh [SECONDS] [TARGET...]
#        fuzz/long.sh --summary [TARGET...]   (the summary of the last run, from its logs)
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
work=${PAPERSIFT_FUZZ_WORK:-/tmp/papersift-fuzz}
all_targets=(index_file index_pieces query records)

dictionary_of() {
  case $1 in
    query) echo query ;;
    records) echo records ;;
    *) echo index ;;
  esac
}

# run TARGET SECONDS: one target's long run, logging to $work/TARGET.log.
run() {
  local target=$1 seconds=$2 end
  local flags=(-dict="fuzz/dict/$(dictionary_of "$target").dict" -timeout=30 -rss_limit_mb=2048
    -artifact_prefix="$work/artifacts/$target/" -print_final_stats=1)
  if [ "$target" = query ]; then
    end=$((SECONDS + seconds))
    while [ "$SECONDS" -lt "$end" ]; do
      nice -n 15 "$work/bin/$target" "$work/long/$target" "fuzz/corpus/$target" "${flags[@]}" \
        -max_total_time=$((end - SECONDS))
      echo "=== exit $? at $SECONDS s"
    done
  else
    nice -n 15 "$work/bin/$target" "$work/long/$target" "fuzz/corpus/$target" "${flags[@]}" \
      -max_total_time="$seconds" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1
  fi >"$work/$target.log" 2>&1
}

# summary TARGET: executions, corpus, coverage and artifacts of the last run, from its log.
summary() {
  local target=$1 log="$work/$1.log" status execs files bytes found
  # Fork mode prints `#EXECS: cov: C ft: F corp: N ...`; one process `#EXECS ... cov: C ft: F corp: N/Bb`.
  status=$(grep -E '^#[0-9]+' "$log" | grep ' cov: ' | tail -1)
  execs=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$status")
  if [ "$target" = query ]; then
    # Each restart counts from zero: add up the last count of every process.
    execs=$(awk '/^stat::number_of_executed_units:/ { n += $2 } END { print n + 0 }' "$log")
  fi
  files=$(find "$work/long/$target" -type f | wc -l)
  bytes=$(du -sb "$work/long/$target" | cut -f1)
  found=$(find "$work/artifacts/$target" -type f -printf '%f\n' 2>/dev/null | sed 's/-.*//' | sort | uniq -c | awk '{ printf "%s %s, ", $1, $2 }')
  printf '%s: %s executions; corpus %s files, %s bytes; cov %s ft %s; artifacts: %s\n' "$target" "$execs" \
    "$files" "$bytes" "$(sed -E 's/.* cov: ([0-9]+).*/\1/' <<<"$status")" \
    "$(sed -E 's/.* ft: ([0-9]+).*/\1/' <<<"$status")" "${found:-none}"
}

if [ "${1:-}" = --summary ]; then
  shift
  for target in "${@:-${all_targets[@]}}"; do summary "$target"; done
  exit 0
fi
seconds=${1:-3600}
shift || true
targets=("${@:-${all_targets[@]}}")
RUSTC_BOOTSTRAP=1 cargo +stable fuzz build || exit 1
mkdir -p "$work/bin"
for target in "${targets[@]}"; do
  cp "fuzz/target/x86_64-unknown-linux-gnu/release/$target" "$work/bin/"
  mkdir -p "$work/long/$target" "$work/artifacts/$target"
  run "$target" "$seconds" &
done
started=$(date -u +%H:%M:%S)
wait
echo "fuzz: ran ${targets[*]} for $seconds s each from $started UTC"
for target in "${targets[@]}"; do summary "$target"; done
