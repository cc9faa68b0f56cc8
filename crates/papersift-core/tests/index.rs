//! Building, loading and searching whole indexes: the default corpus and the committed fixtures.

use papersift_core::builder::{build_index, BuildOptions, Source};
use papersift_core::format::{FormatError, PieceError, VERSION};
use papersift_core::{Index, Record, SearchOptions};

const DEFAULT_CORPUS: &[u8] = include_bytes!("../../../data/daily_papers.txt");
const FIXTURE_JSONL: &[u8] = include_bytes!("../../../tests/fixtures/papers.jsonl");
const GOLDEN_V1: &[u8] = include_bytes!("../../../tests/golden/v1.idx");
const GOLDEN_V2: &[u8] = include_bytes!("../../../tests/golden/v2.idx");
const GOLDEN_V3: &[u8] = include_bytes!("../../../tests/golden/v3.idx");
const GOLDEN_V4: &[u8] = include_bytes!("../../../tests/golden/v4.idx");

fn build(name: &str, bytes: &[u8]) -> Vec<u8> {
    build_index(vec![Source::from_bytes(name, bytes)], &BuildOptions::default()).expect("fixture builds").0
}

fn build_records(records: &[Record]) -> Index {
    let jsonl: String = records.iter().map(|r| serde_json::to_string(r).unwrap() + "\n").collect();
    Index::from_bytes(build("records.jsonl", jsonl.as_bytes())).unwrap()
}

fn paper(id: &str, title: &str, abstract_text: &str) -> Record {
    Record { id: id.into(), title: title.into(), abstract_text: abstract_text.into(), ..Record::default() }
}

fn ids(index: &Index, query: &str) -> Vec<String> {
    index
        .search(query, &SearchOptions { limit: 100, ..SearchOptions::default() })
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

fn default_index() -> Index {
    Index::from_bytes(build("daily_papers.txt", DEFAULT_CORPUS)).unwrap()
}

#[test]
fn the_default_corpus_builds_and_finds_model_merging() {
    let index = default_index();
    assert_eq!(index.doc_count(), 78);
    let results = index.search("model merging", &SearchOptions::default());
    assert!(results.total >= 3, "total {}", results.total);
    let top = &results.hits[0];
    assert!(top.title.to_lowercase().contains("merging"), "top hit: {}", top.title);
    let highlighted: Vec<&str> = top.highlights.iter().map(|s| &top.title[s.start..s.end]).collect();
    assert!(highlighted.iter().any(|h| h.eq_ignore_ascii_case("merging")), "{highlighted:?}");
}

#[test]
fn a_typo_still_finds_the_same_papers() {
    let index = default_index();
    let exact = ids(&index, "merging");
    let typo = ids(&index, "mergng");
    assert!(!exact.is_empty());
    assert!(typo.len() >= 3, "{typo:?}");
    for id in &typo[..3] {
        assert!(exact[..5].contains(id), "{id} is not among the exact top 5 {exact:?}");
    }
    let top = &index.search("mergng", &SearchOptions::default()).hits[0];
    assert!(!top.highlights.is_empty() || !top.snippet.highlights.is_empty(), "fuzzy matches are highlighted");
}

#[test]
fn the_last_word_matches_as_a_prefix_while_typing() {
    let index = default_index();
    let typing = ids(&index, "model mergi");
    assert!(!typing.is_empty());
    assert_eq!(typing[0], ids(&index, "model merging")[0]);
    let strict = SearchOptions { prefix: false, fuzzy: false, ..SearchOptions::default() };
    assert_eq!(index.search("mergi", &strict).total, 0);
    assert!(index.search("mergi", &SearchOptions::default()).total > 0);
}

#[test]
fn exact_forms_rank_above_stemmed_forms_above_typos() {
    let index = build_records(&[
        paper("stemmed", "Transformers everywhere", "A study."),
        paper("exact", "Transformer everywhere", "A study."),
        paper("typo", "Transfomer everywhere", "A study."),
    ]);
    assert_eq!(ids(&index, "transformer "), vec!["exact", "stemmed", "typo"]);
}

#[test]
fn a_known_word_gets_one_typo_less_than_an_unknown_one() {
    let index =
        build_records(&[paper("a", "Merging networks", "A study."), paper("b", "Merling networks", "A study.")]);
    // `merging` is in the dictionary: at 7 letters it keeps 0 typos, so `merling` is not its match…
    assert_eq!(ids(&index, "merging "), vec!["a"]);
    // …but a misspelling that is not a word gets the full budget and finds both.
    assert_eq!(ids(&index, "mergling ").len(), 2);
}

#[test]
fn prefix_matches_rank_above_typo_matches() {
    let index =
        build_records(&[paper("typo", "Transfomer study", "Text."), paper("prefix", "Transformers study", "Text.")]);
    assert_eq!(ids(&index, "transforme")[0], "prefix");
}

#[test]
fn title_matches_outrank_abstract_matches() {
    let index = build_records(&[
        paper("abstract", "A study of networks", "We look at diffusion in graphs."),
        paper("title", "Diffusion in graphs", "A study of networks."),
    ]);
    assert_eq!(ids(&index, "diffusion")[0], "title");
}

#[test]
fn ties_are_broken_by_document_order() {
    let index = build_records(&[paper("b", "Same title", ""), paper("a", "Same title", "")]);
    assert_eq!(ids(&index, "same title"), vec!["b", "a"]);
}

#[test]
fn phrases_exclusions_and_fields_work() {
    let index = build_records(&[
        paper("both", "Language model merging", "Merging language models."),
        paper("apart", "Model of language, then merging", "Other words."),
        paper("abstract_only", "Unrelated", "We propose model merging."),
    ]);
    assert_eq!(ids(&index, "\"model merging\""), vec!["both", "abstract_only"]);
    assert_eq!(ids(&index, "merging -\"model merging\""), vec!["apart"]);
    assert_eq!(ids(&index, "title:merging"), vec!["both", "apart"]);
    assert_eq!(ids(&index, "merging -unrelated"), vec!["both", "apart"]);
}

#[test]
fn compound_tokens_are_findable_whole_and_in_parts() {
    let index = build_records(&[
        paper("gpt", "Evaluating GPT-4 on exams", "Results."),
        paper("llama", "Fine-tuning Llama-3.1-8B", "Results."),
        paper("resnet", "ResNet50 revisited", "Results."),
        paper("knn", "A k-NN baseline", "Results."),
    ]);
    for (query, id) in [
        ("gpt-4", "gpt"),
        ("gpt4", "gpt"),
        ("GPT 4", "gpt"),
        ("llama", "llama"),
        ("resnet50", "resnet"),
        ("resnet", "resnet"),
        ("knn", "knn"),
        ("k-NN", "knn"),
    ] {
        assert_eq!(ids(&index, query).first().map(String::as_str), Some(id), "query {query:?}");
    }
}

#[test]
fn diacritics_fold_both_ways() {
    let index = build_records(&[paper("s", "Schrödinger bridges", ""), paper("e", "Erdos numbers", "")]);
    assert_eq!(ids(&index, "schrodinger"), vec!["s"]);
    assert_eq!(ids(&index, "Erdős"), vec!["e"]);
}

#[test]
fn stop_words_never_make_a_query_match_nothing() {
    let index = build_records(&[paper("w", "The Who and the What", ""), paper("x", "Graphs", "")]);
    assert_eq!(ids(&index, "the who"), vec!["w"]);
    assert_eq!(ids(&index, "the and"), vec!["w"]);
}

#[test]
fn year_and_author_filters_and_facets() {
    let mut a = paper("a", "Graph networks", "");
    a.year = Some(2019);
    a.authors = vec!["Ada Lovelace".into()];
    a.venue = Some("NeurIPS".into());
    let mut b = paper("b", "Graph networks again", "");
    b.year = Some(2022);
    b.authors = vec!["Alan Turing".into()];
    b.venue = Some("ICML".into());
    let index = build_records(&[a, b]);
    assert_eq!(ids(&index, "graph year:2019"), vec!["a"]);
    assert_eq!(ids(&index, "graph year:2020..2023"), vec!["b"]);
    assert_eq!(ids(&index, "graph author:turing"), vec!["b"]);
    assert_eq!(ids(&index, "year:2022"), vec!["b"]);
    let options = SearchOptions { authors: vec!["Lovelace".into()], facets: true, ..SearchOptions::default() };
    let results = index.search("graph", &options);
    assert_eq!(results.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), vec!["a"]);
    let facets = results.facets.unwrap();
    assert_eq!(facets.years, vec![(2019, 1)]);
    assert_eq!(facets.venues, vec![("NeurIPS".to_string(), 1)]);
    let venue = SearchOptions { venues: vec!["ICML".into()], ..SearchOptions::default() };
    assert_eq!(index.search("graph", &venue).hits[0].id, "b");
}

#[test]
fn author_facets_count_papers_per_author_over_all_matches_and_the_author_filter_narrows_them() {
    let mut a = paper("a", "Graph networks", "");
    a.authors = vec!["Ada Lovelace".into(), "Alan Turing".into(), "Ada Lovelace".into()];
    let mut b = paper("b", "Graph networks again", "");
    b.authors = vec!["Alan Turing".into()];
    let mut c = paper("c", "Graph kernels", "");
    c.authors = vec!["Grace Hopper".into(), "Alan Turing".into()];
    let d = paper("d", "Sorting", "");
    let index = build_records(&[a, b, c, d]);
    let facets = |query: &str, authors: Vec<String>| {
        let options = SearchOptions { facets: true, limit: 1, authors, ..SearchOptions::default() };
        index.search(query, &options).facets.unwrap().authors
    };
    let counts = |pairs: &[(&str, u32)]| pairs.iter().map(|(name, n)| (name.to_string(), *n)).collect::<Vec<_>>();
    // Over all three matches, not only the one hit returned; a name twice in a paper counts once.
    assert_eq!(facets("graph", vec![]), counts(&[("Alan Turing", 3), ("Ada Lovelace", 1), ("Grace Hopper", 1)]));
    assert_eq!(facets("graph", vec!["Grace Hopper".into()]), counts(&[("Alan Turing", 1), ("Grace Hopper", 1)]));
    assert_eq!(facets("sorting", vec![]), vec![]);
    // No query: the whole corpus, for a filter list before anyone types.
    assert_eq!(facets("", vec![]), counts(&[("Alan Turing", 3), ("Ada Lovelace", 1), ("Grace Hopper", 1)]));
    let without = index.search("graph", &SearchOptions { facets: false, ..SearchOptions::default() });
    assert!(without.facets.is_none());
}

#[test]
fn author_facets_list_the_most_frequent_authors_only() {
    use papersift_core::search::filter::AUTHOR_FACETS;
    let records: Vec<Record> = (0..AUTHOR_FACETS + 10)
        .map(|i| {
            let mut record = paper(&format!("p{i}"), "Graph networks", "");
            // Author k writes papers k.. of the list, so author 0 is the most frequent.
            record.authors = (0..=i).map(|k| format!("Author {k:03}")).collect();
            record
        })
        .collect();
    let index = build_records(&records);
    let authors =
        index.search("graph", &SearchOptions { facets: true, ..SearchOptions::default() }).facets.unwrap().authors;
    assert_eq!(authors.len(), AUTHOR_FACETS);
    assert_eq!(authors[0], ("Author 000".to_string(), (AUTHOR_FACETS + 10) as u32));
    assert!(authors.windows(2).all(|w| w[0].1 > w[1].1), "not most frequent first");
}

#[test]
fn did_you_mean_suggests_dictionary_words() {
    let index = default_index();
    let results = index.search("modle mergnig ", &SearchOptions::default());
    assert_eq!(results.suggestion.as_deref(), Some("model merging "));
    // The word being typed is corrected too, once nothing starts with it.
    let typing = index.search("modle mergnig", &SearchOptions::default());
    assert_eq!(typing.suggestion.as_deref(), Some("model merging"));
    assert_eq!(index.search("trnasformer", &SearchOptions::default()).suggestion.as_deref(), Some("transformer"));
    // A word that completes to something is not "corrected" while being typed.
    assert_eq!(index.search("transf", &SearchOptions::default()).suggestion, None);
}

#[test]
fn an_empty_query_has_no_hits_but_corpus_wide_facets() {
    let mut a = paper("a", "Graph networks", "");
    a.year = Some(2019);
    let b = paper("b", "Other", "");
    let index = build_records(&[a, b]);
    let results = index.search("", &SearchOptions { facets: true, ..SearchOptions::default() });
    assert_eq!(results.total, 0);
    assert_eq!(results.facets.unwrap().years, vec![(2019, 1)]);
    let none = index.search("zzzzqqq", &SearchOptions { facets: true, ..SearchOptions::default() });
    assert_eq!(none.facets.unwrap().years, vec![]);
}

#[test]
fn snippets_show_the_best_window_with_highlights() {
    let long = format!(
        "{} The key result is about model merging of experts. {}",
        "Filler words here. ".repeat(30),
        "More filler. ".repeat(30)
    );
    let index = build_records(&[paper("p", "A paper", &long)]);
    let hit = &index.search("merging", &SearchOptions::default()).hits[0];
    assert!(hit.snippet.text.starts_with('…') && hit.snippet.text.ends_with('…'), "{}", hit.snippet.text);
    let marked: Vec<&str> = hit.snippet.highlights.iter().map(|s| &hit.snippet.text[s.start..s.end]).collect();
    assert_eq!(marked, vec!["merging"]);
}

#[test]
fn the_build_is_deterministic() {
    assert_eq!(build("daily_papers.txt", DEFAULT_CORPUS), build("daily_papers.txt", DEFAULT_CORPUS));
}

#[test]
fn stored_records_round_trip() {
    let bytes = build("papers.jsonl", FIXTURE_JSONL);
    let index = Index::from_bytes(bytes.as_slice()).unwrap();
    let first = index.record(0).unwrap();
    assert_eq!(first.id, "2503.11742");
    assert_eq!(first.year, Some(2025));
    assert!(index.record(index.doc_count() as u32).is_none());
}

#[test]
fn wrong_magic_version_truncation_and_checksum_are_typed_errors() {
    let bytes = build("papers.jsonl", FIXTURE_JSONL);
    assert!(matches!(Index::from_bytes(&b"not an index"[..]), Err(FormatError::Magic { .. })));
    let mut version = bytes.clone();
    version[8] = 99;
    assert!(matches!(Index::from_bytes(version), Err(FormatError::Version { expected: VERSION, got: 99 })));
    assert!(matches!(Index::from_bytes(&bytes[..bytes.len() - 1]), Err(FormatError::Truncated { .. })));
    assert!(matches!(Index::from_bytes(&bytes[..4]), Err(FormatError::Truncated { .. })));
    let mut flipped = bytes.clone();
    flipped[40] ^= 1;
    assert!(matches!(Index::from_bytes(flipped), Err(FormatError::Checksum { .. })), "a flipped root byte");
    let mut flipped = bytes.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    let err = Index::from_bytes(flipped).err().unwrap();
    assert!(matches!(err, FormatError::Piece(PieceError::Checksum { .. })), "a flipped piece byte: {err}");
    let message = Index::from_bytes(&b"PSIFTIDX"[..]).err().unwrap().to_string();
    assert!(message.contains("truncated"), "{message}");
}

/// The builder is deterministic and its format unchanged: building the golden index's source
/// (the default corpus: the fixture papers are too few for a list long enough to be written in
/// columns) again gives the committed bytes, byte for byte.
#[test]
fn rebuilding_the_golden_source_gives_the_golden_bytes() {
    let rebuilt = build("daily_papers.txt", DEFAULT_CORPUS);
    assert!(rebuilt == GOLDEN_V4, "a fresh build of data/daily_papers.txt differs from tests/golden/v4.idx");
}

/// The committed golden index was written by format version 4 from `data/daily_papers.txt`.
/// It must keep loading (and answering) for as long as this build claims to read version 4,
/// through short lists and lists long enough to be written in columns.
#[test]
fn the_golden_v4_index_still_loads() {
    let index = Index::from_bytes(GOLDEN_V4).expect("golden v4 index loads");
    assert_eq!(index.stats().version, 4);
    let fresh = Index::from_bytes(build("daily_papers.txt", DEFAULT_CORPUS)).unwrap();
    assert_eq!(index.doc_count(), fresh.doc_count());
    assert_eq!(index.record(0), fresh.record(0));
    let options = SearchOptions { limit: 1000, ..SearchOptions::default() };
    for query in ["model", "language models", "learning", "data", "unified model for image"] {
        let results = index.search(query, &options);
        assert!(
            results.total >= papersift_core::format::postings::COLUMN_MIN_DOCS as usize,
            "{query}: {}",
            results.total
        );
        assert_eq!(results, fresh.search(query, &options), "{query}");
    }
}

/// Format versions 1 (one file of sections, uncompressed stored fields), 2 (no authors pieces)
/// and 3 (every postings list in rows) are no longer read: they are refused with a version error that says to rebuild, never
/// misread.
#[test]
fn older_golden_indexes_are_refused_with_a_version_error() {
    for (bytes, got) in [(GOLDEN_V1, 1), (GOLDEN_V2, 2), (GOLDEN_V3, 3)] {
        let err = Index::from_bytes(bytes).err().expect("an older version is refused");
        assert_eq!(err, FormatError::Version { expected: 4, got });
        assert!(err.to_string().contains("rebuild the index"), "{err}");
    }
}
