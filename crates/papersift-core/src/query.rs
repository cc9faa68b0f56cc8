//! Query syntax: parsing a query string into clauses. Anything unparsable is plain text.
//!
//! Syntax: `"exact phrase"`, `-exclude` (a word or a phrase), `title:word`, `author:name`,
//! `abstract:word`, `venue:name`, `year:2020`, `year:2019..2022` (also `year:2019..`, `year:..2022`,
//! `year:>=2019`, `year:<2022`). `title:"a phrase"` restricts a phrase to a field.
//!
//! TODO(text helper): implement `parse`.

/// A field a clause may be restricted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// The title.
    Title,
    /// The abstract.
    Abstract,
    /// Author names.
    Authors,
    /// The venue.
    Venue,
}

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
pub fn parse(query: &str) -> ParsedQuery {
    let _ = query;
    todo!()
}
