#!/usr/bin/env bash
# Peak memory of the release CLI on hostile inputs, for docs/RELIABILITY.md "Bounded memory".
#
# Generates each input in a temporary directory (nothing big is committed), runs
# `/usr/bin/time -v target/release/papersift build INPUT -o DIR` on it, and prints a markdown table:
# the input, its size, the exit status, peak RSS and the first line the CLI printed about it.
# A normal build of data/daily_papers.txt is the reference.
#
# Usage: cargo build --release -p papersift-cli && bash bench/hostile_inputs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${PAPERSIFT_BIN:-target/release/papersift}
[ -x "$bin" ] || { echo "hostile_inputs: build the CLI first: cargo build --release -p papersift-cli" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A 100 MB single line, inside a JSON Lines record.
make_long_line() { { printf '{"id": "a", "title": "'; head -c 100000000 /dev/zero | tr '\0' a; printf '"}\n'; } >"$1"; }
# A BibTeX file whose first entry never closes its brace, then 100,000 good entries.
make_unclosed_bib() {
  { printf '@article{open,\n  title = {Never closed\n\n'; seq 1 100000 | awk '{ printf "@misc{k%d,\n  title = {Paper %d}\n}\n", $1, $1 }'; } >"$1"
}
# 2 GB of newlines, gzipped to about 2 MB.
make_gzip_bomb() { head -c 2000000000 /dev/zero | tr '\0' '\n' | gzip -1 >"$1"; }
# 1,000,000 records with the same id.
make_same_id() { seq 1 1000000 | awk '{ print "{\"id\": \"same\", \"title\": \"A paper about model merging\"}" }' >"$1"; }
# A record nested 400,000 arrays deep (just under the line limit), between two good ones.
make_deep_jsonl() {
  { echo '{"title": "first"}'; printf '{"title": '; head -c 400000 /dev/zero | tr '\0' '['; head -c 400000 /dev/zero | tr '\0' ']'; echo '}'; echo '{"title": "last"}'; } >"$1"
}
# A JSON array nested 10,000,000 deep (20 MB, read whole).
make_deep_json() { { head -c 10000000 /dev/zero | tr '\0' '['; head -c 10000000 /dev/zero | tr '\0' ']'; } >"$1"; }

echo "| input | size | flags | exit | peak RSS | what the CLI said |"
echo "|---|---:|---|---:|---:|---|"
run() {
  local name=$1 file=$2 flags=$3 status rss said size
  size=$(du -h "$file" | cut -f1)
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$work/time" "$bin" build "$file" -o "$work/site" $flags >"$work/stdout" 2>"$work/stderr" || true
  status=$(grep -oP 'Exit status: \K\d+' "$work/time")
  rss=$(grep -oP 'Maximum resident set size \(kbytes\): \K\d+' "$work/time")
  # The counts, then the first reason given (a skipped record, or the error).
  said=$( { grep -hE '^records (read|indexed|skipped)' "$work/stdout" | tr -s ' ' | paste -sd ',' -; grep -hE '^ +[^ ]|^error' "$work/stdout" "$work/stderr" | head -2; grep -h '^papersift:' "$work/stderr"; } | sed "s|$work/||g" | cut -c1-200 | paste -sd ' ' - | sed 's/|/\\|/g') || true
  printf '| %s | %s | %s | %s | %.1f MiB | %s |\n' "$name" "$size" "${flags:-–}" "$status" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$said"
}

run "reference: data/daily_papers.txt" data/daily_papers.txt ""
seq 1 100000 | awk '{ printf "{\"id\": \"k%d\", \"title\": \"Paper %d\"}\n", $1, $1 }' >"$work/papers.jsonl"
run "reference: 100,000 papers as JSON Lines" "$work/papers.jsonl" "" && rm "$work/papers.jsonl"
make_long_line "$work/long.jsonl" && run "one 100 MB line" "$work/long.jsonl" "--skip-invalid" && rm "$work/long.jsonl"
make_unclosed_bib "$work/unclosed.bib" && run "unclosed brace at the top, then 100,000 entries" "$work/unclosed.bib" "--skip-invalid" && rm "$work/unclosed.bib"
make_gzip_bomb "$work/bomb.jsonl.gz" && run "gzip bomb (2 GB of newlines)" "$work/bomb.jsonl.gz" "--skip-invalid" && rm "$work/bomb.jsonl.gz"
make_same_id "$work/same.jsonl"
run "1,000,000 records with one id" "$work/same.jsonl" "--skip-invalid"
run "1,000,000 records with one id" "$work/same.jsonl" ""
rm "$work/same.jsonl"
make_deep_jsonl "$work/deep.jsonl" && run "JSON Lines record nested 400,000 deep" "$work/deep.jsonl" "--skip-invalid" && rm "$work/deep.jsonl"
make_deep_json "$work/deep.json" && run "JSON array nested 10,000,000 deep" "$work/deep.json" "--skip-invalid" && rm "$work/deep.json"
