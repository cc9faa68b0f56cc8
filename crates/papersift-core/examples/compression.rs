//! Measures the codecs considered for the document store's blocks on a real corpus: compressed
//! size and native decode time of LZ4 (lz4_flex, the one the format uses), deflate (miniz_oxide
//! through flate2, what `DecompressionStream('deflate-raw')` reads) and zstd (ruzstd, its
//! fastest encoder), for blocks of 16, 64 and 256 documents. docs/SHARDS.md records the output.
//!
//! cargo run --release -p papersift-core --example compression [-- RECORDS]
//! (default: ../shared/data/scifact/papers.jsonl.gz)

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use papersift_core::builder::{build_pieces, BuildOptions, PieceSizes, Source};
use papersift_core::format::piece::{PieceKind, HEADER_LEN};
use papersift_core::format::store;

/// Decodes every block `rounds` times; returns the fastest round (the least disturbed by the
/// other work on the machine).
fn fastest(rounds: usize, mut decode_all: impl FnMut() -> usize) -> Duration {
    (0..rounds)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(decode_all());
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/scifact/papers.jsonl.gz").into());
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    println!("{path}\n");
    println!("| docs per block | blocks | raw bytes | codec | compressed | ratio | decode all blocks | per block |");
    println!("|---:|---:|---:|---|---:|---:|---:|---:|");
    postings(&path, &bytes);
    for docs_per_piece in [16u32, 64, 256] {
        let sizes = PieceSizes { docs_per_piece, ..PieceSizes::default() };
        let options = BuildOptions { skip_invalid: true, sizes, ..BuildOptions::default() };
        let (built, _) = build_pieces(vec![Source::from_bytes(path.clone(), &bytes)], &options).unwrap();
        let all: Vec<Vec<u8>> = (0..built.root.pieces.len()).map(|i| built.piece(i).unwrap()).collect();
        let blocks: Vec<Vec<u8>> = built
            .root
            .piece_ids()
            .zip(&all)
            .filter(|(id, _)| id.kind == PieceKind::Docs)
            .map(|(_, piece)| store::decompress(&piece[HEADER_LEN..]).expect("a block from the builder"))
            .collect();
        let raw: usize = blocks.iter().map(Vec::len).sum();
        let lz4: Vec<Vec<u8>> = blocks.iter().map(|b| store::compress(b)).collect();
        let deflate: Vec<Vec<u8>> = blocks
            .iter()
            .map(|b| {
                let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
                encoder.write_all(b).unwrap();
                encoder.finish().unwrap()
            })
            .collect();
        let zstd: Vec<Vec<u8>> = blocks
            .iter()
            .map(|b| ruzstd::encoding::compress_to_vec(b.as_slice(), ruzstd::encoding::CompressionLevel::Fastest))
            .collect();
        let rounds = 20;
        let results = [
            (
                "lz4_flex",
                &lz4,
                fastest(rounds, || lz4.iter().map(|c| store::decompress(c).map_or(0, |v| v.len())).sum()),
            ),
            (
                "deflate (miniz_oxide, best)",
                &deflate,
                fastest(rounds, || {
                    deflate
                        .iter()
                        .map(|c| {
                            let mut out = Vec::new();
                            flate2::read::DeflateDecoder::new(c.as_slice()).read_to_end(&mut out).unwrap();
                            out.len()
                        })
                        .sum()
                }),
            ),
            (
                "zstd (ruzstd, fastest)",
                &zstd,
                fastest(rounds, || {
                    zstd.iter()
                        .map(|c| {
                            let mut out = Vec::new();
                            let mut source = c.as_slice();
                            ruzstd::decoding::StreamingDecoder::new(&mut source)
                                .unwrap()
                                .read_to_end(&mut out)
                                .unwrap();
                            out.len()
                        })
                        .sum()
                }),
            ),
        ];
        for (codec, compressed, time) in results {
            let size: usize = compressed.iter().map(Vec::len).sum();
            println!(
                "| {docs_per_piece} | {} | {raw} | {codec} | {size} | {:.0}% | {:.2} ms | {:.1} µs |",
                blocks.len(),
                100.0 * size as f64 / raw as f64,
                time.as_secs_f64() * 1e3,
                time.as_secs_f64() * 1e6 / blocks.len() as f64
            );
        }
    }
}

/// The same codecs on postings pieces (varint-coded lists), which the format keeps raw.
fn postings(path: &str, bytes: &[u8]) {
    let options = BuildOptions { skip_invalid: true, ..BuildOptions::default() };
    let (built, _) = build_pieces(vec![Source::from_bytes(path.to_string(), bytes)], &options).unwrap();
    let all: Vec<Vec<u8>> = (0..built.root.pieces.len()).map(|i| built.piece(i).unwrap()).collect();
    let pieces: Vec<&[u8]> = built
        .root
        .piece_ids()
        .zip(&all)
        .filter(|(id, _)| id.kind == PieceKind::Postings)
        .map(|(_, piece)| &piece[HEADER_LEN..])
        .collect();
    let raw: usize = pieces.iter().map(|p| p.len()).sum();
    let lz4: usize = pieces.iter().map(|p| store::compress(p).len()).sum();
    let deflate: usize = pieces
        .iter()
        .map(|p| {
            let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
            encoder.write_all(p).unwrap();
            encoder.finish().unwrap().len()
        })
        .sum();
    println!(
        "postings: {} pieces, {raw} bytes raw; lz4_flex {:.0}%, deflate {:.0}%\n",
        pieces.len(),
        100.0 * lz4 as f64 / raw as f64,
        100.0 * deflate as f64 / raw as f64
    );
}
