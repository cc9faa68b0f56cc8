//! Phase one of a search: the query and options turned into what to look up, before any index
//! data is read. A [`Plan`] holds each query word (with its byte range, for "did you mean"),
//! whether it may match as a prefix, the phrases, exclusions and filters, and it names the
//! dictionary ranges it will read first ([`Plan::pieces`]).

use std::ops::Range;

use super::phrase::{words_of, Phrase};
use super::{Piece, SearchOptions};
use crate::query::{self, Clause};
use crate::schema::Field;
use crate::termdict::{typo_budget, TermRange};
use crate::text::{self, TokenKind};

/// A query word to expand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlannedWord {
    /// Its normalized term.
    pub(crate) term: String,
    /// Where it is in the query.
    pub(crate) range: Range<usize>,
    /// The terms of a compound's parts (`gpt-4o` → `gpt`, `4o`): the fallback when the whole
    /// word is unknown.
    pub(crate) parts: Vec<String>,
    /// It may match as a prefix: the word is still being typed.
    pub(crate) open: bool,
}

/// One clause of the query, ready to expand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PlannedClause {
    /// Scored words, restricted to a field when `field` is set (and then required).
    Text { field: Option<Field>, words: Vec<PlannedWord> },
    /// A phrase: each word is required, then the phrase is verified in the stored text.
    Phrase(Phrase),
    /// Words whose papers are excluded.
    ExcludeWords { field: Option<Field>, terms: Vec<String> },
    /// A phrase whose papers are excluded.
    ExcludePhrase(Phrase),
}

/// What a query asks for, before the index is read. Made by [`super::plan`], run by
/// [`super::execute`].
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub(crate) query: String,
    pub(crate) options: SearchOptions,
    pub(crate) clauses: Vec<PlannedClause>,
    /// Terms of the author filter (`options.authors`), each required in the authors field.
    pub(crate) author_terms: Vec<String>,
    /// The year range of the query's `year:` clauses and the options, intersected.
    pub(crate) year_min: Option<u16>,
    pub(crate) year_max: Option<u16>,
}

impl Plan {
    /// The pieces the plan reads before anything else: every dictionary range its words need
    /// (exact terms, stems, completions of the word being typed, typo matches), and the facet columns when it filters by year or venue or counts facets.
    /// [`super::execute`] names the rest (postings lists and stored documents) once it
    /// knows them; a word with no exact match may also ask for typo matches to find a correction.
    pub fn pieces(&self) -> Vec<Piece> {
        let mut ranges: Vec<TermRange> = Vec::new();
        let mut word = |term: &str, open: bool, fuzzy: bool| {
            ranges.push(TermRange::Term(term.to_string()));
            ranges.push(TermRange::Stem(text::stem(term).into_owned()));
            if open {
                ranges.push(TermRange::Prefix(term.to_string()));
            }
            let chars = term.chars().count();
            let budget = typo_budget(if open { chars.saturating_sub(1) } else { chars });
            if fuzzy && budget > 0 {
                // The full budget: a word found exactly gets one typo less, whose chunks are
                // among these.
                ranges.push(TermRange::Typos { word: term.to_string(), distance: budget, prefix: open });
            }
        };
        for clause in &self.clauses {
            match clause {
                PlannedClause::Text { words, .. } => {
                    for w in words {
                        word(&w.term, w.open, self.options.fuzzy);
                        for part in &w.parts {
                            word(part, false, false);
                        }
                    }
                }
                PlannedClause::Phrase(phrase) => phrase.words.iter().for_each(|(_, term)| word(term, false, false)),
                PlannedClause::ExcludeWords { terms, .. } => terms.iter().for_each(|term| word(term, false, false)),
                PlannedClause::ExcludePhrase(_) => {}
            }
        }
        self.author_terms.iter().for_each(|term| word(term, false, false));
        let mut pieces: Vec<Piece> = Vec::new();
        for range in ranges {
            let piece = Piece::Terms(range);
            if !pieces.contains(&piece) {
                pieces.push(piece);
            }
        }
        if self.needs_facets() {
            pieces.push(Piece::Facets);
        }
        pieces
    }

    /// Whether filtering or facet counting reads the year and venue columns.
    pub(crate) fn needs_facets(&self) -> bool {
        self.options.facets || self.year_min.is_some() || self.year_max.is_some() || !self.options.venues.is_empty()
    }
}

/// Plans `query` with `options` (see [`crate::query`] for the syntax). Reads no index data.
pub fn plan(query: &str, options: &SearchOptions) -> Plan {
    let parsed = query::parse(query);
    let last_text = parsed.clauses.iter().rposition(|c| matches!(c, Clause::Text { .. }));
    let mut clauses = Vec::with_capacity(parsed.clauses.len());
    for (i, (clause, range)) in parsed.clauses.iter().zip(&parsed.ranges).enumerate() {
        match clause {
            Clause::Text { text, field } => {
                let open_last = parsed.last_word_open && Some(i) == last_text;
                clauses.push(text_clause(text, range.start, *field, open_last, options));
            }
            Clause::Phrase { text, field } => {
                if let Some(phrase) = Phrase::parse(text, *field) {
                    clauses.push(PlannedClause::Phrase(phrase));
                }
            }
            Clause::Exclude { text, phrase: true, field } => {
                if let Some(phrase) = Phrase::parse(text, *field) {
                    clauses.push(PlannedClause::ExcludePhrase(phrase));
                }
            }
            Clause::Exclude { text, phrase: false, field } => {
                clauses.push(PlannedClause::ExcludeWords { field: *field, terms: whole_terms(text) });
            }
        }
    }
    let year_min = parsed.year_min.max(options.year_min);
    let year_max = match (parsed.year_max, options.year_max) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    Plan {
        query: query.to_string(),
        options: options.clone(),
        clauses,
        author_terms: options.authors.iter().flat_map(|name| whole_terms(name)).collect(),
        year_min,
        year_max,
    }
}

/// The terms of the whole words of `text` (compound parts left out).
fn whole_terms(text: &str) -> Vec<String> {
    text::tokenize(text).into_iter().filter(|t| t.kind == TokenKind::Whole).map(|t| t.term).collect()
}

/// The words of a text clause starting at byte `base` of the query.
fn text_clause(
    text: &str,
    base: usize,
    field: Option<Field>,
    open_last: bool,
    options: &SearchOptions,
) -> PlannedClause {
    let tokens = text::tokenize(text);
    let words = words_of(&tokens);
    let last = words.len().saturating_sub(1);
    let any_content = words.iter().any(|w| !text::is_stop_word(&w.whole.term));
    let mut planned = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        let open = open_last && i == last && options.prefix;
        // Stop words add little and cost a long postings list; they are dropped unless the
        // query has nothing else, or the word is still being typed.
        if any_content && !open && field.is_none() && text::is_stop_word(&word.whole.term) {
            continue;
        }
        planned.push(PlannedWord {
            term: word.whole.term.clone(),
            range: base + word.whole.start..base + word.whole.end,
            parts: word.parts.iter().map(|p| p.term.clone()).collect(),
            open,
        });
    }
    PlannedClause::Text { field, words: planned }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_names_the_dictionary_ranges_of_its_words() {
        let plan = plan("merging mod", &SearchOptions::default());
        let pieces = plan.pieces();
        for range in [
            TermRange::Term("merging".into()),
            TermRange::Stem("merg".into()),
            TermRange::Prefix("mod".into()),
            TermRange::Typos { word: "merging".into(), distance: 1, prefix: false },
        ] {
            assert!(pieces.contains(&Piece::Terms(range.clone())), "{range:?} in {pieces:?}");
        }
        assert!(!pieces.contains(&Piece::Terms(TermRange::Prefix("merging".into()))));
        assert!(!pieces.contains(&Piece::Facets));
        let exact = super::plan("merging mod ", &SearchOptions { fuzzy: false, ..SearchOptions::default() });
        assert!(!exact.pieces().iter().any(|p| matches!(p, Piece::Terms(TermRange::Typos { .. }))));
    }

    #[test]
    fn word_ranges_point_into_the_query() {
        let query = "\"model\" merging title:graph -vision merg";
        let plan = plan(query, &SearchOptions { venues: vec!["ACL".into()], ..SearchOptions::default() });
        let words: Vec<(&str, bool)> = plan
            .clauses
            .iter()
            .flat_map(|c| match c {
                PlannedClause::Text { words, .. } => words.iter().map(|w| (&query[w.range.clone()], w.open)).collect(),
                _ => Vec::new(),
            })
            .collect();
        assert_eq!(words, [("merging", false), ("graph", false), ("merg", true)]);
        assert!(plan.pieces().contains(&Piece::Facets));
    }
}
