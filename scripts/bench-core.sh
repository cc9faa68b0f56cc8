#!/usr/bin/env bash
# Benchmarks of the core engine, for docs/BENCHMARKS.md "Core engine (criterion)".
#
# 1. `cargo bench -p papersift-core`: scifact build throughput, query latency by class on scifact
#    and arXiv CS, the worst-case queries beside a normal one, and the Levenshtein automaton comparison (criterion; HTML and JSON under
#    target/criterion/).
# 2. One timed build of the 74,728-paper arXiv CS set with the release CLI (`/usr/bin/time -v`),
#    too slow for a criterion loop.
# 3. A markdown table of the criterion medians.
#
# The data sets are read from ../shared/data next to the repository (PAPERSIFT_BENCH_DATA to
# change it). Missing sets are skipped with a loud message, not a failure.
#
# Usage: scripts/bench-core.sh               everything (about 10 minutes on 2 cores)
#        scripts/bench-core.sh --table       only print the table of the last criterion run
#        PAPERSIFT_BENCH_SETS=scifact scripts/bench-core.sh    a quicker run on scifact only
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
criterion_dir="$target/criterion"
data="${PAPERSIFT_BENCH_DATA:-$root/../shared/data}"
export PAPERSIFT_BENCH_DATA="$data"

# The median of one criterion benchmark, in nanoseconds.
median_ns() {
    jq '.median.point_estimate' "$criterion_dir/$1/new/estimates.json"
}

# Prints the medians of the last criterion run as markdown tables.
print_tables() {
    if ! command -v jq >/dev/null; then
        echo "bench-core.sh: jq is needed to print the tables; results are in $criterion_dir" >&2
        return
    fi
    if [ -f "$criterion_dir/build/scifact/new/estimates.json" ]; then
        local ns elements bytes
        ns="$(median_ns build/scifact)"
        elements="$(jq '.throughput.ElementsAndBytes.elements' "$criterion_dir/build/scifact/new/benchmark.json")"
        bytes="$(jq '.throughput.ElementsAndBytes.bytes' "$criterion_dir/build/scifact/new/benchmark.json")"
        echo "| build (criterion, median) | papers | JSONL MB | time | papers/s | MB/s |"
        echo "|---|---:|---:|---:|---:|---:|"
        awk -v ns="$ns" -v n="$elements" -v b="$bytes" 'BEGIN {
            printf "| scifact | %d | %.1f | %.0f ms | %.0f | %.1f |\n", n, b / 1e6, ns / 1e6, n / (ns / 1e9), b / 1e6 / (ns / 1e9) }'
        echo
    fi
    local set class
    for set in scifact arxiv_cs_daily; do
        [ -d "$criterion_dir/query_$set" ] || continue
        echo "| $set: class | median per query | queries/s | vs exact |"
        echo "|---|---:|---:|---:|"
        local exact_ns
        exact_ns="$(median_ns "query_$set/exact")"
        for class in exact two-word prefix typo typo-typing phrase typing typing-scratch; do
            [ -f "$criterion_dir/query_$set/$class/new/estimates.json" ] || continue
            local ns per_query
            ns="$(median_ns "query_$set/$class")"
            per_query="$(jq '.throughput.Elements' "$criterion_dir/query_$set/$class/new/benchmark.json")"
            awk -v c="$class" -v ns="$ns" -v q="$per_query" -v e="$exact_ns" 'BEGIN {
                printf "| %s | %.0f µs | %.0f | %.2f× |\n", c, ns / q / 1e3, q / (ns / 1e9), ns / e }'
        done
        echo
    done
    for set in scifact arxiv_cs_daily; do
        [ -f "$criterion_dir/worst_$set/two-word/new/estimates.json" ] || continue
        echo "| $set: worst case | median per query | vs two-word |"
        echo "|---|---:|---:|"
        local normal_ns normal_q
        normal_ns="$(median_ns "worst_$set/two-word")"
        normal_q="$(jq '.throughput.Elements' "$criterion_dir/worst_$set/two-word/new/benchmark.json")"
        for class in two-word long-query many-words many-quotes many-prefixes long-words unicode common-words common-phrase; do
            [ -f "$criterion_dir/worst_$set/$class/new/estimates.json" ] || continue
            local ns per_query
            ns="$(median_ns "worst_$set/$class")"
            per_query="$(jq '.throughput.Elements' "$criterion_dir/worst_$set/$class/new/benchmark.json")"
            awk -v c="$class" -v ns="$ns" -v q="$per_query" -v n="$normal_ns" -v nq="$normal_q" 'BEGIN {
                printf "| %s | %.0f µs | %.1f× |\n", c, ns / q / 1e3, (ns / q) / (n / nq) }'
        done
        echo
    done
    if [ -d "$criterion_dir/levenshtein_build" ]; then
        echo "| distance 2, word letters | levenshtein_automata build | fst build | levenshtein_automata search | fst search |"
        echo "|---:|---:|---:|---:|---:|"
        local len
        for len in 5 10 20 30 40 64; do
            local cells=()
            for bench in levenshtein_build/levenshtein_automata levenshtein_build/fst levenshtein_search/levenshtein_automata levenshtein_search/fst; do
                if [ -f "$criterion_dir/$bench/$len/new/estimates.json" ]; then
                    cells+=("$(awk -v ns="$(median_ns "$bench/$len")" 'BEGIN {
                        if (ns >= 1e6) printf "%.1f ms", ns / 1e6; else printf "%.1f µs", ns / 1e3 }')")
                else
                    cells+=("–")
                fi
            done
            echo "| $len | ${cells[0]} | ${cells[1]} | ${cells[2]} | ${cells[3]} |"
        done
        echo
    fi
}

if [ "${1:-}" = "--table" ]; then
    print_tables
    exit 0
fi

if [ ! -d "$data" ]; then
    echo "!!! bench-core.sh: no data sets at $data: the benches will measure NOTHING that needs them." >&2
    echo "!!! bench-core.sh: put them in ../shared/data next to the repository, or set PAPERSIFT_BENCH_DATA." >&2
fi

echo "== machine"
echo "date: $(date -u +%Y-%m-%d)"
echo "cpus: $(nproc), $(lscpu | sed -n -E 's/^Model name: *//p' | head -1)"
echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
echo "$(rustc --version)"
echo

echo "== cargo bench -p papersift-core (criterion; raw output in $criterion_dir)"
cargo bench --manifest-path "$root/Cargo.toml" -p papersift-core
echo

arxiv="$data/arxiv_cs_daily/papers.jsonl.gz"
if [ -f "$arxiv" ] && [[ ",${PAPERSIFT_BENCH_SETS:-arxiv_cs_daily}," == *,arxiv_cs_daily,* ]]; then
    echo "== one arXiv CS build with the release CLI"
    cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p papersift-cli
    out="$(mktemp -d)"
    trap 'rm -rf "$out"' EXIT
    "/usr/bin/time" -v "$target/release/papersift" build "$arxiv" -o "$out/arxiv" --skip-invalid \
        >"$out/build.log" 2>"$out/time.log"
    cat "$out/build.log"
    wall="$(sed -n -E 's/.*Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): //p' "$out/time.log")"
    user="$(sed -n -E 's/.*User time \(seconds\): //p' "$out/time.log")"
    rss_kb="$(sed -n -E 's/.*Maximum resident set size \(kbytes\): //p' "$out/time.log")"
    echo
    echo "| arXiv CS build (release CLI, one run) | wall | user | peak RSS | index |"
    echo "|---|---:|---:|---:|---:|"
    echo "| $(zcat "$arxiv" | wc -l) papers, $(zcat "$arxiv" | wc -c | awk '{printf "%.0f MB", $1 / 1e6}') JSONL | $wall | ${user} s | $(awk -v k="$rss_kb" 'BEGIN {printf "%.0f MiB", k / 1024}') | $(du -m "$out/arxiv/papersift.idx" | cut -f1) MB |"
    echo
else
    echo "!!! bench-core.sh: SKIPPING the arXiv CS CLI build: $arxiv is missing or not in PAPERSIFT_BENCH_SETS." >&2
fi

echo "== criterion medians (noisy on a shared machine: compare runs, not single numbers)"
print_tables
echo "HTML reports: $criterion_dir/report/index.html"
