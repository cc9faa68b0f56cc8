//! Measures what checking the dictionary costs when a terms piece is loaded (`Chunk::check`): the
//! CRC32C each fst carries, and the structural walk (`fst::raw::Fst::verify_structure`) that
//! makes a forged CRC harmless. Builds each records file with the default piece sizes (the
//! sharded layout), then times both checks over every terms piece, the fastest of 20 rounds, and
//! for scale the whole load of the same index as a single file (`Index::from_bytes`, every
//! piece's checksum and checks, the structural walk included). docs/RELIABILITY.md records the
//! output.
//!
//! cargo run --release -p papersift-core --example dictionary_check [-- RECORDS...]
//! (default: data/daily_papers.txt and ../shared/data/arxiv_cs_daily/papers.jsonl.gz)

use std::time::{Duration, Instant};

use papersift_core::builder::{build_pieces, BuildOptions, Source};
use papersift_core::format::dictionary::Chunk;
use papersift_core::format::piece::{PieceKind, HEADER_LEN};
use papersift_core::Index;

/// Runs `check` over every chunk `rounds` times; returns the fastest round.
fn fastest(rounds: usize, chunks: &[Chunk<'_>], check: impl Fn(&fst::raw::Fst<&[u8]>) -> fst::Result<()>) -> Duration {
    (0..rounds)
        .map(|_| {
            let started = Instant::now();
            for chunk in chunks {
                for fst in [chunk.terms.as_fst(), chunk.stems.as_fst()] {
                    check(fst).expect("an fst from the builder passes");
                }
            }
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        paths = vec![
            format!("{root}/data/daily_papers.txt"),
            format!("{root}/../shared/data/arxiv_cs_daily/papers.jsonl.gz"),
        ];
    }
    println!(
        "| records | terms pieces | fst bytes | CRC32C | structure | structure per MB of fst | single-file load |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for path in &paths {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        let options = BuildOptions { skip_invalid: true, ..BuildOptions::default() };
        let (built, _) = build_pieces(vec![Source::from_bytes(path.clone(), &bytes)], &options).unwrap();
        let pieces: Vec<Vec<u8>> = built
            .root
            .piece_ids()
            .enumerate()
            .filter(|(_, id)| id.kind == PieceKind::Terms)
            .map(|(i, _)| built.piece(i).unwrap())
            .collect();
        let chunks: Vec<Chunk<'_>> =
            pieces.iter().map(|p| Chunk::open(&p[HEADER_LEN..]).expect("a chunk from the builder")).collect();
        let fst_bytes: usize =
            chunks.iter().map(|c| c.terms.as_fst().as_bytes().len() + c.stems.as_fst().as_bytes().len()).sum();
        let crc = fastest(20, &chunks, |fst| fst.verify());
        let structure = fastest(20, &chunks, |fst| fst.verify_structure());
        let file = built.single_file().unwrap();
        let load = (0..5)
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(Index::from_bytes(file.as_slice()).expect("a fresh index loads"));
                started.elapsed()
            })
            .min()
            .unwrap_or_default();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let name = path.rsplit('/').take(2).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("/");
        println!(
            "| {name} | {} | {fst_bytes} | {:.2} ms | {:.2} ms | {:.1} ms | {:.1} ms |",
            chunks.len(),
            ms(crc),
            ms(structure),
            ms(structure) / (fst_bytes as f64 / 1e6),
            ms(load),
        );
    }
}
