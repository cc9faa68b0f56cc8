#!/usr/bin/env bash
# Writes the seed corpora under fuzz/corpus/<target>/ from the repository's own fixtures: the
# golden index, single-file and sharded builds of small fixtures (made with the CLI), every
# record fixture, and queries in the query syntax. Each seed starts with the target's mode byte
# (see the targets' doc comments). Run again after a format change; the seeds are committed.
#
# Usage: fuzz/seeds.sh   (PAPERSIFT_BIN=path/to/papersift, else the debug CLI is built)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PAPERSIFT_BIN:-}" ]; then
  cargo build --quiet -p papersift-cli
  PAPERSIFT_BIN=target/debug/papersift
fi
corpus=fuzz/corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# seed TARGET NAME MODE FILE...: writes the mode byte, then the files, as corpus/TARGET/NAME.
seed() {
  local target=$1 name=$2 mode=$3
  shift 3
  mkdir -p "$corpus/$target"
  { printf "\\x$(printf %02x "$mode")"; cat "$@"; } >"$corpus/$target/$name"
}

# build NAME SHARDS INPUT: a site of INPUT in $work/NAME.
build() {
  "$PAPERSIFT_BIN" build --shards "$2" "$3" -o "$work/$1" >/dev/null
}

rm -rf "${corpus:?}"/index_file "$corpus"/index_pieces "$corpus"/records "$corpus"/query

# index_file: mode 0 loads the bytes as they are, mode 1 repairs checksums first.
build tiny off tests/fixtures/cli/tiny.jsonl
build papers off tests/fixtures/papers.jsonl
build tiny_sharded on tests/fixtures/cli/tiny.jsonl
for mode in 0 1; do
  seed index_file "golden_v4_$mode" "$mode" tests/golden/v4.idx
  seed index_file "tiny_$mode" "$mode" "$work/tiny/papersift.idx"
  seed index_file "papers_$mode" "$mode" "$work/papers/papersift.idx"
  seed index_file "tiny_root_$mode" "$mode" "$work/tiny_sharded/papersift.idx"
done

# index_pieces: the root, then `\n=PIECE=name\n` and each piece's bytes. Mode 1 repairs
# checksums, mode 3 also adds every piece up front; mode 0 takes the bytes as they are.
build papers_sharded on tests/fixtures/papers.jsonl
for site in tiny_sharded papers_sharded; do
  framed="$work/$site.framed"
  cat "$work/$site/papersift.idx" >"$framed"
  (cd "$work/$site/papersift" && find . -name '*.bin' | sort) | while read -r piece; do
    name=${piece#./}
    printf '\n=PIECE=%s\n' "${name%.bin}" >>"$framed"
    cat "$work/$site/papersift/$piece" >>"$framed"
  done
  for mode in 0 1 3; do
    seed index_pieces "${site}_$mode" "$mode" "$framed"
  done
done

# records: the low four bits pick the source (0 detects from content; 1-7 name a file with an
# extension; 8-15 give the format explicitly), bit 7 skips invalid records.
records_seed() {
  local mode=$1 file=$2
  seed records "$(basename "$file")_$mode" "$mode" "$file"
}
for file in tests/fixtures/*.* tests/fixtures/bad/* tests/fixtures/cli/*.jsonl; do
  records_seed 0 "$file"
done
records_seed 1 tests/fixtures/papers.jsonl
records_seed $((0x80 | 1)) tests/fixtures/bad/wrong_type.jsonl
records_seed 2 tests/fixtures/papers.json
records_seed 3 tests/fixtures/zotero.csv
records_seed $((0x80 | 3)) tests/fixtures/bad/short_row.csv
records_seed 4 tests/fixtures/papers_real.bib
records_seed $((0x80 | 4)) tests/fixtures/bad/bad_field.bib
records_seed 5 tests/fixtures/papers.ris
records_seed 6 tests/fixtures/arxiv.xml
records_seed 10 tests/fixtures/papers.csl.json
records_seed 15 tests/fixtures/cli/tiny.jsonl
head -c 3000 data/daily_papers.txt >"$work/daily.txt"
records_seed 7 "$work/daily.txt"
records_seed 15 "$work/daily.txt"

# query: six option bytes (flags, limit, offset, snippet length, year min, year max), then the
# query, then optional author and venue filters after \x1e.
query_seed() {
  mkdir -p "$corpus/query"
  printf "$2" >"$corpus/query/$1"
}
query_seed plain '\x8f\x0a\x00\x40\x00\x00language models'
query_seed prefix '\x0f\x0a\x00\x40\x00\x00diffusion mod'
query_seed typos '\x8b\x05\x00\x40\x00\x00difusion tranformer'
query_seed phrase '\x8c\x0a\x00\x40\x00\x00"vision-language" safty -video'
query_seed fields '\x0f\x0a\x02\x40\x00\x00title:models abstract:reasoning author:li venue:arxiv'
query_seed years '\x0f\x0a\x00\x40\x7a\x7e year:2019..2025 agents'
query_seed filters '\x8f\x14\x00\x20\x00\x00learning\x1eZhang;Wang\x1earXiv'
query_seed unclosed '\x0f\x0a\x00\x40\x00\x00"model merg'
query_seed extremes '\x0f\xff\xff\xff\x01\xff-"" --  title: year:abc “quoted”'
query_seed unicode '\x8f\x0a\x00\x40\x00\x00Schrödinger ﬁne-tuning 東京 İstanbul'
