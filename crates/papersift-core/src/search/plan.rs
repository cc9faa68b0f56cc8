//! Phase one of a search: the query and options turned into what to look up, before any index
//! data is read. A [`Plan`] holds each query word (with its byte range, for "did you mean"),
//! whether it may match as a prefix, the phrases, exclusions and filters, and it names the
//! dictionary ranges it will read first ([`Plan::pieces`]).
//!
//! # Limits
//!
//! A query string of any size plans in bounded work: only its first [`MAX_QUERY_BYTES`] bytes
//! are parsed, and only its first [`MAX_QUERY_WORDS`] words are looked up (a compound word counts
//! once per part it may fall back to, a phrase once per word, and a phrase that does not fit is
//! left out whole). Where the searched part ends is reported as
//! [`SearchResults::ignored_from`](super::SearchResults::ignored_from), so a page can say that the
//! end of a long query was not searched. The author filter keeps its first [`MAX_AUTHOR_TERMS`]
//! terms.

use std::ops::Range;

use super::phrase::{words_of, Phrase};
use super::{Piece, SearchOptions};
use crate::query::{self, Clause};
use crate::schema::Field;
use crate::termdict::{typo_budget, TermRange};
use crate::text::{self, TokenKind};

/// The longest query searched, in bytes: the rest of a longer query is ignored (cut on a char
/// boundary). Parsing and tokenizing are linear, so this bounds the planning of a pasted megabyte.
pub const MAX_QUERY_BYTES: usize = 4096;

/// The most query words looked up. Each word costs dictionary lookups, up to a Levenshtein
/// automaton and the postings of its expansions, so this bounds a query's work; it also keeps
/// every required word within the 62 match bits of the accumulator (with [`MAX_AUTHOR_TERMS`]).
pub const MAX_QUERY_WORDS: usize = 32;

/// The most terms of the author filter (`options.authors`), each a required word.
pub const MAX_AUTHOR_TERMS: usize = 24;

// Every required word must fit in the accumulator's 62 match bits.
const _: () = assert!(MAX_QUERY_WORDS + MAX_AUTHOR_TERMS <= 62);

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
    /// The byte offset in the query from which nothing was searched, when a limit cut it.
    pub(crate) ignored_from: Option<usize>,
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
            let budget = full_typo_budget(term, open);
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

    /// The typo ranges every execution of the plan reads, whatever the dictionary holds: a
    /// word's typo lookup waits for its own chunk, because a word found exactly gets one typo less
    /// than [`full_typo_budget`], but from a budget of two that smaller lookup is certain (an
    /// unknown word's full one reads a superset of its chunks). Named with the words' own ranges,
    /// they load a round earlier, and load nothing that the query would not read.
    pub(crate) fn certain_typo_ranges(&self) -> impl Iterator<Item = TermRange> + '_ {
        let words = self.clauses.iter().flat_map(|clause| match clause {
            PlannedClause::Text { words, .. } if self.options.fuzzy => words.as_slice(),
            _ => &[],
        });
        words.filter_map(|w| {
            let distance = full_typo_budget(&w.term, w.open).checked_sub(1).filter(|d| *d > 0)?;
            Some(TermRange::Typos { word: w.term.clone(), distance, prefix: w.open })
        })
    }

    /// Whether filtering or facet counting reads the year and venue columns.
    pub(crate) fn needs_facets(&self) -> bool {
        self.options.facets || self.year_min.is_some() || self.year_max.is_some() || !self.options.venues.is_empty()
    }
}

/// The typo budget of a query word not found in the dictionary: by its length, one character
/// less for a word still being typed (its end is unknown). [`crate::termdict::Expander`] gives a
/// word found exactly one typo less.
fn full_typo_budget(term: &str, open: bool) -> u8 {
    let chars = term.chars().count();
    typo_budget(if open { chars.saturating_sub(1) } else { chars })
}

/// Plans `query` with `options` (see [`crate::query`] for the syntax). Reads no index data.
/// Only the first [`MAX_QUERY_BYTES`] bytes and [`MAX_QUERY_WORDS`] words are planned.
pub fn plan(query: &str, options: &SearchOptions) -> Plan {
    let searched = within_bytes(query, MAX_QUERY_BYTES);
    let mut ignored_from = (searched.len() < query.len()).then_some(searched.len());
    let parsed = query::parse(searched);
    // A query cut short does not end inside a word the user is typing.
    let last_word_open = parsed.last_word_open && ignored_from.is_none();
    let last_text = parsed.clauses.iter().rposition(|c| matches!(c, Clause::Text { .. }));
    let mut clauses = Vec::with_capacity(parsed.clauses.len());
    let mut budget = Budget { left: MAX_QUERY_WORDS, ignored_from: &mut ignored_from };
    for (i, (clause, range)) in parsed.clauses.iter().zip(&parsed.ranges).enumerate() {
        if budget.left == 0 {
            budget.stop_at(range.start);
            break;
        }
        match clause {
            Clause::Text { text, field } => {
                let open_last = last_word_open && Some(i) == last_text;
                let mut words = text_words(text, range.start, *field, open_last, options);
                let kept = budget.take_words(&words);
                words.truncate(kept);
                clauses.push(PlannedClause::Text { field: *field, words });
            }
            Clause::Phrase { text, field } => {
                if let Some(phrase) = Phrase::parse(text, *field) {
                    if budget.take_phrase(&phrase, range.start) {
                        clauses.push(PlannedClause::Phrase(phrase));
                    }
                }
            }
            Clause::Exclude { text, phrase: true, field } => {
                if let Some(phrase) = Phrase::parse(text, *field) {
                    if budget.take_phrase(&phrase, range.start) {
                        clauses.push(PlannedClause::ExcludePhrase(phrase));
                    }
                }
            }
            Clause::Exclude { text, phrase: false, field } => {
                let mut terms = whole_terms(text);
                terms.truncate(budget.take_terms(terms.len(), range.start));
                clauses.push(PlannedClause::ExcludeWords { field: *field, terms });
            }
        }
    }
    let year_min = parsed.year_min.max(options.year_min);
    let year_max = match (parsed.year_max, options.year_max) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let author_terms = options.authors.iter().flat_map(|name| whole_terms(name)).take(MAX_AUTHOR_TERMS).collect();
    Plan { query: query.to_string(), options: options.clone(), clauses, author_terms, year_min, year_max, ignored_from }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a char boundary.
fn within_bytes(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The words a query may still look up, and where the first one left out was.
struct Budget<'a> {
    left: usize,
    ignored_from: &'a mut Option<usize>,
}

impl Budget<'_> {
    /// Notes that nothing from byte `at` of the query on is searched.
    fn stop_at(&mut self, at: usize) {
        *self.ignored_from = Some(self.ignored_from.map_or(at, |from| from.min(at)));
        self.left = 0;
    }

    /// How many of `words` fit. A compound costs one lookup per part it may fall back to.
    fn take_words(&mut self, words: &[PlannedWord]) -> usize {
        for (i, word) in words.iter().enumerate() {
            let cost = word.parts.len().max(1);
            if cost > self.left {
                self.stop_at(word.range.start);
                return i;
            }
            self.left -= cost;
        }
        words.len()
    }

    /// How many of `count` excluded words at byte `at` fit.
    fn take_terms(&mut self, count: usize, at: usize) -> usize {
        if count > self.left {
            let kept = self.left;
            self.stop_at(at);
            return kept;
        }
        self.left -= count;
        count
    }

    /// Whether the whole phrase at byte `at` fits: a phrase is kept whole or not at all.
    fn take_phrase(&mut self, phrase: &Phrase, at: usize) -> bool {
        if phrase.words.len() > self.left {
            self.stop_at(at);
            return false;
        }
        self.left -= phrase.words.len();
        true
    }
}

/// The terms of the whole words of `text` (compound parts left out).
fn whole_terms(text: &str) -> Vec<String> {
    text::tokenize(text).into_iter().filter(|t| t.kind == TokenKind::Whole).map(|t| t.term).collect()
}

/// The words of a text clause starting at byte `base` of the query.
fn text_words(
    text: &str,
    base: usize,
    field: Option<Field>,
    open_last: bool,
    options: &SearchOptions,
) -> Vec<PlannedWord> {
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
    planned
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

    /// Every word the plan looks up, phrase and excluded words included.
    fn looked_up(plan: &Plan) -> usize {
        plan.clauses
            .iter()
            .map(|c| match c {
                PlannedClause::Text { words, .. } => words.iter().map(|w| w.parts.len().max(1)).sum(),
                PlannedClause::Phrase(p) | PlannedClause::ExcludePhrase(p) => p.words.len(),
                PlannedClause::ExcludeWords { terms, .. } => terms.len(),
            })
            .sum()
    }

    #[test]
    fn words_past_the_limit_are_ignored_and_where_they_start_is_said() {
        let words: Vec<String> = (0..10_000).map(|i| format!("w{i}")).collect();
        let query = words.join(" ");
        let plan = plan(&query, &SearchOptions::default());
        assert_eq!(looked_up(&plan), MAX_QUERY_WORDS);
        // The first word left out is the 33rd, which starts the ignored part.
        let from = plan.ignored_from.expect("a 10,000-word query is cut");
        assert!(query[from..].starts_with(&format!("w{MAX_QUERY_WORDS} ")), "{}", &query[from..from + 10]);
        assert_eq!(super::plan("model merging", &SearchOptions::default()).ignored_from, None);
    }

    #[test]
    fn a_phrase_that_does_not_fit_is_left_out_whole() {
        let head = vec!["word"; MAX_QUERY_WORDS - 1].join(" ");
        let query = format!("{head} \"model merging\" tail");
        let plan = plan(&query, &SearchOptions::default());
        assert!(!plan.clauses.iter().any(|c| matches!(c, PlannedClause::Phrase(_))));
        assert_eq!(plan.ignored_from, Some(query.find("model").unwrap()));
        // 10,000 quoted words: 32 one-word phrases.
        let quotes: String = (0..10_000).map(|i| format!("\"q{i}\" ")).collect();
        let plan = super::plan(&quotes, &SearchOptions::default());
        assert_eq!(plan.clauses.len(), MAX_QUERY_WORDS);
        assert!(plan.ignored_from.is_some());
    }

    #[test]
    fn a_query_past_the_byte_limit_is_cut_on_a_char_boundary_and_not_left_open() {
        for unit in ["a", "é", "😀", "\u{200d}", "e\u{301}"] {
            let query = unit.repeat(1 << 20);
            let plan = plan(&query, &SearchOptions::default());
            let from = plan.ignored_from.expect("a megabyte query is cut");
            assert!(from <= MAX_QUERY_BYTES && query.is_char_boundary(from), "{unit:?}: {from}");
            assert!(looked_up(&plan) <= MAX_QUERY_WORDS);
            let open = plan
                .clauses
                .iter()
                .any(|c| matches!(c, PlannedClause::Text { words, .. } if words.iter().any(|w| w.open)));
            assert!(!open, "{unit:?}: a cut word is not being typed");
        }
    }

    #[test]
    fn exclusions_past_the_limit_are_cut_without_overflowing_the_budget() {
        let head = vec!["word"; MAX_QUERY_WORDS - 1].join(" ");
        let query = format!("{head} -alpha.beta.gamma tail");
        let plan = plan(&query, &SearchOptions::default());
        assert_eq!(looked_up(&plan), MAX_QUERY_WORDS);
        assert!(plan.ignored_from.is_some());
    }

    #[test]
    fn the_author_filter_keeps_its_first_terms() {
        let authors = (0..1000).map(|i| format!("author{i} name{i}")).collect();
        let plan = plan("x", &SearchOptions { authors, ..SearchOptions::default() });
        assert_eq!(plan.author_terms.len(), MAX_AUTHOR_TERMS);
    }
}
