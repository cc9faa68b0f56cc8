//! Inputs the fuzz targets (`fuzz/`, see docs/RELIABILITY.md) found crashing, one test each,
//! named after the bug. The inputs are in tests/fixtures/fuzz/, as the core received them (after
//! the fuzz harness repaired their checksums).

use papersift_core::format::PieceId;
use papersift_core::record::read_records;
use papersift_core::{Index, SearchOptions};

const TERMS_FST_NODE_PAST_ITS_END: &[u8] =
    include_bytes!("../../../tests/fixtures/fuzz/terms_fst_node_past_its_end.idx");
const TERMS_FST_BAD_INTEGER_WIDTH_ROOT: &[u8] =
    include_bytes!("../../../tests/fixtures/fuzz/terms_fst_bad_integer_width.root.idx");
const TERMS_FST_BAD_INTEGER_WIDTH_PIECE: &[u8] =
    include_bytes!("../../../tests/fixtures/fuzz/terms_fst_bad_integer_width.terms_00_0001.bin");
const ROOT_PIECE_LENGTHS_OVERFLOW: &[u8] =
    include_bytes!("../../../tests/fixtures/fuzz/root_piece_lengths_overflow.idx");
const CROSSREF_NAMES_ITSELF: &[u8] = include_bytes!("../../../tests/fixtures/fuzz/crossref_names_itself.bib");

#[test]
fn a_terms_fst_with_a_node_past_its_end_is_refused_at_load_not_panicking_in_search() {
    // The piece checksum matches (the bytes were corrupted before it was computed); the fst's
    // own CRC does not, and a search used to index past the fst's end.
    match Index::from_bytes(TERMS_FST_NODE_PAST_ITS_END) {
        Ok(index) => {
            let _ = index.search("model", &SearchOptions::default());
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
    let mut index = Index::from_bytes(TERMS_FST_BAD_INTEGER_WIDTH_ROOT).unwrap();
    let error = index.add_piece("terms/00/0001", TERMS_FST_BAD_INTEGER_WIDTH_PIECE.to_vec()).unwrap_err();
    assert_eq!(error.to_string(), "terms/00/0001 failed its checksum");
    assert!(!index.is_loaded(PieceId::parse("terms/00/0001").unwrap()));
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
    let index = Index::from_bytes(ROOT_PIECE_LENGTHS_OVERFLOW).unwrap();
    let stats = index.stats();
    assert_eq!(stats.bytes, usize::MAX);
    assert!(stats.sections.iter().any(|(_, _, bytes)| *bytes == usize::MAX), "{:?}", stats.sections);
}
