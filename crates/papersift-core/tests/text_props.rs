//! Property tests for the tokenizer and the query parser: whatever the input, they never panic,
//! and the index side and the query side see the same terms.

use papersift_core::query::{self, Clause};
use papersift_core::text::{normalize, tokenize, TokenKind, MAX_TERM_BYTES};
use proptest::prelude::*;

/// Text made of the characters the tokenizer treats specially, so that connectors, digits,
/// diacritics, compatibility chars and CJK meet each other far more often than in random
/// Unicode.
fn tricky_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "([a-zA-Z0-9]{1,6}|[ .\\-_'’‐:\"]|é|ö|o\u{308}|\u{301}|ﬁ|²|½|Ⅻ|ß|İ|K|Ｂ|汉|字|カ|ж|Σ|\\u{1F600}|\t|\n){0,40}",
    )
    .expect("valid regex")
}

/// Either fully random Unicode or tricky text.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), tricky_text()]
}

/// Query-like strings: words, fields, quotes, dashes and years.
fn query_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "([a-z]{1,5}|[ \"“”\\-:.<>=]|title:|Author:|year:|year:20[0-9]{2}|\\.\\.|é|汉){0,20}",
    )
    .expect("valid regex")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn tokens_have_sound_offsets_and_positions(text in any_text()) {
        let tokens = tokenize(&text);
        for token in &tokens {
            prop_assert!(token.start < token.end, "empty span: {token:?}");
            prop_assert!(token.end <= text.len());
            prop_assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end), "{token:?}");
            prop_assert!(!token.term.is_empty());
            prop_assert!(token.term.len() <= MAX_TERM_BYTES, "{token:?}");
        }
        for pair in tokens.windows(2) {
            prop_assert!(pair[0].start <= pair[1].start, "not sorted by start: {pair:?}");
            prop_assert!(pair[0].position <= pair[1].position, "positions go back: {pair:?}");
        }
    }

    #[test]
    fn terms_are_normalized(text in any_text()) {
        for token in tokenize(&text) {
            prop_assert_eq!(normalize(&token.term), token.term.clone(), "{:?}", token);
        }
    }

    #[test]
    fn whole_spans_normalize_to_their_term(text in any_text()) {
        // Holds even for compounds: normalize removes connectors and possessives the same way.
        // One char can fold into several CJK words (`ヿ` → `コ` `ト`), all with its span: the
        // span then normalizes to their terms concatenated.
        let tokens = tokenize(&text);
        let wholes: Vec<_> = tokens.iter().filter(|t| t.kind == TokenKind::Whole).collect();
        for same_span in wholes.chunk_by(|a, b| (a.start, a.end) == (b.start, b.end)) {
            let terms: String = same_span.iter().map(|t| t.term.as_str()).collect();
            let span = &text[same_span[0].start..same_span[0].end];
            prop_assert_eq!(normalize(span), terms, "{:?}", same_span);
        }
    }

    #[test]
    fn whole_terms_tokenize_to_themselves(text in any_text()) {
        // The index stores whole terms; a query typed as that term must find it.
        for token in tokenize(&text).into_iter().filter(|t| t.kind == TokenKind::Whole) {
            let again = tokenize(&token.term);
            let wholes: Vec<&str> =
                again.iter().filter(|t| t.kind == TokenKind::Whole).map(|t| t.term.as_str()).collect();
            // CJK characters are words of their own, so a term is one CJK char or has none.
            prop_assert_eq!(wholes, vec![token.term.as_str()], "{:?}", token);
        }
    }

    #[test]
    fn parts_follow_their_whole_and_differ_from_it(text in any_text()) {
        let tokens = tokenize(&text);
        let mut whole = None;
        for token in &tokens {
            match token.kind {
                TokenKind::Whole => whole = Some(token),
                TokenKind::Part => {
                    let whole = whole.expect("a part comes after its whole");
                    prop_assert_ne!(&token.term, &whole.term);
                    prop_assert!(whole.start <= token.start && token.end <= whole.end, "{token:?} outside {whole:?}");
                    prop_assert!(token.position >= whole.position);
                }
            }
        }
    }

    #[test]
    fn parse_never_panics_and_clauses_are_slices(query in prop_oneof![any::<String>(), query_text()]) {
        let parsed = query::parse(&query);
        for clause in &parsed.clauses {
            let (Clause::Text { text, .. } | Clause::Phrase { text, .. } | Clause::Exclude { text, .. }) = clause;
            prop_assert!(query.contains(text.as_str()), "{clause:?} not in {query:?}");
            prop_assert!(!tokenize(text).is_empty(), "{clause:?} has nothing to search");
        }
        if let (Some(min), Some(max)) = (parsed.year_min, parsed.year_max) {
            prop_assert!((1000..=3000).contains(&min) && (999..=2999).contains(&max), "{parsed:?}");
        }
        if parsed.last_word_open {
            let last_is_text = matches!(parsed.clauses.last(), Some(Clause::Text { .. }));
            prop_assert!(last_is_text, "open, but the last clause is not text: {parsed:?}");
            prop_assert!(!query.ends_with(char::is_whitespace), "open after whitespace: {query:?}");
        }
    }
}
