//! A loaded index: zero-copy views over the bytes written by [`crate::builder`], and search.

use serde::Serialize;

use crate::expand::Dictionary;
use crate::format::{read_u32, read_u64, FormatError, Layout, Section, VERSION};
use crate::postings::FIELD_COUNT;
#[allow(unused_imports)]
use crate::query::Field;
use crate::store::{decode_norm, Store};

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

/// Ranking parameters of BM25F.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranking {
    /// Term-frequency saturation.
    pub k1: f32,
    /// Per-field weight, in [`Field`] order (venue is filter-only).
    pub field_weights: [f32; FIELD_COUNT],
    /// Per-field length normalization.
    pub field_b: [f32; FIELD_COUNT],
    /// Weight of a word with the query word's stem but another form.
    pub stem_weight: f32,
    /// Weight of a completion of the word being typed.
    pub prefix_weight: f32,
    /// Weight of a match one typo away; two typos count this squared.
    pub typo_weight: f32,
}

impl Default for Ranking {
    fn default() -> Self {
        Ranking {
            k1: 1.2,
            field_weights: [2.0, 1.0, 1.0, 0.0],
            field_b: [0.4, 0.75, 0.5, 0.0],
            stem_weight: 0.7,
            prefix_weight: 0.6,
            typo_weight: 0.35,
        }
    }
}

/// A loaded index over bytes `D`: `&'static [u8]` from `include_bytes!`, or an owned `Vec<u8>`.
///
/// ```
/// use papersift_core::builder::{build_index, BuildOptions, Source};
/// use papersift_core::{Index, SearchOptions};
/// let jsonl = r#"{"id":"p1","title":"Schrödinger bridges","abstract":"Diffusion models."}"#;
/// let (bytes, _) = build_index(vec![Source::from_bytes("p.jsonl", jsonl.as_bytes())], &BuildOptions::default()).unwrap();
/// let index = Index::from_bytes(bytes.as_slice()).unwrap();
/// let results = index.search("schrodinger", &SearchOptions::default());
/// assert_eq!(results.hits[0].title, "Schrödinger bridges");
/// ```
pub struct Index<D = Vec<u8>> {
    data: D,
    layout: Layout,
    doc_count: u32,
    /// Per field, per norm byte: 1 / (1 − b + b · length / average length).
    norm_factors: Box<[[f32; 256]; FIELD_COUNT]>,
    ranking: Ranking,
}

impl<D: AsRef<[u8]>> Index<D> {
    /// Checks the header, version, section table and checksum, and wraps the bytes without copying.
    pub fn from_bytes(data: D) -> Result<Self, FormatError> {
        let bytes = data.as_ref();
        let layout = Layout::parse(bytes)?;
        let meta = &bytes[layout.range(Section::Meta)];
        if meta.len() < 4 + 8 * FIELD_COUNT {
            return Err(FormatError::Section { name: Section::Meta.name(), reason: "too short".into() });
        }
        let doc_count = read_u32(meta, 0);
        for section in [Section::Terms, Section::Stems] {
            fst::Map::new(&bytes[layout.range(section)])
                .map_err(|e| FormatError::Section { name: section.name(), reason: e.to_string() })?;
        }
        let store = Store::new(
            &bytes[layout.range(Section::Docs)],
            &bytes[layout.range(Section::Norms)],
            &bytes[layout.range(Section::Facets)],
        )?;
        if store.len() != doc_count {
            return Err(FormatError::Section { name: Section::Docs.name(), reason: "document count differs from meta".into() });
        }
        let mut index = Index { data, layout, doc_count, norm_factors: Box::new([[1.0; 256]; FIELD_COUNT]), ranking: Ranking::default() };
        index.set_ranking(Ranking::default());
        Ok(index)
    }

    /// Replaces the ranking parameters (for evaluation and tuning), recomputing the per-field
    /// length-normalization tables from the field totals in the meta section.
    pub fn set_ranking(&mut self, ranking: Ranking) {
        // The meta section's length was checked in `from_bytes`.
        let meta = &self.data.as_ref()[self.layout.range(Section::Meta)];
        let docs = self.doc_count;
        for (f, table) in self.norm_factors.iter_mut().enumerate() {
            let total = read_u64(meta, 4 + 8 * f);
            let average = if docs == 0 { 1.0 } else { (total as f32 / docs as f32).max(1e-3) };
            let b = ranking.field_b[f];
            for (byte, factor) in table.iter_mut().enumerate() {
                *factor = 1.0 / (1.0 - b + b * decode_norm(byte as u8) / average);
            }
        }
        self.ranking = ranking;
    }

    /// The ranking parameters in use.
    pub fn ranking(&self) -> Ranking {
        self.ranking
    }

    /// The raw index bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.data.as_ref()
    }

    /// Number of documents.
    pub fn doc_count(&self) -> usize {
        self.doc_count as usize
    }

    fn section(&self, section: Section) -> &[u8] {
        &self.data.as_ref()[self.layout.range(section)]
    }

    pub(crate) fn store(&self) -> Store<'_> {
        // Checked in `from_bytes`; the bytes cannot change since.
        Store::new(self.section(Section::Docs), self.section(Section::Norms), self.section(Section::Facets))
            .expect("store sections were checked at load")
    }

    pub(crate) fn dictionary(&self) -> Dictionary<'_> {
        let map = |section| fst::Map::new(self.section(section)).expect("fst sections were checked at load");
        Dictionary::new(map(Section::Terms), map(Section::Stems), self.section(Section::StemLists), self.section(Section::Postings))
    }

    pub(crate) fn norm_factor(&self, field: usize, norm: u8) -> f32 {
        self.norm_factors[field][norm as usize]
    }

    /// The stored record of document `doc` (0-based, in build order).
    pub fn record(&self, doc: u32) -> Option<crate::record::Record> {
        self.store().record(doc)
    }

    /// Sizes and counts, for `papersift stats`.
    pub fn stats(&self) -> IndexStats {
        IndexStats {
            version: VERSION,
            docs: self.doc_count(),
            terms: self.dictionary().len(),
            bytes: self.data.as_ref().len(),
            sections: Section::ALL.iter().map(|s| (s.name(), self.layout.range(*s).len())).collect(),
        }
    }

    /// Runs a query (see [`crate::query`] for the syntax). Never panics, whatever the query.
    pub fn search(&self, query: &str, options: &SearchOptions) -> SearchResults {
        crate::search::run(self, query, options)
    }
}
