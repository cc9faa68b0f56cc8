//! A loaded index: zero-copy views over the bytes written by [`crate::builder`], and search.

use serde::Serialize;

use crate::format::FormatError;

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

/// Options for [`Index::search`].
#[derive(Debug, Clone, PartialEq)]
pub struct SearchOptions {
    /// How many hits to return.
    pub limit: usize,
    /// How many of the best hits to skip (for paging).
    pub offset: usize,
    /// Only papers from this year on.
    pub year_min: Option<u16>,
    /// Only papers up to this year.
    pub year_max: Option<u16>,
    /// Only papers with an author matching each of these (terms of the author's name).
    pub authors: Vec<String>,
    /// Only papers from one of these venues (exact venue names, as shown in facets).
    pub venues: Vec<String>,
    /// Let the last query word match as a prefix (search as you type).
    pub prefix: bool,
    /// Let words match with typos.
    pub fuzzy: bool,
    /// Count years and venues over the whole result set.
    pub facets: bool,
    /// Compute title highlights and abstract snippets.
    pub highlight: bool,
    /// Approximate snippet length in characters.
    pub snippet_chars: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            offset: 0,
            year_min: None,
            year_max: None,
            authors: Vec::new(),
            venues: Vec::new(),
            prefix: true,
            fuzzy: true,
            facets: false,
            highlight: true,
            snippet_chars: 200,
        }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// The record's id.
    pub id: String,
    /// Relevance score; higher is better.
    pub score: f32,
    /// Title.
    pub title: String,
    /// Authors.
    pub authors: Vec<String>,
    /// Year, where known.
    pub year: Option<u16>,
    /// Venue, where known.
    pub venue: Option<String>,
    /// Link, where known.
    pub url: Option<String>,
    /// Highlights in `title`.
    pub highlights: Vec<Span>,
    /// The best window of the abstract.
    pub snippet: Snippet,
    /// Internal document number (stable for one index).
    #[serde(skip)]
    pub doc: u32,
}

/// Counts over a whole result set.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Facets {
    /// (year, papers), by year.
    pub years: Vec<(u16, u32)>,
    /// (venue, papers), most papers first.
    pub venues: Vec<(String, u32)>,
}

/// What [`Index::search`] returns.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SearchResults {
    /// How many papers matched in all.
    pub total: usize,
    /// The requested page of hits, best first.
    pub hits: Vec<Hit>,
    /// Facet counts, when asked for.
    pub facets: Option<Facets>,
    /// "Did you mean", when the query has words with no exact match.
    pub suggestion: Option<String>,
}

/// Sizes and counts of a loaded index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexStats {
    /// Format version.
    pub version: u32,
    /// Documents.
    pub docs: usize,
    /// Distinct terms.
    pub terms: usize,
    /// Total bytes.
    pub bytes: usize,
    /// (section name, bytes), in file order.
    pub sections: Vec<(&'static str, usize)>,
}

/// A loaded index over bytes `D`: `&'static [u8]` from `include_bytes!`, or an owned `Vec<u8>`.
pub struct Index<D = Vec<u8>> {
    data: D,
}

impl<D: AsRef<[u8]>> Index<D> {
    /// Checks the header, version, section table and checksum, and wraps the bytes without copying.
    pub fn from_bytes(data: D) -> Result<Self, FormatError> {
        let _ = &data;
        todo!()
    }

    /// Number of documents.
    pub fn doc_count(&self) -> usize {
        todo!()
    }

    /// The stored record of document `doc` (0-based, in build order).
    pub fn record(&self, doc: u32) -> Option<crate::record::Record> {
        let _ = doc;
        todo!()
    }

    /// Sizes and counts, for `papersift stats`.
    pub fn stats(&self) -> IndexStats {
        todo!()
    }

    /// Runs a query (see [`crate::query`] for the syntax). Never panics, whatever the query.
    pub fn search(&self, query: &str, options: &SearchOptions) -> SearchResults {
        let _ = (query, options, &self.data);
        todo!()
    }
}
