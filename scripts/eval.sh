#!/usr/bin/env bash
# Ranking quality on the dev sets, as a markdown table for docs/RELEVANCE.md.
#
# For each set in ../shared/data (scifact, cranfield, cisi, med) this builds an index with the
# release binary, runs `papersift eval` (the same search as `papersift query`, top 100), and
# prints nDCG@10, Recall@100 and MRR@10 next to a plain BM25 baseline. scifact is evaluated a
# second time with one seeded typo per query.
#
# Usage: scripts/eval.sh            (data in ../shared/data, relative to the repository)
#        PAPERSIFT_EVAL_DATA=/path/to/data TYPO_SEED=7 scripts/eval.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${PAPERSIFT_EVAL_DATA:-$root/../shared/data}"
typo_seed="${TYPO_SEED:-1}"

if [ ! -d "$data" ]; then
    echo "eval.sh: no evaluation data at $data" >&2
    echo "eval.sh: expected ../shared/data next to the repository, with scifact/, cranfield/, cisi/ and med/;" >&2
    echo "eval.sh: set PAPERSIFT_EVAL_DATA to where they are" >&2
    exit 1
fi
data="$(cd "$data" && pwd)"

# nDCG@10 of plain BM25 on each set (no fields, no typos, no prefixes), for comparison.
declare -A bm25_ndcg=([scifact]=0.640 [cranfield]=0.306 [cisi]=0.254 [med]=0.751)
sets=(scifact cranfield cisi med)

cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p papersift-cli
papersift="${CARGO_TARGET_DIR:-$root/target}/release/papersift"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The value of a top-level number field in a one-line JSON object.
json_number() {
    sed -E "s/.*\"$1\":([-0-9.eE+]+|null).*/\1/" <<<"$2"
}

papers_of() {
    local dir="$data/$1"
    for name in papers.jsonl.gz papers.jsonl; do
        if [ -f "$dir/$name" ]; then
            echo "$dir/$name"
            return
        fi
    done
    echo "eval.sh: no papers.jsonl[.gz] in $dir" >&2
    exit 1
}

# Prints one table row: label, then the eval's JSON.
row() {
    local label="$1" baseline="$2" json="$3"
    printf '| %s | %s | %.3f | %.3f | %.3f | %s |\n' \
        "$label" \
        "$(json_number queries "$json")" \
        "$(json_number ndcg_at_10 "$json")" \
        "$(json_number recall_at_100 "$json")" \
        "$(json_number mrr_at_10 "$json")" \
        "$baseline"
}

for set in "${sets[@]}"; do
    for name in queries.jsonl qrels.tsv; do
        if [ ! -f "$data/$set/$name" ]; then
            echo "eval.sh: missing $data/$set/$name" >&2
            exit 1
        fi
    done
done

echo "| set | queries | nDCG@10 | Recall@100 | MRR@10 | BM25 nDCG@10 |"
echo "|---|---:|---:|---:|---:|---:|"
notes=()
for set in "${sets[@]}"; do
    # Some sets hold a few empty records (no title, no abstract); they could never be found, so
    # they are left out rather than failing the run, and counted below.
    build_summary="$("$papersift" build "$(papers_of "$set")" -o "$work/$set" --skip-invalid)"
    invalid="$(sed -n -E 's/^records skipped: *([0-9]+)$/\1/p' <<<"$build_summary")"
    if [ "$invalid" != 0 ]; then
        notes+=("$set: $invalid invalid records (e.g. neither title nor abstract) left out of the index.")
    fi
    eval_args=("$work/$set" --queries "$data/$set/queries.jsonl" --qrels "$data/$set/qrels.tsv" --json)
    json="$("$papersift" eval "${eval_args[@]}")"
    row "$set" "${bm25_ndcg[$set]}" "$json"
    skipped="$(json_number skipped_no_relevant "$json")"
    if [ "$skipped" != 0 ]; then
        notes+=("$set: $skipped queries without a relevant judgment left out of the means.")
    fi
    if [ "$set" = scifact ]; then
        json="$("$papersift" eval "${eval_args[@]}" --typo-seed "$typo_seed")"
        row "scifact, one typo per query" "${bm25_ndcg[scifact]} (no typos)" "$json"
        notes+=("Typos: one random deletion, insertion, substitution or adjacent transposition in one word of 5+ letters per query, seed $typo_seed; $(json_number typo_unchanged "$json") queries had no such word and were left as they were.")
    fi
done
echo
for note in "${notes[@]}"; do
    echo "$note"
done
