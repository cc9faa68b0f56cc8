//! Phrases: a quoted run of words must occur in a document's stored text, adjacent and in
//! order. Postings carry no positions (that keeps the index small), so phrase candidates are
//! verified against the stored text with the same tokenizer that indexed it.

use crate::format::store::Store;
use crate::schema::Field;
use crate::text::{self, Token, TokenKind};

/// A phrase: its words' terms by relative position, and the field it must occur in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    /// (position relative to the first word, term), in order.
    pub words: Vec<(u32, String)>,
    /// Only this field counts, when set.
    pub field: Option<Field>,
}

/// A query word and the tokens it came from: a compound (`gpt-4o`) has parts.
pub(crate) struct Word<'t> {
    pub(crate) whole: &'t Token,
    pub(crate) parts: Vec<&'t Token>,
}

/// Groups tokens into words: each whole token with the part tokens inside it.
pub(crate) fn words_of(tokens: &[Token]) -> Vec<Word<'_>> {
    let mut words: Vec<Word<'_>> = Vec::new();
    for token in tokens {
        match (token.kind, words.last_mut()) {
            (TokenKind::Part, Some(word)) if token.start >= word.whole.start && token.end <= word.whole.end => {
                word.parts.push(token)
            }
            _ => words.push(Word { whole: token, parts: Vec::new() }),
        }
    }
    words
}

impl Phrase {
    /// The phrase a quoted text stands for, or `None` when it has no word. A compound word
    /// contributes its parts, which sit at consecutive positions.
    pub fn parse(quoted: &str, field: Option<Field>) -> Option<Phrase> {
        let tokens = text::tokenize(quoted);
        let mut phrase = Vec::new();
        for word in words_of(&tokens) {
            if word.parts.is_empty() {
                phrase.push((word.whole.position, word.whole.term.clone()));
            } else {
                phrase.extend(word.parts.iter().map(|p| (p.position, p.term.clone())));
            }
        }
        let first = phrase.first()?.0;
        Some(Phrase { words: phrase.into_iter().map(|(p, t)| (p - first, t)).collect(), field })
    }

    /// Whether the stored text of `doc` contains the phrase with its words adjacent.
    pub fn occurs_in(&self, store: &Store<'_>, doc: u32) -> bool {
        let Some((_, title, abstract_text)) = store.texts(doc) else { return false };
        // Phrase checks run on every candidate, so authors and venue are decoded only when asked for.
        let authors = || store.authors(doc).unwrap_or_default();
        let texts: Vec<&str> = match self.field {
            Some(Field::Title) => vec![title],
            Some(Field::Abstract) => vec![abstract_text],
            Some(Field::Authors) => authors(),
            Some(Field::Venue) => vec![store.venue(doc).unwrap_or_default()],
            None => {
                let mut all = vec![title, abstract_text];
                all.extend(authors());
                all
            }
        };
        texts.into_iter().any(|text| contains_phrase(text, &self.words))
    }
}

/// Where `words` (terms at relative positions) occur in `text` with their positions lined up,
/// as the position of the first word, or `None`.
pub fn phrase_positions(text: &str, words: &[(u32, String)]) -> Option<u32> {
    let (first_offset, first_term) = words.first()?;
    let tokens = text::tokenize(text);
    // Positions never decrease along the tokens, so each later word is looked for in a short
    // forward scan from the first word's token.
    tokens.iter().enumerate().find_map(|(i, t)| {
        if &t.term != first_term || t.position < *first_offset {
            return None;
        }
        let start = t.position - first_offset;
        let all = words.iter().all(|(offset, term)| {
            let want = start + offset;
            tokens[i..]
                .iter()
                .skip_while(|t| t.position < want)
                .take_while(|t| t.position == want)
                .any(|t| &t.term == term)
        });
        all.then_some(start)
    })
}

/// Whether `text` contains `words` as a phrase; the same answer as [`phrase_positions`], faster.
///
/// Tokenizing a whole abstract per candidate is what makes phrase queries slow, so for plain
/// ASCII text this tokenizes only windows around raw occurrences of the first word. That is exact
/// because in ASCII text without apostrophes every token whose term is a plain ASCII word is that
/// word spelled in some case, windows start and end at whitespace (a hard word boundary), and a
/// compound word's whole form (spelled with connectors) can never start a phrase of two or more
/// words: its parts take the positions after it.
pub fn contains_phrase(text: &str, words: &[(u32, String)]) -> bool {
    let Some((_, first)) = words.first() else { return false };
    let plain_anchor = words.len() >= 2
        && words[1].0 == words[0].0 + 1
        && first.len() < 64
        && !first.is_empty()
        && first.bytes().all(|b| b.is_ascii_alphanumeric());
    if !plain_anchor || !text.is_ascii() || text.bytes().any(|b| b == b'\'') {
        return phrase_positions(text, words).is_some();
    }
    let hay = text.as_bytes();
    let needle = first.as_bytes();
    let reach: usize = words.iter().map(|(_, w)| w.len() + 1).sum::<usize>() * 4 + 64;
    let mut from = 0;
    while let Some(at) = find_ascii_ci(hay, needle, from) {
        from = at + 1;
        let starts_word = at == 0 || !hay[at - 1].is_ascii_alphanumeric();
        if !starts_word {
            continue;
        }
        let start = hay[..at].iter().rposition(|b| b.is_ascii_whitespace()).map_or(0, |i| i + 1);
        let limit = (at + reach).min(hay.len());
        let end = hay[limit..].iter().position(|b| b.is_ascii_whitespace()).map_or(hay.len(), |i| limit + i);
        if phrase_positions(&text[start..end], words).is_some() {
            return true;
        }
    }
    false
}

/// The first position at or after `from` where `needle` (lower-case ASCII) occurs in `hay`,
/// ignoring ASCII case.
fn find_ascii_ci(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let (&head, rest) = needle.split_first()?;
    let mut at = from;
    while at + needle.len() <= hay.len() {
        let offset = hay[at..=hay.len() - needle.len()].iter().position(|b| b.to_ascii_lowercase() == head)?;
        let candidate = at + offset;
        if hay[candidate + 1..candidate + needle.len()].iter().zip(rest).all(|(a, b)| a.to_ascii_lowercase() == *b) {
            return Some(candidate);
        }
        at = candidate + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(text: &str) -> Vec<(u32, String)> {
        let tokens = text::tokenize(text);
        let first = tokens[0].position;
        tokens
            .iter()
            .filter(|t| t.kind == text::TokenKind::Whole)
            .map(|t| (t.position - first, t.term.clone()))
            .collect()
    }

    #[test]
    fn the_fast_phrase_check_agrees_with_full_tokenization() {
        let corpus = include_str!("../../../../data/daily_papers.txt");
        let lines: Vec<&str> = corpus.lines().filter(|l| l.len() > 200).collect();
        let mut checked = 0;
        for line in &lines {
            let words: Vec<&str> = line.split_whitespace().collect();
            for pair in words.windows(2).step_by(7) {
                let candidate = pair.join(" ");
                let p = phrase(&candidate);
                if p.len() != 2 || p.iter().any(|(_, w)| !w.bytes().all(|b| b.is_ascii_alphanumeric())) {
                    continue;
                }
                for text in lines.iter().take(20) {
                    assert_eq!(contains_phrase(text, &p), phrase_positions(text, &p).is_some(), "{candidate:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "only {checked} checks");
    }

    #[test]
    fn phrases_match_in_any_case_and_only_when_adjacent() {
        let p = phrase("model merging");
        assert!(contains_phrase("We study Model Merging here.", &p));
        assert!(contains_phrase("MODEL-MERGING? no: model merging!", &p));
        assert!(!contains_phrase("model and merging", &p));
        assert!(!contains_phrase("remodel merging", &p));
    }
}
