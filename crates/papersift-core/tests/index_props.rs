//! Property tests over the whole engine: any query is safe, builds round-trip, and any damage to
//! index bytes is rejected with an error.

use std::sync::OnceLock;

use papersift_core::builder::{build_index, BuildOptions, IndexBuilder, Source};
use papersift_core::{Index, Record, SearchOptions};
use proptest::prelude::*;

fn default_index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let corpus = include_bytes!("../../../data/daily_papers.txt");
        let (bytes, _) =
            build_index(vec![Source::from_bytes("daily_papers.txt", corpus)], &BuildOptions::default()).unwrap();
        Index::from_bytes(bytes).unwrap()
    })
}

fn small_index_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let fixture = include_bytes!("../../../tests/fixtures/papers.jsonl");
        build_index(vec![Source::from_bytes("papers.jsonl", fixture)], &BuildOptions::default()).unwrap().0
    })
}

/// Query strings that lean on the syntax: quotes, fields, ranges, dashes, odd Unicode.
fn query_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z]{1,12}",
        Just("\"".to_string()),
        Just("-".to_string()),
        Just("title:".to_string()),
        Just("author:".to_string()),
        Just("venue:".to_string()),
        Just("year:".to_string()),
        "year:[0-9]{0,5}\\.\\.[0-9]{0,5}",
        Just("..".to_string()),
        Just(" ".to_string()),
        "\\PC{1,6}",
        Just("GPT-4".to_string()),
        Just("Schrödinger".to_string()),
        Just("\u{0301}\u{200d}\u{fe0f}".to_string()),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

fn word() -> impl Strategy<Value = String> {
    "[a-z]{3,10}"
}

fn record_strategy() -> impl Strategy<Value = Record> {
    (
        prop::collection::vec(word(), 1..8),
        prop::collection::vec(word(), 0..30),
        prop::collection::vec("[A-Z][a-z]{2,8} [A-Z][a-z]{2,10}", 0..4),
        prop::option::of(1950u16..2030),
        prop::option::of("[A-Z]{2,6}"),
    )
        .prop_map(|(title, abstract_words, authors, year, venue)| Record {
            id: String::new(),
            title: title.join(" "),
            abstract_text: abstract_words.join(" "),
            authors,
            year,
            venue,
            ..Record::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_query_string_is_safe(query in query_strategy(), prefix: bool, fuzzy: bool, facets: bool) {
        let options = SearchOptions { prefix, fuzzy, facets, limit: 5, ..SearchOptions::default() };
        let results = default_index().search(&query, &options);
        prop_assert!(results.hits.len() <= 5);
        prop_assert!(results.total >= results.hits.len());
        for hit in &results.hits {
            for span in &hit.highlights {
                prop_assert!(span.start < span.end && hit.title.get(span.start..span.end).is_some());
            }
            for span in &hit.snippet.highlights {
                prop_assert!(span.start < span.end && hit.snippet.text.get(span.start..span.end).is_some());
            }
        }
    }

    #[test]
    fn any_unicode_query_is_safe(query in "\\PC{0,40}") {
        let results = default_index().search(&query, &SearchOptions::default());
        prop_assert!(results.total >= results.hits.len());
    }

    #[test]
    fn build_then_load_round_trips(records in prop::collection::vec(record_strategy(), 1..12)) {
        let mut builder = IndexBuilder::new();
        let records: Vec<Record> = records.into_iter().enumerate().map(|(i, r)| Record { id: format!("r{i}"), ..r }).collect();
        for record in &records {
            builder.add(record).unwrap();
        }
        let bytes = builder.finish().unwrap();
        let index = Index::from_bytes(bytes.as_slice()).unwrap();
        prop_assert_eq!(index.doc_count(), records.len());
        for (doc, record) in records.iter().enumerate() {
            prop_assert_eq!(index.record(doc as u32), Some(record.clone()));
            // Every record is found by its own title.
            let options = SearchOptions { limit: records.len(), fuzzy: false, prefix: false, ..SearchOptions::default() };
            let hits = index.search(&record.title, &options).hits;
            prop_assert!(hits.iter().any(|h| h.id == record.id), "{} not found by its title {:?}", record.id, record.title);
        }
    }

    #[test]
    fn corrupted_index_bytes_are_rejected(at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut bytes = small_index_bytes().to_vec();
        let i = at.index(bytes.len());
        bytes[i] ^= 1 << bit;
        prop_assert!(Index::from_bytes(bytes).is_err(), "flipping bit {bit} of byte {i} went unnoticed");
    }

    #[test]
    fn truncated_index_bytes_are_rejected(at in any::<prop::sample::Index>()) {
        let bytes = small_index_bytes();
        let len = at.index(bytes.len());
        prop_assert!(Index::from_bytes(&bytes[..len]).is_err());
    }

    #[test]
    fn arbitrary_bytes_are_rejected_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        prop_assert!(Index::from_bytes(bytes).is_err());
    }
}
