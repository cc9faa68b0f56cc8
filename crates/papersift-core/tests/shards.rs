//! Sharded indexes: a root plus pieces loaded as queries need them answer exactly like the
//! single file, typos find terms in other dictionary chunks, and damaged pieces are refused with
//! an error naming them, never a panic.

use std::collections::HashMap;
use std::sync::OnceLock;

use papersift_core::builder::{build_pieces, BuildOptions, BuiltIndex, PieceSizes, Source};
use papersift_core::format::{PieceError, PieceId, PieceKind};
use papersift_core::workload::query_classes;
use papersift_core::{Index, SearchOptions, SearchResults};
use proptest::prelude::*;

/// The committed corpora (the default corpus and the fixture papers), cut into tiny pieces so
/// that every kind comes in many.
fn built() -> &'static BuiltIndex {
    static BUILT: OnceLock<BuiltIndex> = OnceLock::new();
    BUILT.get_or_init(|| {
        let sources = vec![
            Source::from_bytes("daily_papers.txt", include_bytes!("../../../data/daily_papers.txt")),
            Source::from_bytes("papers.jsonl", include_bytes!("../../../tests/fixtures/papers.jsonl")),
        ];
        let options = BuildOptions { skip_invalid: true, sizes: PieceSizes::tiny(), ..BuildOptions::default() };
        build_pieces(sources, &options).unwrap().0
    })
}

fn single_file() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| Index::from_bytes(built().single_file().unwrap()).unwrap())
}

fn pieces() -> HashMap<String, Vec<u8>> {
    built().named_pieces().collect::<std::io::Result<_>>().unwrap()
}

/// Runs `query` on a sharded index, loading what it needs round after round as a browser does.
fn search_sharded(
    index: &mut Index,
    pieces: &HashMap<String, Vec<u8>>,
    query: &str,
    options: &SearchOptions,
) -> SearchResults {
    for _ in 0..16 {
        let needs = index.needs(query, options);
        if needs.is_empty() {
            return index.search(query, options);
        }
        for name in needs {
            let bytes =
                pieces.get(&name).unwrap_or_else(|| panic!("{query}: needs {name}, which the build did not write"));
            index.add_piece(&name, bytes.clone()).unwrap();
        }
    }
    panic!("{query}: still needs pieces after 16 rounds");
}

#[test]
fn the_tiny_sizes_cut_every_kind_into_several_pieces() {
    let root = &built().root;
    for kind in [PieceKind::Terms, PieceKind::Postings, PieceKind::Docs, PieceKind::Authors] {
        assert!(root.count(kind) > 3, "{kind:?}: {} pieces", root.count(kind));
    }
}

/// A site holds each piece twice (`.bin` and `.js`) and static hosts take 20,000 files, so a
/// corpus too large for the default sizes gets larger pieces, never more of them; document
/// pieces hold whole blocks of 16 papers, and exactly one block while the budget allows.
#[test]
fn a_corpus_over_the_piece_budget_gets_larger_pieces_not_more_pieces() {
    // Many short records: document pieces dominate the count, as they do on arXiv CS.
    let words = ["model", "merging", "vision", "graph", "agent", "retrieval", "diffusion", "proof"];
    let jsonl: String = (0..2_000)
        .map(|i| {
            let (a, b) = (words[i % words.len()], words[i / words.len() % words.len()]);
            format!("{{\"id\":\"p{i}\",\"title\":\"{a} {b} {i}\",\"abstract\":\"On {b} and {a}.\"}}\n")
        })
        .collect();
    let source = || vec![Source::from_bytes("many.jsonl", jsonl.as_bytes())];
    let build = |max_pieces| {
        let sizes = PieceSizes { max_pieces, ..PieceSizes::default() };
        let options = BuildOptions { skip_invalid: true, sizes, ..BuildOptions::default() };
        build_pieces(source(), &options).unwrap().0
    };
    let roomy = build(PieceSizes::default().max_pieces);
    assert_eq!(roomy.root.docs_per_piece, 16);
    let roomy_pieces = roomy.root.pieces.len() as u32;
    let mut grew = false;
    for max_pieces in [roomy_pieces - 1, roomy_pieces / 2, roomy_pieces / 4, 16] {
        let tight = build(max_pieces);
        let count = tight.root.pieces.len() as u32;
        assert!(count <= max_pieces, "{count} pieces over a budget of {max_pieces}");
        assert_eq!(tight.root.docs_per_piece % 16, 0, "{max_pieces}: {}", tight.root.docs_per_piece);
        grew |= tight.root.docs_per_piece > 16;
    }
    assert!(grew, "a budget under {roomy_pieces} pieces makes document pieces larger");
}

/// The committed version of the data-set identity check (scripts/shards_identity.sh): every
/// class of benchmark query drawn from the titles, with and without facets and filters, ranks
/// the same sharded (each query on a fresh root, loading only what it asks for) as single-file.
#[test]
fn sharded_and_single_file_answer_every_query_alike() {
    let pieces = pieces();
    let mut queries: Vec<String> = query_classes(single_file(), 12, 7).into_iter().flat_map(|c| c.queries).collect();
    queries.extend(
        ["", "year:2024", "title:models -video", "\"language models\"", "mod", "difusion modle"].map(String::from),
    );
    assert!(queries.len() > 50, "{} queries", queries.len());
    let option_sets = [
        SearchOptions::default(),
        SearchOptions { facets: true, year_min: Some(2023), limit: 20, ..SearchOptions::default() },
    ];
    let mut answered = 0;
    for options in &option_sets {
        for query in &queries {
            let mut sharded = Index::from_bytes(built().root_file()).unwrap();
            let got = search_sharded(&mut sharded, &pieces, query, options);
            let expected = single_file().search(query, options);
            assert_eq!(got, expected, "{query:?} with {options:?}");
            assert!(sharded.stats().loaded < pieces.len(), "{query:?} loaded every piece");
            answered += usize::from(!expected.hits.is_empty());
        }
    }
    assert!(answered > queries.len(), "most queries have hits: {answered}");
}

/// Author facets on a sharded index come from the authors pieces, loaded with the facets piece:
/// the same counts as the single file, without loading the stored fields of the matches.
#[test]
fn sharded_author_facets_equal_the_single_file_and_load_no_documents() {
    let pieces = pieces();
    let options = SearchOptions { facets: true, limit: 1, ..SearchOptions::default() };
    let mut with_authors = 0;
    for query in ["", "models", "language models", "diffusion", "safty"] {
        let mut sharded = Index::from_bytes(built().root_file()).unwrap();
        let got = search_sharded(&mut sharded, &pieces, query, &options);
        let expected = single_file().search(query, &options);
        assert_eq!(got.facets, expected.facets, "{query:?}");
        let authors = &expected.facets.as_ref().unwrap().authors;
        with_authors += usize::from(!authors.is_empty());
        // One hit, so at most one document block: the counts did not come from stored fields.
        let docs = (0..built().root.count(PieceKind::Docs))
            .filter(|index| sharded.is_loaded(PieceId { kind: PieceKind::Docs, index: *index }))
            .count();
        assert!(docs <= 1, "{query:?} loaded {docs} document blocks for its facets");
        let all_authors = (0..built().root.count(PieceKind::Authors))
            .all(|index| sharded.is_loaded(PieceId { kind: PieceKind::Authors, index }));
        assert!(all_authors, "{query:?}: facets load every authors piece");
    }
    assert!(with_authors >= 4, "most queries count authors: {with_authors}");
    // A year filter needs the facets piece, not the authors pieces.
    let mut sharded = Index::from_bytes(built().root_file()).unwrap();
    let filtered = SearchOptions { year_min: Some(2023), ..SearchOptions::default() };
    search_sharded(&mut sharded, &pieces, "models", &filtered);
    assert!(sharded.is_loaded(PieceId { kind: PieceKind::Facets, index: 0 }));
    let any_authors = (0..built().root.count(PieceKind::Authors))
        .any(|index| sharded.is_loaded(PieceId { kind: PieceKind::Authors, index }));
    assert!(!any_authors, "a filter without facets loaded authors pieces");
}

#[test]
fn one_sharded_index_answers_query_after_query_with_its_cache() {
    let pieces = pieces();
    let mut sharded = Index::from_bytes(built().root_file()).unwrap();
    for query in ["language models", "language modls", "diffusion", "vision transformer", "language models"] {
        let options = SearchOptions::default();
        assert_eq!(search_sharded(&mut sharded, &pieces, query, &options), single_file().search(query, &options));
    }
}

/// A typo early in a word moves it elsewhere in key order, into another dictionary chunk: the
/// typo lookup must still load the word's chunk (and not every chunk).
#[test]
fn a_typo_in_another_dictionary_chunk_than_its_word_is_found_sharded() {
    let root = &built().root;
    let word = "language";
    let typo = "lenguage";
    let chunk_of = |key: &str| root.chunks.partition_point(|c| c.first.as_str() <= key).saturating_sub(1);
    assert_ne!(chunk_of(word), chunk_of(typo), "the tiny chunks put {word} and {typo} apart");
    let pieces = pieces();
    let mut sharded = Index::from_bytes(built().root_file()).unwrap();
    let options = SearchOptions::default();
    let got = search_sharded(&mut sharded, &pieces, &format!("{typo} "), &options);
    assert!(!got.hits.is_empty(), "{typo} finds {word}");
    assert_eq!(got, single_file().search(&format!("{typo} "), &options));
    let chunks_loaded = (0..root.count(PieceKind::Terms))
        .filter(|index| sharded.is_loaded(PieceId { kind: PieceKind::Terms, index: *index }))
        .count();
    assert!(chunks_loaded < root.chunks.len(), "the typo loaded {chunks_loaded} of {} chunks", root.chunks.len());
    assert!(sharded.is_loaded(PieceId { kind: PieceKind::Terms, index: chunk_of(word) as u32 }));
}

#[test]
fn a_sharded_root_loads_alone_and_knows_its_pieces() {
    let index = Index::from_bytes(built().root_file()).unwrap();
    assert!(index.is_sharded());
    assert_eq!(index.doc_count(), single_file().doc_count());
    assert_eq!(index.piece_names().len(), built().root.pieces.len());
    assert_eq!(index.stats().loaded, 0);
    assert_eq!(index.build_id().len(), 16);
    // Before its pieces, a search answers nothing rather than panic.
    assert!(index.search("language", &SearchOptions::default()).hits.is_empty());
}

/// One piece, damaged in one of the ways a download or a host can damage it.
#[derive(Debug, Clone)]
enum Damage {
    Flip { at: prop::sample::Index, bit: u8 },
    Truncate { at: prop::sample::Index },
    Swap { with: prop::sample::Index },
    Empty,
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<prop::sample::Index>(), 0u8..8).prop_map(|(at, bit)| Damage::Flip { at, bit }),
        any::<prop::sample::Index>().prop_map(|at| Damage::Truncate { at }),
        any::<prop::sample::Index>().prop_map(|with| Damage::Swap { with }),
        Just(Damage::Empty),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any piece, flipped, cut, swapped for another or emptied, is refused with a `PieceError`
    /// naming it, and the index goes on answering once it gets the right bytes.
    #[test]
    fn a_damaged_piece_is_refused_with_its_name(which in any::<prop::sample::Index>(), damage in damage()) {
        let named: Vec<(String, Vec<u8>)> = built().named_pieces().collect::<std::io::Result<_>>().unwrap();
        let (name, bytes) = &named[which.index(named.len())];
        let damaged: Vec<u8> = match &damage {
            Damage::Flip { at, bit } => {
                let mut copy = bytes.to_vec();
                let at = at.index(copy.len());
                copy[at] ^= 1 << bit;
                copy
            }
            Damage::Truncate { at } => bytes[..at.index(bytes.len())].to_vec(),
            Damage::Swap { with } => {
                let (other, other_bytes) = &named[with.index(named.len())];
                prop_assume!(other != name);
                other_bytes.to_vec()
            }
            Damage::Empty => Vec::new(),
        };
        let mut index = Index::from_bytes(built().root_file()).unwrap();
        let err = index.add_piece(name, damaged).expect_err("damaged bytes are refused");
        prop_assert_eq!(err.name(), name.as_str());
        prop_assert!(!matches!(err, PieceError::Unknown { .. }), "{}", err);
        prop_assert!(err.to_string().starts_with(name.as_str()), "{}", err);
        prop_assert!(index.add_piece(name, bytes.to_vec()).is_ok());
    }

    /// Any bytes under any name: an error or a loaded piece, never a panic; and a search after
    /// is safe.
    #[test]
    fn arbitrary_piece_bytes_never_panic(which in any::<prop::sample::Index>(), bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let names = single_file().piece_names();
        let name = &names[which.index(names.len())];
        let mut index = Index::from_bytes(built().root_file()).unwrap();
        prop_assert!(index.add_piece(name, bytes).is_err());
        let _ = index.search("language models", &SearchOptions::default());
        prop_assert!(index.add_piece("terms/00/99999", Vec::new()).is_err());
    }
}
