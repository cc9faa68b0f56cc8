//! Inputs the fuzz targets (`fuzz/`, see docs/RELIABILITY.md) found crashing, one test each,
//! named after the bug. Corrupt indexes are made here, from a fresh build of a committed fixture,
//! with the same corruption the fuzzer found and the same repairs its harness makes (piece
//! checksums, root lengths, fst CRC32Cs), so that they follow the index format as it changes;
//! record inputs are in tests/fixtures/fuzz/.

use std::ops::Range;

use papersift_core::builder::{build_pieces, BuildOptions, BuiltIndex, PieceSizes, Source};
use papersift_core::format::dictionary::Chunk;
use papersift_core::format::piece::{self, PieceEntry, HEADER_LEN};
use papersift_core::format::{IndexFile, PieceId, PieceKind};
use papersift_core::record::read_records;
use papersift_core::{Index, SearchOptions};

#[path = "support/forged_crc.rs"]
mod forged_crc;
use forged_crc::forge_fst_checksum;

const PAPERS: &[u8] = include_bytes!("../../../tests/fixtures/papers.jsonl");
const CROSSREF_NAMES_ITSELF: &[u8] = include_bytes!("../../../tests/fixtures/fuzz/crossref_names_itself.bib");

/// The papers fixture, built with `sizes`.
fn papers(sizes: PieceSizes) -> BuiltIndex {
    let options = BuildOptions { sizes, ..BuildOptions::default() };
    build_pieces(vec![Source::from_bytes("papers.jsonl", PAPERS)], &options).unwrap().0
}

/// Where the terms fst lies in a terms piece (header included), as the format's reader finds it.
fn terms_fst(piece: &[u8]) -> Range<usize> {
    let body = &piece[HEADER_LEN..];
    let fst = Chunk::open(body).unwrap().terms.as_fst().as_bytes().as_ptr_range();
    let start = HEADER_LEN + (fst.start as usize - body.as_ptr() as usize);
    start..start + (fst.end as usize - fst.start as usize)
}

/// Where an fst's root address lies: the `u64` before the CRC32C that ends the fst (`fst`
/// format 3: nodes, key count `u64`, root address `u64`, CRC32C `u32`).
fn root_address(fst: Range<usize>) -> Range<usize> {
    fst.end - 12..fst.end - 4
}

/// Makes the root node of a terms piece's fst say its transition addresses are 9 bytes wide
/// (`fst` asserts at most 8 when it reads one), and returns the fst's range in the piece.
fn widen_root_addresses(piece: &mut [u8]) -> Range<usize> {
    let fst = terms_fst(piece);
    let root = fst.start + u64::from_le_bytes(piece[root_address(fst.clone())].try_into().unwrap()) as usize;
    let state = piece[root];
    // A node with several transitions: its state byte, the transition count unless the state
    // byte holds it, then the byte of pack sizes (address width high, output width low).
    assert_eq!(state >> 6 & 0b10, 0, "the root node has one transition: {state:#010b}");
    let sizes = root - 1 - usize::from(state & 0b11_1111 == 0);
    piece[sizes] = 9 << 4 | piece[sizes] & 0x0f;
    fst
}

/// Recomputes a piece's checksum over its (corrupted) body, as the fuzz harness does, so that
/// only the checks behind it can catch the corruption.
fn repair_piece(id: PieceId, build_id: u64, piece: &mut Vec<u8>) {
    *piece = piece::encode(id, build_id, &piece[HEADER_LEN..]);
}

#[test]
fn a_terms_fst_with_a_node_past_its_end_is_refused_at_load_not_panicking_in_search() {
    // The fst's root address points past the fst's end. `fst` checks that address only when it
    // is 0, so the fst opens; its own CRC32C covers it, and a search used to index past the end.
    let built = papers(PieceSizes::default());
    let terms = PieceId { kind: PieceKind::Terms, index: 0 };
    let ordinal = built.root.ordinal(terms).unwrap();
    let mut piece = built.piece(ordinal).unwrap();
    let fst = terms_fst(&piece);
    piece[root_address(fst.clone())].copy_from_slice(&(fst.len() as u64 + 1000).to_le_bytes());
    repair_piece(terms, built.root.build_id, &mut piece);
    let mut file = built.single_file().unwrap();
    let range = IndexFile::parse(&file).unwrap().inline.unwrap()[ordinal].clone();
    file[range].copy_from_slice(&piece);

    match Index::from_bytes(file) {
        Ok(index) => {
            let _ = index.search(&index.root().chunks[0].first, &SearchOptions::default());
            panic!("a corrupt terms fst loaded");
        }
        Err(error) => {
            assert_eq!(
                error.to_string(),
                "index piece terms/00/0000 failed its checksum; rebuild or copy the index again"
            )
        }
    }
}

#[test]
fn a_terms_piece_whose_fst_has_a_bad_integer_width_is_refused_when_added() {
    // The root node of the second chunk's terms fst says its transition addresses are 9 bytes
    // wide: `fst` asserted widths of at most 8 when a search read one.
    let built = papers(PieceSizes { term_chunk_bytes: 256, ..PieceSizes::default() });
    let terms = PieceId { kind: PieceKind::Terms, index: 1 };
    let ordinal = built.root.ordinal(terms).expect("the papers fixture has two dictionary chunks");
    let mut piece = built.piece(ordinal).unwrap();
    widen_root_addresses(&mut piece);
    repair_piece(terms, built.root.build_id, &mut piece);

    let mut index = Index::from_bytes(built.root_file()).unwrap();
    match index.add_piece(&terms.name(), piece) {
        Ok(()) => {
            let _ = index.search(&index.root().chunks[1].first, &SearchOptions::default());
            panic!("a corrupt terms fst was added");
        }
        Err(error) => assert_eq!(error.to_string(), "terms/00/0001 failed its checksum"),
    }
    assert!(!index.is_loaded(terms));
}

#[test]
fn a_terms_fst_with_a_bad_integer_width_and_a_forged_crc32c_is_refused_not_asserting_in_completions() {
    // As above, the root node's transition addresses are 9 bytes wide, but the fst's CRC32C is
    // forged to match, as libFuzzer's compare tracing did: the CRC passed, and a completion scan
    // (`Dictionary::completions`) failed the width assertion in `fst/src/bytes.rs`.
    let built = papers(PieceSizes { term_chunk_bytes: 256, ..PieceSizes::default() });
    let terms = PieceId { kind: PieceKind::Terms, index: 1 };
    let ordinal = built.root.ordinal(terms).expect("the papers fixture has two dictionary chunks");
    let mut piece = built.piece(ordinal).unwrap();
    let fst = widen_root_addresses(&mut piece);
    forge_fst_checksum(&mut piece[fst.clone()]);
    fst::raw::Fst::new(&piece[fst]).unwrap().verify().expect("the forged CRC32C passes");
    repair_piece(terms, built.root.build_id, &mut piece);
    let reason = Chunk::check(&piece[HEADER_LEN..]).err().expect("the structural check refuses it").to_string();
    assert!(reason.contains("is malformed: a packed integer width is not between 1 and 8"), "{reason}");

    let mut file = built.single_file().unwrap();
    let range = IndexFile::parse(&file).unwrap().inline.unwrap()[ordinal].clone();
    file[range].copy_from_slice(&piece);
    match Index::from_bytes(file) {
        Ok(index) => {
            // The last word of a query is completed (`prefix` is on by default).
            let _ = index.search(&index.root().chunks[1].first, &SearchOptions::default());
            panic!("a terms fst with a forged CRC32C loaded");
        }
        Err(error) => assert_eq!(
            error.to_string(),
            "index piece terms/00/0001 failed its checksum; rebuild or copy the index again"
        ),
    }
    let mut index = Index::from_bytes(built.root_file()).unwrap();
    assert_eq!(index.add_piece(&terms.name(), piece).unwrap_err().to_string(), "terms/00/0001 failed its checksum");
}

#[test]
fn a_bibtex_crossref_or_xdata_naming_its_own_entry_does_not_overflow_the_stack() {
    let items: Vec<_> = read_records("self.bib", Box::new(CROSSREF_NAMES_ITSELF), None).collect();
    let messages: Vec<String> =
        items.iter().map(|item| item.as_ref().map_or_else(|e| e.to_string(), |(_, r)| r.title.clone())).collect();
    assert_eq!(
        messages,
        [
            "self.bib:1: crossref: the entry names itself (`icml2016`); point it at its parent entry, or remove the crossref",
            "Notes on recurrent networks",
        ]
    );
}

#[test]
fn stats_of_a_root_whose_piece_lengths_add_up_past_u64_saturate_instead_of_overflowing() {
    // A root alone (its pieces live apart), so nothing checks the lengths it lists against bytes.
    let mut root = papers(PieceSizes::tiny()).root;
    for entry in &mut root.pieces {
        *entry = PieceEntry { len: u64::MAX / 2 + 1 };
    }
    let index = Index::from_bytes(IndexFile::write_root(&root, false)).unwrap();
    let stats = index.stats();
    assert_eq!(stats.bytes, usize::MAX);
    assert!(stats.sections.iter().any(|(_, _, bytes)| *bytes == usize::MAX), "{:?}", stats.sections);
}
