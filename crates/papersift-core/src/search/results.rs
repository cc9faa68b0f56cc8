//! What a search returns: hits with highlights, facet counts and a "did you mean".

use serde::Serialize;

pub use crate::snippet::{Snippet, Span};

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
    /// (author, papers), most papers first, then by name: the
    /// [`AUTHOR_FACETS`](super::filter::AUTHOR_FACETS) most frequent authors.
    pub authors: Vec<(String, u32)>,
}

/// What a search returns.
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
    /// The byte offset in the query from which nothing was searched, when the query passed
    /// [`MAX_QUERY_BYTES`](super::MAX_QUERY_BYTES) or [`MAX_QUERY_WORDS`](super::MAX_QUERY_WORDS);
    /// `None` when every word was searched.
    pub ignored_from: Option<usize>,
    /// Candidates left out unverified because the search had already checked
    /// [`MAX_PHRASE_CHECKS`](super::MAX_PHRASE_CHECKS) documents for its phrases; `total` counts
    /// only verified papers. 0 when every candidate was checked.
    pub unverified: usize,
}
