//! What the benches share: finding the data sets, building their indexes, and the query classes
//! (the core's [`workload`]), drawn from the papers themselves so every run times the same queries.
//!
//! The data lives outside the repository (`../shared/data`, or `PAPERSIFT_BENCH_DATA`). When it
//! is missing, benches say so loudly on stderr and skip what needs it instead of failing.
//! `PAPERSIFT_BENCH_SETS=scifact` limits a run to the named sets (comma-separated).
#![allow(dead_code)] // Each bench binary uses a different part of this module.

use std::io::Read;
use std::path::PathBuf;

use papersift_core::builder::{build_index, build_pieces, BuildOptions, PieceSizes, Source};
use papersift_core::format::dictionary::Chunk;
use papersift_core::format::piece::HEADER_LEN;
use papersift_core::record::{read_records, InputFormat, Record};
pub use papersift_core::workload::{self, QueryClass};
use papersift_core::Index;

/// The sets the benches know, with their file inside the data directory.
pub const SETS: [(&str, &str); 2] =
    [("scifact", "scifact/papers.jsonl.gz"), ("arxiv_cs_daily", "arxiv_cs_daily/papers.jsonl.gz")];

/// One data set, decompressed and parsed.
pub struct Corpus {
    /// The set's folder name.
    pub name: &'static str,
    /// The records file, decompressed (JSON Lines).
    pub jsonl: Vec<u8>,
    /// The valid records, in file order.
    pub records: Vec<Record>,
}

impl Corpus {
    /// Builds the index as `papersift build --skip-invalid` does (a few records in the sets are empty).
    pub fn build(&self) -> Vec<u8> {
        let options = BuildOptions { skip_invalid: true, ..BuildOptions::default() };
        let (bytes, _) = build_index(vec![Source::from_bytes("papers.jsonl", &self.jsonl)], &options)
            .expect("skip_invalid builds never fail");
        bytes
    }
}

fn data_dir() -> PathBuf {
    match std::env::var_os("PAPERSIFT_BENCH_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    }
}

fn wanted(name: &str) -> bool {
    match std::env::var("PAPERSIFT_BENCH_SETS") {
        Ok(list) => list.split(',').any(|n| n.trim() == name),
        Err(_) => true,
    }
}

/// Loads the set `name`, or explains on stderr why not and returns `None`.
pub fn load(name: &'static str) -> Option<Corpus> {
    let (_, file) = SETS.iter().find(|(n, _)| *n == name).expect("a set listed in SETS");
    if !wanted(name) {
        eprintln!("bench: skipping {name}: not in PAPERSIFT_BENCH_SETS");
        return None;
    }
    let path = data_dir().join(file);
    let compressed = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("\n!!! bench: SKIPPING every {name} benchmark: cannot read {} ({error}).", path.display());
            eprintln!("!!! bench: the data sets live in ../shared/data next to the repository; set PAPERSIFT_BENCH_DATA to where they are.\n");
            return None;
        }
    };
    let mut jsonl = Vec::new();
    flate2::read::GzDecoder::new(compressed.as_slice())
        .read_to_end(&mut jsonl)
        .unwrap_or_else(|e| panic!("{} is not valid gzip: {e}", path.display()));
    let records: Vec<Record> = read_records(name, Box::new(jsonl.as_slice()), Some(InputFormat::Jsonl))
        .filter_map(|item| item.ok().map(|(_, record)| record))
        .collect();
    Some(Corpus { name, jsonl, records })
}

/// The raw bytes of the whole term dictionary as one `fst::Map` (term to postings offset and
/// document frequency): the corpus built with a single dictionary chunk.
pub fn terms_fst(corpus: &Corpus) -> Vec<u8> {
    let sizes = PieceSizes { term_chunk_bytes: usize::MAX / 2, ..PieceSizes::default() };
    let options = BuildOptions { skip_invalid: true, sizes, ..BuildOptions::default() };
    let (built, _) = build_pieces(vec![Source::from_bytes("papers.jsonl", &corpus.jsonl)], &options)
        .expect("skip_invalid builds never fail");
    assert_eq!(built.root.chunks.len(), 1, "one dictionary chunk");
    let piece = built.piece(0).expect("pieces in memory read back");
    let chunk = Chunk::open(&piece[HEADER_LEN..]).expect("a chunk from the builder");
    chunk.terms.as_fst().as_bytes().to_vec()
}

/// SplitMix64: a fixed-seed generator for picking sample words, without a `rand` dependency.
pub struct Rng(u64);

impl Rng {
    /// A generator with a fixed seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z % n as u64) as usize
    }
}

/// Queries per class.
pub const QUERIES_PER_CLASS: usize = 20;

/// The query classes for a corpus: the core's [`workload::query_classes`], drawn from the
/// index's own titles with a fixed seed so every run times the same queries.
pub fn query_classes(index: &[u8]) -> Vec<QueryClass> {
    let index = Index::from_bytes(index).expect("index bytes from the builder");
    workload::query_classes(&index, QUERIES_PER_CLASS, 0x9a9e_5157)
}

/// Queries per worst-case class: each is a megabyte or 10,000 words, so a few do.
pub const WORST_CASE_QUERIES_PER_CLASS: usize = 4;

/// The worst-case classes for a corpus ([`workload::worst_case_classes`]), with the same seed.
pub fn worst_case_classes(index: &[u8]) -> Vec<QueryClass> {
    let index = Index::from_bytes(index).expect("index bytes from the builder");
    workload::worst_case_classes(&index, WORST_CASE_QUERIES_PER_CLASS, 0x9a9e_5157)
}
