#!/usr/bin/env bash
# Sharded and single-file sites rank alike: for each dev set in ../shared/data (scifact,
# cranfield, cisi, med, and scifact with one seeded typo per query) this builds the set twice
# (`--shards on` and `--shards off`), runs every dev query on both with
# `papersift query --queries` (top 10, ids and scores; the sharded site loads its pieces from
# disk query by query, as a browser does), and compares the output byte for byte.
#
# Exit status: 0 when every set matches, 1 on any difference or error, 77 (skipped) when the
# data directory is missing: that is not a pass, and scripts/test.sh does not count it as one.
#
# Usage: scripts/shards_identity.sh   (PAPERSIFT_EVAL_DATA=/path/to/data, PAPERSIFT_BIN=papersift)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${PAPERSIFT_EVAL_DATA:-$root/../shared/data}"
if [ ! -d "$data" ]; then
    echo "shards_identity.sh: SKIPPED, nothing compared: no evaluation data at $data" >&2
    echo "shards_identity.sh: expected ../shared/data next to the repository, or PAPERSIFT_EVAL_DATA" >&2
    exit 77
fi

if [ -z "${PAPERSIFT_BIN:-}" ]; then
    cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p papersift-cli
    PAPERSIFT_BIN="${CARGO_TARGET_DIR:-$root/target}/release/papersift"
fi
papersift="$PAPERSIFT_BIN"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

papers_of() {
    for name in papers.jsonl.gz papers.jsonl; do
        if [ -f "$data/$1/$name" ]; then
            echo "$data/$1/$name"
            return
        fi
    done
    echo "shards_identity.sh: no papers.jsonl[.gz] in $data/$1" >&2
    exit 1
}

# compare LABEL SET QUERIES: top 10 of every query, sharded against single-file.
compare() {
    local label="$1" set="$2" queries="$3"
    local one="$work/$set-one" sharded="$work/$set-sharded"
    [ -d "$one" ] || "$papersift" build "$(papers_of "$set")" -o "$one" --shards off --skip-invalid >/dev/null
    [ -d "$sharded" ] || "$papersift" build "$(papers_of "$set")" -o "$sharded" --shards on --skip-invalid >/dev/null
    "$papersift" query "$one" --queries "$queries" --limit 10 >"$work/$label.one"
    "$papersift" query "$sharded" --queries "$queries" --limit 10 >"$work/$label.sharded"
    local count pieces
    count=$(wc -l <"$work/$label.one")
    pieces=$(find "$sharded/papersift" -name '*.bin' | wc -l)
    if [ "$count" -eq 0 ] || ! cmp -s "$work/$label.one" "$work/$label.sharded"; then
        echo "not ok - $label: sharded ($pieces pieces) and single-file top 10 differ:" >&2
        diff "$work/$label.one" "$work/$label.sharded" | head -10 >&2
        return 1
    fi
    echo "ok - $label: $count queries, same top 10 ids and scores (sharded: $pieces pieces)"
}

status=0
for set in scifact cranfield cisi med; do
    compare "$set" "$set" "$data/$set/queries.jsonl" || status=1
done
"$papersift" eval --queries "$data/scifact/queries.jsonl" --typo-seed 1 --write-queries "$work/typos.jsonl" >/dev/null
compare "scifact-typos" scifact "$work/typos.jsonl" || status=1
exit "$status"
