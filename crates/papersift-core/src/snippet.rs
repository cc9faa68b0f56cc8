//! Highlights and snippets: which words of a stored text matched, and the best window of an
//! abstract to show. Uses the same tokenizer as indexing, so a highlight is exactly a match.

use rustc_hash::FxHashSet;

use serde::Serialize;

use crate::text;

/// A highlighted range, as byte offsets into the string it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Byte offset of the first highlighted byte.
    pub start: usize,
    /// Byte offset one past the last highlighted byte.
    pub end: usize,
}

/// A window of the abstract around the best matches.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Snippet {
    /// The window's text. Starts or ends with `…` when it was cut from a longer abstract.
    pub text: String,
    /// Highlights, as byte offsets into `text`.
    pub highlights: Vec<Span>,
}

/// What counts as a match when highlighting: exact dictionary terms (including the completions
/// and typo matches a query expanded to) and stems.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matcher {
    /// Normalized terms that match.
    pub terms: FxHashSet<String>,
    /// Stems whose words match.
    pub stems: FxHashSet<String>,
}

impl Matcher {
    /// Whether a term of a stored text matches the query.
    pub fn matches(&self, term: &str) -> bool {
        if self.terms.contains(term) {
            return true;
        }
        // Stemming every word of every snippet is the expensive part of highlighting, so only
        // words that can stem to one of the stems are stemmed (see `stem_key`).
        !self.stems.is_empty()
            && self.stems.iter().any(|stem| stem_key(stem) == stem_key(term))
            && self.stems.contains(text::stem(term).as_ref())
    }

    /// Highlight spans in `text`, merged where matches overlap or touch.
    ///
    /// ```
    /// use papersift_core::snippet::Matcher;
    /// let mut matcher = Matcher::default();
    /// matcher.terms.insert("merging".into());
    /// let spans = matcher.highlight("Model Merging works");
    /// assert_eq!((spans[0].start, spans[0].end), (6, 13));
    /// ```
    pub fn highlight(&self, text: &str) -> Vec<Span> {
        let mut spans = Vec::new();
        text::for_each_token(text, |t| {
            if self.matches(t.term) {
                spans.push(Span { start: t.start, end: t.end });
            }
        });
        merge(spans.into_iter())
    }
}

/// The first two bytes of a word or stem, with a second `y` read as `i`. English Snowball stems
/// keep a word's first byte and change its second only from `y` to `i` (`dying` → `die`), so a
/// word whose key differs from a stem's cannot have that stem.
fn stem_key(word: &str) -> [u8; 2] {
    let bytes = word.as_bytes();
    let second = match bytes.get(1) {
        Some(b'y') => b'i',
        Some(b) => *b,
        None => 0,
    };
    [bytes.first().copied().unwrap_or(0), second]
}

fn merge(spans: impl Iterator<Item = Span>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for span in spans {
        match out.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => out.push(span),
        }
    }
    out
}

const ELLIPSIS: &str = "…";

/// The window of about `max_chars` characters of `text` that shows the most distinct matching
/// words (then the most matches), cut at word boundaries, with its highlights.
pub fn best_window(text: &str, matcher: &Matcher, max_chars: usize) -> Snippet {
    // Token spans (for cutting at word boundaries) and the matched ones, with an id per distinct
    // matched term (for counting distinct words in a window).
    let mut spans: Vec<Span> = Vec::with_capacity(text.len() / 6 + 1);
    let mut matched: Vec<(Span, usize)> = Vec::new();
    let mut distinct_terms: Vec<String> = Vec::new();
    text::for_each_token(text, |t| {
        let span = Span { start: t.start, end: t.end };
        spans.push(span);
        if matcher.matches(t.term) {
            let id = distinct_terms.iter().position(|d| d == t.term).unwrap_or_else(|| {
                distinct_terms.push(t.term.to_string());
                distinct_terms.len() - 1
            });
            matched.push((span, id));
        }
    });
    let max_bytes = char_budget_to_bytes(text, max_chars);
    if text.len() <= max_bytes {
        let highlights = merge(matched.iter().map(|(span, _)| *span));
        return Snippet { text: text.to_string(), highlights };
    }
    // Try a window starting a little before each match; keep the best.
    let lead = max_bytes / 5;
    let mut best = (0usize, 0usize, 0usize); // (distinct, count, start)
    let mut seen = vec![false; distinct_terms.len()];
    for (anchor, _) in &matched {
        let start = word_start_before(&spans, anchor.start.saturating_sub(lead));
        let end = start + max_bytes;
        seen.iter_mut().for_each(|s| *s = false);
        let mut count = 0;
        for (_, id) in matched.iter().filter(|(s, _)| s.start >= start && s.end <= end) {
            seen[*id] = true;
            count += 1;
        }
        let distinct = seen.iter().filter(|s| **s).count();
        if (distinct, count) > (best.0, best.1) {
            best = (distinct, count, start);
        }
    }
    let start = best.2;
    let mut end = (start + max_bytes).min(text.len());
    // End on a word boundary: the end of the last token that fits.
    if let Some(last) = spans.iter().rfind(|t| t.end <= end && t.start >= start) {
        if end < text.len() {
            end = last.end;
        }
    }
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let prefix = if start > 0 { ELLIPSIS } else { "" };
    let suffix = if end < text.len() { ELLIPSIS } else { "" };
    let shift = prefix.len();
    let highlights = merge(
        matched
            .iter()
            .map(|(span, _)| *span)
            .filter(|t| t.start >= start && t.end <= end)
            .map(|t| Span { start: t.start - start + shift, end: t.end - start + shift }),
    );
    Snippet { text: format!("{prefix}{}{suffix}", text[start..end].trim_end()), highlights }
}

/// Byte length of the first `chars` characters of `text` (or all of it).
fn char_budget_to_bytes(text: &str, chars: usize) -> usize {
    text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i)
}

/// The start of the first token at or after `at` (so windows never begin mid-word).
fn word_start_before(spans: &[Span], at: usize) -> usize {
    spans.iter().find(|t| t.start >= at).map_or(at, |t| t.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut in `Matcher::matches` relies on stems keeping their word's key.
    #[test]
    fn stems_keep_the_key_of_their_word() {
        let corpus = include_str!("../../../data/daily_papers.txt");
        let mut checked = 0;
        let words = ["dying", "lying", "tying", "skies", "happy", "yearly", "ugly", "early", "only", "news", "idly"];
        for token in text::tokenize(corpus).iter().map(|t| t.term.as_str()).chain(words) {
            let stem = text::stem(token);
            if stem != token {
                assert_eq!(stem_key(&stem), stem_key(token), "{token} → {stem}");
                checked += 1;
            }
        }
        assert!(checked > 1000);
    }
}
