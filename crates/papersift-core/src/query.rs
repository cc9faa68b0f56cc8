//! Query syntax: parsing a query string into clauses. Anything unparsable is plain text.
//!
//! Syntax: `"exact phrase"`, `-exclude` (a word or a phrase), `title:word`, `author:name`,
//! `abstract:word`, `venue:name`, `year:2020`, `year:2019..2022` (also `year:2019..`, `year:..2022`,
//! `year:>=2019`, `year:<2022`). `title:"a phrase"` restricts a phrase to a field.
//!
//! # Rules
//!
//! * Items are separated by whitespace. A quote (`"`, `“` or `”`) also ends a word, so
//!   `foo"bar baz"` is the word `foo` and the phrase `bar baz`.
//! * Consecutive plain words form one [`Clause::Text`] whose text is the slice of the query
//!   that holds them (`model merging`). Every clause's text is a slice of the query.
//! * `field:` applies to the one word, or quoted phrase, right after the colon (no space).
//!   Field names are case-insensitive: `title`, `abstract`, `author` or `authors`, `venue`,
//!   `year`. An unknown name (`foo:bar`, `https://…`) is plain text. A field with nothing after
//!   it (`title:` then a space) is ignored.
//! * `-word`, `-"a phrase"`, `-title:word`, `-title:"a phrase"` exclude. Several leading dashes
//!   count as one. A dash with nothing searchable after it (`-`, `--`) is ignored, and so is
//!   `-year:…` (years cannot be excluded).
//! * An unclosed quote makes the rest of the query one plain [`Clause::Text`] of its own (not a
//!   phrase, no more syntax; a field before the quote is dropped).
//!   An empty phrase (`""`) is ignored.
//! * Years: `year:2020`, `year:2019..2022`, `year:2019..`, `year:..2022`, `year:>=2019`,
//!   `year:>2019`, `year:<=2022`, `year:<2022`, and `year:2019-2022`. A year must be in
//!   1000..=2999; a reversed range is swapped. Several `year:` clauses intersect (the result may
//!   be empty: `year_min > year_max`). A malformed value (`year:abc`, `year:20`) is plain text.
//! * [`ParsedQuery::last_word_open`] is true when the query ends in a letter or digit of a
//!   [`Clause::Text`], field-restricted or not: `model merg`, `title:merg`, and also the rest
//!   of an unclosed quote (`"model merg`), so results follow while a phrase is being typed.
//!
//! ```
//! use papersift_core::query::{parse, Clause, Field};
//!
//! let parsed = parse(r#"model merging title:"task arithmetic" -vision year:2022.. lor"#);
//! assert_eq!(
//!     parsed.clauses,
//!     [
//!         Clause::Text { text: "model merging".into(), field: None },
//!         Clause::Phrase { text: "task arithmetic".into(), field: Some(Field::Title) },
//!         Clause::Exclude { text: "vision".into(), phrase: false, field: None },
//!         Clause::Text { text: "lor".into(), field: None },
//!     ]
//! );
//! assert_eq!((parsed.year_min, parsed.year_max), (Some(2022), None));
//! assert!(parsed.last_word_open);
//! ```

use std::ops::Range;

/// A field a clause may be restricted to (the indexed fields of [`crate::schema`]).
pub use crate::schema::Field;

/// One clause of a parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// Free text: scored words (tokenize it with [`crate::text::tokenize`]).
    /// `field` restricts it to one field.
    Text {
        /// The raw text of the clause, e.g. `model merging` or `Schrödinger`.
        text: String,
        /// Field restriction, from `title:` etc.
        field: Option<Field>,
    },
    /// A quoted phrase: its words must appear in order, adjacent.
    Phrase {
        /// The raw text between the quotes.
        text: String,
        /// Field restriction.
        field: Option<Field>,
    },
    /// `-word` or `-"a phrase"`: papers matching it are excluded.
    Exclude {
        /// The raw text.
        text: String,
        /// True when it was quoted.
        phrase: bool,
        /// Field restriction, from `-title:word`.
        field: Option<Field>,
    },
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Clauses in query order.
    pub clauses: Vec<Clause>,
    /// The byte range of each clause's text in the query, parallel to `clauses`.
    pub ranges: Vec<Range<usize>>,
    /// Inclusive year range from `year:`; a lone year gives `(Some(y), Some(y))`.
    pub year_min: Option<u16>,
    /// Inclusive upper bound.
    pub year_max: Option<u16>,
    /// True when the query string ends inside a word (no trailing space, not inside quotes),
    /// so the last word of the last `Text` clause may match as a prefix.
    pub last_word_open: bool,
}

/// Parses a query. Never fails: malformed syntax (an unclosed quote, `year:abc`, an unknown
/// `foo:`) is searched as plain text.
///
/// ```
/// use papersift_core::query::{parse, Clause};
///
/// let parsed = parse("year:abc foo:bar \"unclosed phrase");
/// assert_eq!(
///     parsed.clauses,
///     [
///         Clause::Text { text: "year:abc foo:bar".into(), field: None },
///         Clause::Text { text: "unclosed phrase".into(), field: None },
///     ]
/// );
/// assert_eq!(parsed.year_min, None);
/// ```
pub fn parse(query: &str) -> ParsedQuery {
    let mut builder = Builder { query, parsed: ParsedQuery::default(), text: None, last_text_end: None };
    let mut at = 0;
    while let Some(start) = skip_whitespace(query, at) {
        let (item, end) = next_item(query, start);
        builder.push(item);
        at = end;
    }
    builder.finish()
}

/// One whitespace-separated piece of the query, before plain words are merged.
#[derive(Debug)]
enum Item {
    /// A plain word.
    Text(Range<usize>),
    /// The rest of the query after an unclosed quote: plain text, kept apart from the words
    /// before the quote (`title:"open` must not search `title`).
    Rest(Range<usize>),
    /// Punctuation with nothing searchable (`-`, `...`): it neither adds a clause nor separates
    /// the plain words around it.
    Noise,
    /// Syntax that is ignored (`title:` with no value) but still separates plain words.
    Ignored,
    Clause(Clause, Range<usize>),
    Year(YearRange),
}

/// An inclusive year range; `None` is unbounded.
type YearRange = (Option<u16>, Option<u16>);

fn skip_whitespace(query: &str, from: usize) -> Option<usize> {
    query[from..].char_indices().find(|(_, c)| !c.is_whitespace()).map(|(i, _)| from + i)
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}')
}

/// End of the word starting at `from`: the next whitespace or quote.
fn word_end(query: &str, from: usize) -> usize {
    query[from..].char_indices().find(|&(_, c)| c.is_whitespace() || is_quote(c)).map_or(query.len(), |(i, _)| from + i)
}

/// The quoted phrase opening at `open` (a quote char): its inner range and the end of the
/// closing quote, or `None` when it is never closed.
fn quoted(query: &str, open: usize) -> Option<(Range<usize>, usize)> {
    let inner = open + query[open..].chars().next()?.len_utf8();
    let (close, quote) = query[inner..].char_indices().find(|&(_, c)| is_quote(c))?;
    Some((inner..inner + close, inner + close + quote.len_utf8()))
}

fn starts_with_quote(query: &str, at: usize) -> bool {
    query[at..].chars().next().is_some_and(is_quote)
}

/// Whether `text` holds anything the tokenizer would index.
fn searchable(text: &str) -> bool {
    !crate::text::normalize(text).is_empty()
}

/// Reads the item starting at `start` (not whitespace); returns it and where it ends.
fn next_item(query: &str, start: usize) -> (Item, usize) {
    if starts_with_quote(query, start) {
        return phrase_item(query, start, None, false);
    }
    let after_dashes = start + query[start..].bytes().take_while(|&b| b == b'-').count();
    if after_dashes == start {
        return word_item(query, start, false);
    }
    if starts_with_quote(query, after_dashes) {
        return phrase_item(query, after_dashes, None, true);
    }
    // `-` alone, `--` or `-!` have nothing to exclude: `word_item` makes them noise.
    word_item(query, after_dashes, true)
}

/// A quoted phrase opening at `open`, or the plain rest of the query when it is not closed.
fn phrase_item(query: &str, open: usize, field: Option<Field>, exclude: bool) -> (Item, usize) {
    let Some((inner, end)) = quoted(query, open) else {
        let rest = open + query[open..].chars().next().map_or(0, char::len_utf8);
        let item = if searchable(&query[rest..]) { Item::Rest(rest..query.len()) } else { Item::Noise };
        return (item, query.len());
    };
    if !searchable(&query[inner.clone()]) {
        return (Item::Noise, end);
    }
    let text = query[inner.clone()].to_owned();
    let clause = if exclude { Clause::Exclude { text, phrase: true, field } } else { Clause::Phrase { text, field } };
    (Item::Clause(clause, inner), end)
}

/// A plain word, `field:value` or `field:"phrase"` starting at `start`, excluded when `exclude`.
fn word_item(query: &str, start: usize, exclude: bool) -> (Item, usize) {
    let end = word_end(query, start);
    let word = &query[start..end];
    let Some((name, value)) = word.split_once(':') else {
        return (plain_word(query, start..end, exclude), end);
    };
    let value_start = start + name.len() + 1;
    let field = match Field::from_name(name) {
        Some(field) => field,
        None if name.eq_ignore_ascii_case("year") => {
            return match parse_years(value) {
                _ if value.is_empty() => (Item::Ignored, end),
                Some(_) if exclude => (Item::Ignored, end),
                Some(years) => (Item::Year(years), end),
                None => (plain_word(query, start..end, exclude), end),
            };
        }
        None => return (plain_word(query, start..end, exclude), end),
    };
    if value.is_empty() {
        if starts_with_quote(query, value_start) {
            return phrase_item(query, value_start, Some(field), exclude);
        }
        return (Item::Ignored, end);
    }
    if !searchable(value) {
        return (Item::Ignored, end);
    }
    let text = value.to_owned();
    let clause = if exclude {
        Clause::Exclude { text, phrase: false, field: Some(field) }
    } else {
        Clause::Text { text, field: Some(field) }
    };
    (Item::Clause(clause, value_start..end), end)
}

fn plain_word(query: &str, range: Range<usize>, exclude: bool) -> Item {
    if !searchable(&query[range.clone()]) {
        return Item::Noise;
    }
    if exclude {
        let text = query[range.clone()].to_owned();
        return Item::Clause(Clause::Exclude { text, phrase: false, field: None }, range);
    }
    Item::Text(range)
}

/// The value of `year:`, or `None` when it is not a year or a range of years.
fn parse_years(value: &str) -> Option<YearRange> {
    let year = |s: &str| -> Option<u16> {
        if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok().filter(|y| (1000..=2999).contains(y))
    };
    let bounded = |min: Option<u16>, max: Option<u16>| match (min, max) {
        (Some(min), Some(max)) if min > max => Some((Some(max), Some(min))),
        _ => Some((min, max)),
    };
    if let Some(rest) = value.strip_prefix(">=") {
        return Some((Some(year(rest)?), None));
    }
    if let Some(rest) = value.strip_prefix("<=") {
        return Some((None, Some(year(rest)?)));
    }
    if let Some(rest) = value.strip_prefix('>') {
        return Some((Some(year(rest)? + 1), None));
    }
    if let Some(rest) = value.strip_prefix('<') {
        return Some((None, Some(year(rest)? - 1)));
    }
    if let Some((min, max)) = value.split_once("..").or_else(|| value.split_once('-')) {
        return match (min, max) {
            ("", "") => None,
            ("", max) => bounded(None, Some(year(max)?)),
            (min, "") => bounded(Some(year(min)?), None),
            (min, max) => bounded(Some(year(min)?), Some(year(max)?)),
        };
    }
    let single = year(value)?;
    Some((Some(single), Some(single)))
}

/// Merges plain words into [`Clause::Text`] and collects the rest.
struct Builder<'q> {
    query: &'q str,
    parsed: ParsedQuery,
    /// The plain words not yet flushed: from the first one's start to the last one's end.
    text: Option<Range<usize>>,
    /// Where the last clause ends in the query, when it is a `Text` clause.
    last_text_end: Option<usize>,
}

impl Builder<'_> {
    fn push(&mut self, item: Item) {
        match item {
            Item::Text(range) => {
                self.text = Some(match self.text.take() {
                    Some(text) => text.start..range.end,
                    None => range,
                });
            }
            Item::Rest(range) => {
                self.flush_text();
                self.text = Some(range);
            }
            Item::Noise => {}
            Item::Ignored => self.flush_text(),
            Item::Clause(clause, range) => {
                self.flush_text();
                self.last_text_end = matches!(clause, Clause::Text { .. }).then_some(range.end);
                self.parsed.clauses.push(clause);
                self.parsed.ranges.push(range);
            }
            Item::Year((min, max)) => {
                self.flush_text();
                // Several `year:` clauses intersect.
                if let Some(min) = min {
                    self.parsed.year_min = Some(self.parsed.year_min.map_or(min, |m| m.max(min)));
                }
                if let Some(max) = max {
                    self.parsed.year_max = Some(self.parsed.year_max.map_or(max, |m| m.min(max)));
                }
            }
        }
    }

    fn flush_text(&mut self) {
        if let Some(range) = self.text.take() {
            self.parsed.clauses.push(Clause::Text { text: self.query[range.clone()].to_owned(), field: None });
            self.last_text_end = Some(range.end);
            self.parsed.ranges.push(range);
        }
    }

    fn finish(mut self) -> ParsedQuery {
        self.flush_text();
        let ends_in_word =
            self.query.chars().next_back().is_some_and(|c| c.is_alphanumeric() || crate::text::is_combining_mark(c));
        let last_is_text = matches!(self.parsed.clauses.last(), Some(Clause::Text { .. }));
        self.parsed.last_word_open = ends_in_word && last_is_text && self.last_text_end == Some(self.query.len());
        self.parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(text: &str) -> Clause {
        Clause::Text { text: text.to_owned(), field: None }
    }

    fn field_text(text: &str, field: Field) -> Clause {
        Clause::Text { text: text.to_owned(), field: Some(field) }
    }

    fn phrase(text: &str, field: Option<Field>) -> Clause {
        Clause::Phrase { text: text.to_owned(), field }
    }

    fn exclude(text: &str, phrase: bool, field: Option<Field>) -> Clause {
        Clause::Exclude { text: text.to_owned(), phrase, field }
    }

    fn clauses(query: &str) -> Vec<Clause> {
        parse(query).clauses
    }

    fn years(query: &str) -> (Option<u16>, Option<u16>) {
        let parsed = parse(query);
        (parsed.year_min, parsed.year_max)
    }

    #[test]
    fn plain_words_merge_into_one_text_clause() {
        assert_eq!(clauses("model merging"), [text("model merging")]);
        assert_eq!(clauses("  model   merging  "), [text("model   merging")]);
        assert_eq!(clauses("GPT-4 Schrödinger"), [text("GPT-4 Schrödinger")]);
    }

    #[test]
    fn empty_and_blank_queries() {
        assert_eq!(parse(""), ParsedQuery::default());
        assert_eq!(parse("   \t "), ParsedQuery::default());
    }

    #[test]
    fn phrases() {
        assert_eq!(clauses("\"exact phrase\""), [phrase("exact phrase", None)]);
        assert_eq!(clauses("a \"b c\" d"), [text("a"), phrase("b c", None), text("d")]);
        assert_eq!(clauses("“smart quotes”"), [phrase("smart quotes", None)]);
        assert_eq!(clauses("foo\"bar baz\""), [text("foo"), phrase("bar baz", None)]);
        assert_eq!(clauses("\"\" x"), [text("x")], "an empty phrase is ignored");
    }

    #[test]
    fn unclosed_quote_makes_the_rest_plain_text() {
        assert_eq!(clauses("\"model merg"), [text("model merg")]);
        assert_eq!(clauses("a \"title:b -c"), [text("a"), text("title:b -c")]);
        assert_eq!(clauses("x title:\"open"), [text("x"), text("open")]);
        assert_eq!(clauses("\""), []);
    }

    #[test]
    fn excludes() {
        assert_eq!(clauses("merging -vision"), [text("merging"), exclude("vision", false, None)]);
        assert_eq!(clauses("-\"a phrase\""), [exclude("a phrase", true, None)]);
        assert_eq!(clauses("--foo"), [exclude("foo", false, None)]);
        assert_eq!(clauses("-title:cat"), [exclude("cat", false, Some(Field::Title))]);
        assert_eq!(clauses("-title:\"cat dog\""), [exclude("cat dog", true, Some(Field::Title))]);
        assert_eq!(clauses("-foo:bar"), [exclude("foo:bar", false, None)]);
        // A dash inside a word is a connector, not an exclusion.
        assert_eq!(clauses("GPT-4"), [text("GPT-4")]);
    }

    #[test]
    fn lone_dashes_are_ignored() {
        assert_eq!(clauses("-"), []);
        assert_eq!(clauses("--"), []);
        assert_eq!(clauses("foo - bar"), [text("foo - bar")], "noise does not split plain words");
        assert_eq!(clauses("-year:2020"), [], "years cannot be excluded");
    }

    #[test]
    fn fields() {
        assert_eq!(clauses("title:merging"), [field_text("merging", Field::Title)]);
        assert_eq!(clauses("Author:Hinton"), [field_text("Hinton", Field::Authors)]);
        assert_eq!(clauses("AUTHORS:hinton"), [field_text("hinton", Field::Authors)]);
        assert_eq!(clauses("abstract:merging"), [field_text("merging", Field::Abstract)]);
        assert_eq!(clauses("venue:NeurIPS"), [field_text("NeurIPS", Field::Venue)]);
        assert_eq!(clauses("title:\"task arithmetic\""), [phrase("task arithmetic", Some(Field::Title))]);
    }

    #[test]
    fn a_field_applies_to_one_word() {
        assert_eq!(clauses("title:model merging now"), [field_text("model", Field::Title), text("merging now")]);
    }

    #[test]
    fn a_field_without_value_is_ignored() {
        assert_eq!(clauses("title: merging"), [text("merging")]);
        assert_eq!(clauses("a title: b"), [text("a"), text("b")]);
        assert_eq!(clauses("title:!!"), []);
    }

    #[test]
    fn unknown_fields_are_plain_text() {
        assert_eq!(clauses("foo:bar baz"), [text("foo:bar baz")]);
        assert_eq!(clauses("https://github.com/x"), [text("https://github.com/x")]);
    }

    #[test]
    fn year_forms() {
        assert_eq!(years("year:2020"), (Some(2020), Some(2020)));
        assert_eq!(years("year:2019..2022"), (Some(2019), Some(2022)));
        assert_eq!(years("year:2019.."), (Some(2019), None));
        assert_eq!(years("year:..2022"), (None, Some(2022)));
        assert_eq!(years("year:>=2019"), (Some(2019), None));
        assert_eq!(years("year:>2019"), (Some(2020), None));
        assert_eq!(years("year:<=2022"), (None, Some(2022)));
        assert_eq!(years("year:<2022"), (None, Some(2021)));
        assert_eq!(years("YEAR:2019-2022"), (Some(2019), Some(2022)));
        assert_eq!(clauses("merging year:2020"), [text("merging")]);
    }

    #[test]
    fn reversed_year_range_is_swapped() {
        assert_eq!(years("year:2022..2019"), (Some(2019), Some(2022)));
    }

    #[test]
    fn several_years_intersect() {
        assert_eq!(years("year:2015..2022 year:>=2019"), (Some(2019), Some(2022)));
        assert_eq!(years("year:2019.. year:..2021 year:..2020"), (Some(2019), Some(2020)));
        assert_eq!(years("year:2018 year:2020"), (Some(2020), Some(2018)), "empty intersection");
    }

    #[test]
    fn malformed_years_are_plain_text() {
        for query in
            ["year:abc", "year:20", "year:3000", "year:0999", "year:..", "year:2020..abc", "year:>", "year:65536"]
        {
            let parsed = parse(query);
            assert_eq!(parsed.clauses, [text(query)], "{query}");
            assert_eq!((parsed.year_min, parsed.year_max), (None, None), "{query}");
        }
        assert_eq!(clauses("year:"), []);
    }

    #[test]
    fn last_word_open() {
        for query in ["model merg", "merg", "title:merg", "\"model merg", "year:2020 merg", "Schrödinger"] {
            assert!(parse(query).last_word_open, "{query}");
        }
        for query in [
            "",
            "model merging ",
            "\"model merging\"",
            "merging -vis",
            "merging year:2020",
            "gpt-",
            "foo -",
            "a title:",
        ] {
            assert!(!parse(query).last_word_open, "{query}");
        }
    }

    #[test]
    fn clause_texts_are_slices_of_the_query() {
        let query = "a  b -c \"d e\" title:f \"g h";
        let parsed = parse(query);
        assert_eq!(parsed.ranges.len(), parsed.clauses.len());
        for (clause, range) in parsed.clauses.iter().zip(&parsed.ranges) {
            let (Clause::Text { text, .. } | Clause::Phrase { text, .. } | Clause::Exclude { text, .. }) = clause;
            assert_eq!(&query[range.clone()], text);
        }
    }

    /// A clause's range is where it is, not the first place its text occurs.
    #[test]
    fn a_repeated_text_keeps_its_own_range() {
        let parsed = parse("\"model\" model -model model");
        let starts: Vec<usize> = parsed.ranges.iter().map(|r| r.start).collect();
        assert_eq!(starts, [1, 8, 15, 21]);
    }
}
