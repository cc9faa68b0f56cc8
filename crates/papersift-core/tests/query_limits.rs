//! Bounded work for any query: the limits of `search::plan` and `search::execute` hold for
//! hostile query strings (a megabyte, 10,000 words or quotes, 1,000-letter words, every kind of
//! Unicode), the results say what was left out, and nothing panics.

use papersift_core::builder::{build_index, BuildOptions, Source};
use papersift_core::search::{plan, Piece, MAX_AUTHOR_TERMS, MAX_PHRASE_CHECKS, MAX_QUERY_BYTES, MAX_QUERY_WORDS};
use papersift_core::termdict::TermRange;
use papersift_core::text::MAX_TERM_BYTES;
use papersift_core::{Index, SearchOptions};
use proptest::prelude::*;

#[path = "support/daily_papers.rs"]
mod daily_papers;
use daily_papers::daily_papers_index;

/// The most dictionary ranges a plan may name: a word's own four (term, stem, prefix, typos) and
/// two per compound part (each part counts as a word), two per author term, and the facets.
const MAX_PLANNED_PIECES: usize = 6 * MAX_QUERY_WORDS + 2 * MAX_AUTHOR_TERMS + 1;

/// Plans and runs `query`, checking every limit; returns the results' `ignored_from`.
fn check(query: &str, options: &SearchOptions) -> Option<usize> {
    let planned = plan(query, options);
    let pieces = planned.pieces();
    assert!(pieces.len() <= MAX_PLANNED_PIECES, "{} pieces for a {}-byte query", pieces.len(), query.len());
    for piece in &pieces {
        if let Piece::Terms(TermRange::Term(word) | TermRange::Typos { word, .. }) = piece {
            assert!(word.len() <= MAX_TERM_BYTES, "a {}-byte term is looked up", word.len());
        }
    }
    let results = daily_papers_index().search(query, options);
    assert!(results.hits.len() <= options.limit);
    if let Some(from) = results.ignored_from {
        assert!(from <= MAX_QUERY_BYTES.min(query.len()) && query.is_char_boundary(from), "ignored from {from}");
    }
    results.ignored_from
}

fn hostile_queries() -> Vec<(&'static str, String)> {
    let words: Vec<String> = (0..10_000).map(|i| format!("word{i}")).collect();
    vec![
        ("a 1 MB query", "model merging ".repeat(1 << 20 >> 4)),
        ("10,000 words", words.join(" ")),
        ("10,000 quotes", "\"".repeat(10_000)),
        ("10,000 quoted words", words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" ")),
        ("many open prefixes", ('a'..='z').cycle().take(5_000).map(|c| format!("{c}* ")).collect::<String>() + "m"),
        ("10,000 exclusions", words.iter().map(|w| format!("-{w}")).collect::<Vec<_>>().join(" ")),
        ("10,000 fields", words.iter().map(|w| format!("title:{w}")).collect::<Vec<_>>().join(" ")),
        ("10,000 years", "year:2020..2022 ".repeat(10_000)),
        ("combining marks", format!("e{}", "\u{301}".repeat(100_000))),
        ("right-to-left", "نموذج دمج النماذج ".repeat(5_000)),
        ("emoji and joiners", "👩‍👩‍👧‍👦 🏳️‍🌈 ".repeat(10_000)),
        ("around the surrogates", "\u{d7ff}\u{e000}\u{fffd}\u{10000}\u{10ffff} ".repeat(10_000)),
        ("control chars and NUL", "\0\u{1}\u{7f}\u{85}\u{2028}\u{feff}model\0merging".repeat(10_000)),
        ("dashes and colons", "-:-\"-:".repeat(100_000)),
        ("compounds", "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z ".repeat(1_000)),
    ]
}

#[test]
fn hostile_queries_stay_within_the_limits_and_say_what_was_ignored() {
    let options = SearchOptions { facets: true, ..SearchOptions::default() };
    for (name, query) in hostile_queries() {
        let ignored = check(&query, &options);
        // Each of these passes a limit; the results say so.
        assert!(ignored.is_some(), "{name}: nothing was reported ignored");
    }
}

#[test]
fn a_word_of_1000_letters_is_cut_to_a_term_as_indexing_cuts_it_not_ignored() {
    let options = SearchOptions::default();
    for query in [["abcdefghij".repeat(100), "mergingmodels".repeat(77)].join(" "), "transformer".repeat(91)] {
        assert_eq!(check(&query, &options), None, "{query}");
    }
}

#[test]
fn a_normal_query_ignores_nothing() {
    let results = daily_papers_index().search("\"model merging\" title:task -vision arithm", &SearchOptions::default());
    assert!(results.total > 0);
    assert_eq!((results.ignored_from, results.unverified), (None, 0));
}

#[test]
fn the_words_before_the_limit_are_searched_as_if_alone() {
    let head: Vec<&str> = ["model", "merging"].repeat(MAX_QUERY_WORDS / 2);
    let alone = daily_papers_index().search(&head.join(" "), &SearchOptions::default());
    let long = format!("{} unrelated words after the limit", head.join(" "));
    let cut = daily_papers_index().search(&long, &SearchOptions::default());
    assert_eq!(cut.ignored_from, Some(long.find(" unrelated").unwrap() + 1));
    assert_eq!(cut.hits, alone.hits);
    assert_eq!(cut.total, alone.total);
}

#[test]
fn a_long_author_filter_is_searched_without_panicking() {
    let authors = (0..10_000).map(|i| format!("Author{i} Name")).collect();
    check("model", &SearchOptions { authors, ..SearchOptions::default() });
}

#[test]
fn phrase_checks_stop_at_the_limit_and_count_what_they_left_out() {
    let extra = 100;
    let jsonl: String =
        (0..MAX_PHRASE_CHECKS + extra).map(|i| format!("{{\"id\":\"p{i}\",\"title\":\"alpha beta {i}\"}}\n")).collect();
    let (bytes, _) =
        build_index(vec![Source::from_bytes("many.jsonl", jsonl.as_bytes())], &BuildOptions::default()).unwrap();
    let index = Index::from_bytes(bytes).unwrap();
    let results = index.search("\"alpha beta\"", &SearchOptions::default());
    assert_eq!((results.total, results.unverified), (MAX_PHRASE_CHECKS, extra));
    // Without a phrase nothing is verified, and every paper counts.
    let plain = index.search("alpha beta ", &SearchOptions::default());
    assert_eq!((plain.total, plain.unverified), (MAX_PHRASE_CHECKS + extra, 0));
}

/// Any string: every Unicode category, long runs, the query syntax.
fn any_query() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "\\PC{1,8}",
        "\\p{M}{1,8}",
        "\\p{Cc}{1,4}",
        "[\\u{200d}\\u{200e}\\u{200f}\\u{202e}\\u{fe0f}\\u{d7ff}\\u{e000}\\u{fffd}\\u{10ffff}]{1,4}",
        "[a-z]{1,1200}",
        Just("\"".to_string()),
        Just("-".to_string()),
        Just("title:".to_string()),
        Just("year:2020..".to_string()),
        Just(" ".to_string()),
        Just("\0".to_string()),
    ];
    prop::collection::vec(piece, 0..200).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_query_is_planned_within_the_limits_and_never_panics(query in any_query(), repeat in 1usize..40) {
        let query = query.repeat(repeat);
        check(&query, &SearchOptions { facets: true, ..SearchOptions::default() });
    }
}
