//! The reference folding of one char, straight from the Unicode data of `unicode-normalization`:
//! NFKD, lower-case, NFKD again, combining marks and non-alphanumerics dropped. Hangul syllables
//! are kept whole (decomposing them to jamo would make one typo per jamo). The engine's
//! `text::fold` tables are generated from this and checked against it.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// The folded form of a letter or digit, or `None` for other chars.
pub fn fold_reference(c: char) -> Option<String> {
    if !c.is_alphanumeric() {
        return None;
    }
    if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
        return Some(c.to_lowercase().collect());
    }
    let mut out = String::new();
    decompose_compatible(c, |decomposed| {
        for lower in decomposed.to_lowercase() {
            decompose_compatible(lower, |folded| {
                if !is_combining_mark(folded) && folded.is_alphanumeric() {
                    out.push(folded);
                }
            });
        }
    });
    Some(out)
}
