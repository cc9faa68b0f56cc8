//! Highlights and snippets: which words of a stored text matched, and the best window of an
//! abstract to show. Uses the same tokenizer as indexing, so a highlight is exactly a match.

use std::collections::{HashMap, HashSet};

use crate::index::{Snippet, Span};
use crate::text::{self, Token};

/// What counts as a match when highlighting: exact dictionary terms (including the completions
/// and typo matches a query expanded to) and stems.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matcher {
    /// Normalized terms that match.
    pub terms: HashSet<String>,
    /// Stems whose words match.
    pub stems: HashSet<String>,
}

impl Matcher {
    /// Whether a token of a stored text matches the query.
    pub fn matches(&self, token: &Token) -> bool {
        self.terms.contains(&token.term) || (!self.stems.is_empty() && self.stems.contains(text::stem(&token.term).as_ref()))
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
        merge(text::tokenize(text).iter().filter(|t| self.matches(t)).map(|t| Span { start: t.start, end: t.end }))
    }
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
    let tokens = text::tokenize(text);
    let matched: Vec<&Token> = tokens.iter().filter(|t| matcher.matches(t)).collect();
    let max_bytes = char_budget_to_bytes(text, max_chars);
    if text.len() <= max_bytes {
        let highlights = merge(matched.iter().map(|t| Span { start: t.start, end: t.end }));
        return Snippet { text: text.to_string(), highlights };
    }
    // Try a window starting a little before each match; keep the best.
    let lead = max_bytes / 5;
    let mut best = (0usize, 0usize, 0usize); // (distinct, count, start)
    for anchor in &matched {
        let start = word_start_before(&tokens, anchor.start.saturating_sub(lead));
        let end = start + max_bytes;
        let inside: Vec<&&Token> = matched.iter().filter(|t| t.start >= start && t.end <= end).collect();
        let distinct = inside.iter().map(|t| t.term.as_str()).collect::<HashSet<_>>().len();
        if (distinct, inside.len()) > (best.0, best.1) {
            best = (distinct, inside.len(), start);
        }
    }
    let start = best.2;
    let mut end = (start + max_bytes).min(text.len());
    // End on a word boundary: the end of the last token that fits.
    if let Some(last) = tokens.iter().filter(|t| t.end <= end && t.start >= start).last() {
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
fn word_start_before(tokens: &[Token], at: usize) -> usize {
    tokens.iter().find(|t| t.start >= at).map_or(at, |t| t.start)
}

/// Where `words` (terms at relative positions) occur in `text` with their positions lined up,
/// as the position of the first word, or `None`.
pub fn phrase_positions(text: &str, words: &[(u32, String)]) -> Option<u32> {
    let (first_offset, first_term) = words.first()?;
    let tokens = text::tokenize(text);
    let mut at: HashMap<(u32, &str), ()> = HashMap::with_capacity(tokens.len());
    for token in &tokens {
        at.insert((token.position, token.term.as_str()), ());
    }
    tokens
        .iter()
        .filter(|t| &t.term == first_term && t.position >= *first_offset)
        .map(|t| t.position - first_offset)
        .find(|start| words.iter().all(|(offset, term)| at.contains_key(&(start + offset, term.as_str()))))
}
