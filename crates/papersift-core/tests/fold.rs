//! The tokenizer's generated folding tables agree with the Unicode data, char for char.

#[path = "support/fold_reference.rs"]
mod fold_reference;

use fold_reference::fold_reference;
use papersift_core::text::normalize;

/// Every letter or digit folds exactly as the reference (NFKD, lower-case, NFKD, marks dropped)
/// says. If this fails after a toolchain or crate update, regenerate the tables:
/// `cargo run -p papersift-core --example fold_table > crates/papersift-core/src/text/fold.rs`.
#[test]
fn the_fold_tables_match_unicode_normalization() {
    let mut checked = 0;
    for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let Some(expected) = fold_reference(c) else { continue };
        // A lone char is one word; its term is its folding (cut at the term length cap).
        let got = normalize(&c.to_string());
        let expected_term: String = expected.chars().filter(|f| f.is_alphanumeric()).collect();
        if expected_term.len() <= papersift_core::text::MAX_TERM_BYTES && !expected_term.contains('.') {
            assert_eq!(got.replace(' ', ""), expected_term, "U+{:04X} {c:?}", c as u32);
            checked += 1;
        }
    }
    assert!(checked > 100_000, "only {checked} chars checked");
}

#[test]
fn combining_marks_match_unicode_normalization() {
    for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
        let is_mark = unicode_normalization::char::is_combining_mark(c);
        // A mark alone yields no token; a letter followed by a mark folds as the letter alone.
        let with_mark = format!("a{c}");
        if is_mark {
            assert_eq!(normalize(&with_mark), "a", "U+{:04X} is a combining mark", c as u32);
        }
    }
}
