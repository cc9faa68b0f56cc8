//! A loaded index: the bytes written by [`crate::builder`], checked once at load and never
//! copied, with the section tables, the store layout and the ranking tables built once. Search
//! itself is [`crate::search`]'s; the index is where its [`Pieces`] come from.

use std::ops::Range;
use std::sync::OnceLock;

use serde::Serialize;

use crate::format::dictionary::open_fst;
use crate::format::meta::Meta;
use crate::format::postings::{self, ListReader};
use crate::format::store::{Store, StoreParts};
use crate::format::{FormatError, Layout, Section, VERSION};
use crate::record::Record;
use crate::schema::FIELD_COUNT;
use crate::search::filter::AuthorTable;
use crate::search::{self, Outcome, Pieces, Ranking, Scoring, SearchOptions, SearchResults};
use crate::termdict::{Dictionary, TermRange, TermSource};

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
    meta: Meta,
    store: StoreParts,
    /// The norms section, kept at hand: scoring reads it once per posting.
    norms: Range<usize>,
    scoring: Scoring,
    /// Built on the first search that counts facets.
    authors: OnceLock<AuthorTable>,
}

impl<D: AsRef<[u8]>> Index<D> {
    /// Checks the header, version, section table and checksum, decodes the meta section and the
    /// store layout, and wraps the bytes without copying.
    pub fn from_bytes(data: D) -> Result<Self, FormatError> {
        let bytes = data.as_ref();
        let layout = Layout::parse(bytes)?;
        let section = |s: Section| &bytes[layout.range(s)];
        let meta = Meta::decode(section(Section::Meta))?;
        for fst_section in [Section::Terms, Section::Stems] {
            open_fst(fst_section, section(fst_section))?;
        }
        let store = StoreParts::parse(section(Section::Docs), section(Section::Norms), section(Section::Facets))?;
        if store.len() != meta.doc_count {
            return Err(FormatError::Section {
                name: Section::Docs.name(),
                reason: "document count differs from meta".into(),
            });
        }
        let norms = layout.range(Section::Norms);
        let scoring = Scoring::new(&meta, Ranking::default());
        Ok(Index { data, layout, meta, store, norms, scoring, authors: OnceLock::new() })
    }

    /// Replaces the ranking parameters (for evaluation and tuning), recomputing the per-field
    /// length-normalization tables from the field totals in the meta section.
    pub fn set_ranking(&mut self, ranking: Ranking) {
        self.scoring = Scoring::new(&self.meta, ranking);
    }

    /// The ranking parameters in use.
    pub fn ranking(&self) -> Ranking {
        self.scoring.ranking
    }

    /// The raw index bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.data.as_ref()
    }

    /// Number of documents.
    pub fn doc_count(&self) -> usize {
        self.meta.doc_count as usize
    }

    fn section(&self, section: Section) -> &[u8] {
        &self.data.as_ref()[self.layout.range(section)]
    }

    /// The per-document data: stored fields, norms, years and venues. Only slicing: the
    /// layout was found at load.
    pub fn store(&self) -> Store<'_> {
        Store::with_parts(
            self.section(Section::Docs),
            self.section(Section::Norms),
            self.section(Section::Facets),
            &self.store,
        )
    }

    /// The term dictionary.
    pub fn dictionary(&self) -> Dictionary<'_> {
        // Opening an fst reads its fixed-size footer only; both were checked at load and the
        // bytes cannot change since.
        let map = |section| open_fst(section, self.section(section)).expect("fst sections were checked at load");
        Dictionary::new(
            map(Section::Terms),
            map(Section::Stems),
            self.section(Section::StemLists),
            self.section(Section::Postings),
        )
    }

    /// The stored record of document `doc` (0-based, in build order).
    pub fn record(&self, doc: u32) -> Option<Record> {
        self.store().record(doc)
    }

    /// The stored record whose id is `id` (a hit's `id`), or `None` when no document has it.
    /// A scan: ids are compared borrowed, so only the matching record is decoded.
    pub fn record_by_id(&self, id: &str) -> Option<Record> {
        let store = self.store();
        let doc = (0..store.len()).find(|&doc| store.texts(doc).is_some_and(|(doc_id, _, _)| doc_id == id))?;
        store.record(doc)
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
        match search::execute(&search::plan(query, options), self) {
            Outcome::Done(results) => results,
            // A loaded index holds every piece.
            Outcome::Missing(_) => SearchResults::default(),
        }
    }
}

impl<D: AsRef<[u8]>> TermSource for Index<D> {
    fn dictionary(&self, _range: &TermRange) -> Option<Dictionary<'_>> {
        Some(Index::dictionary(self))
    }
}

impl<D: AsRef<[u8]>> Pieces for Index<D> {
    fn scoring(&self) -> &Scoring {
        &self.scoring
    }

    fn postings(&self, offset: u64) -> Option<ListReader<'_>> {
        Some(postings::read(self.section(Section::Postings), offset))
    }

    fn norms(&self, doc: u32) -> Option<[u8; FIELD_COUNT]> {
        let at = doc as usize * FIELD_COUNT;
        let mut out = [0u8; FIELD_COUNT];
        if let Some(bytes) = self.data.as_ref()[self.norms.clone()].get(at..at + FIELD_COUNT) {
            out.copy_from_slice(bytes);
        }
        Some(out)
    }

    fn facets(&self) -> Option<Store<'_>> {
        Some(self.store())
    }

    fn docs(&self, _doc: u32) -> Option<Store<'_>> {
        Some(self.store())
    }

    fn author_table(&self) -> Option<&AuthorTable> {
        Some(self.authors.get_or_init(|| AuthorTable::build(&self.store())))
    }
}
