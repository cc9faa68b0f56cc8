//! A loaded index: a root and the pieces loaded so far. A single-file index holds every piece
//! inline, checked at load and never copied; a sharded one starts from its root alone and is
//! handed pieces by name ([`Index::add_piece`]) as queries need them ([`Index::needs`]). Search
//! itself is [`crate::search`]'s; the index is where its [`Pieces`] come from.

use std::ops::Range;
use std::sync::OnceLock;

use rustc_hash::FxHashSet as HashSet;
use serde::Serialize;

use crate::format::dictionary::Chunk;
use crate::format::piece::{self, PieceError, PieceId, PieceKind, HEADER_LEN};
use crate::format::postings::{self, ListReader};
use crate::format::root::Root;
use crate::format::store::{self, AuthorsPiece, FacetParts, Store};
use crate::format::{FormatError, IndexFile, VERSION};
use crate::record::Record;
use crate::search::filter::AuthorTable;
use crate::search::{self, Outcome, Piece, Pieces, Ranking, Scoring, SearchOptions, SearchResults, DOCS_PER_BLOCK};
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
    /// Total bytes: the root and every piece.
    pub bytes: usize,
    /// Bytes of the root.
    pub root_bytes: usize,
    /// Number of pieces.
    pub pieces: usize,
    /// Pieces loaded (all of them for a single-file index).
    pub loaded: usize,
    /// (piece kind, pieces of that kind, bytes), in file order.
    pub sections: Vec<(&'static str, usize, usize)>,
}

/// Where a piece's bytes are.
#[derive(Debug)]
enum Slot {
    /// Not loaded.
    Absent,
    /// Inside the index bytes (a single-file index): the body's range.
    Inline(Range<usize>),
    /// Handed in by [`Index::add_piece`]: the piece's bytes, body after the header. Docs pieces
    /// keep only their decompressed block (in `Index::blocks`).
    Owned(Vec<u8>),
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
    root: Root,
    root_len: usize,
    /// By position in [`Root::pieces`].
    slots: Vec<Slot>,
    /// Decompressed stored-fields blocks, by docs piece number; filled when first read.
    blocks: Vec<OnceLock<Box<[u8]>>>,
    facets: Option<FacetParts>,
    scoring: Scoring,
    sharded: bool,
    /// Every document's authors as ordinals, built on the first search that counts facets.
    authors: OnceLock<AuthorTable>,
}

impl<D: AsRef<[u8]>> Index<D> {
    /// Checks the header, version and root, and every inline piece (build id, checksum,
    /// contents), and wraps the bytes without copying. Bytes holding only a root load as a
    /// sharded index with no piece yet.
    pub fn from_bytes(data: D) -> Result<Self, FormatError> {
        let file = IndexFile::parse(data.as_ref())?;
        let root = file.root;
        let count = root.pieces.len();
        let docs_pieces = root.count(PieceKind::Docs) as usize;
        let mut index = Index {
            root_len: file.root_range.end,
            scoring: Scoring::new(&root.meta, Ranking::default()),
            slots: (0..count).map(|_| Slot::Absent).collect(),
            blocks: (0..docs_pieces).map(|_| OnceLock::new()).collect(),
            facets: None,
            sharded: file.inline.is_none(),
            authors: OnceLock::new(),
            root,
            data,
        };
        if let Some(ranges) = file.inline {
            let ids: Vec<PieceId> = index.root.piece_ids().collect();
            for (id, range) in ids.into_iter().zip(ranges) {
                let ordinal = index.root.ordinal(id).unwrap_or(0);
                let bytes = &index.data.as_ref()[range.clone()];
                let body = piece::check(id, bytes, index.root.pieces[ordinal], index.root.build_id)
                    .map_err(FormatError::Piece)?;
                let parts = index.validate(id, body).map_err(FormatError::Piece)?;
                if let Some(parts) = parts {
                    index.facets = Some(parts);
                }
                index.slots[ordinal] = Slot::Inline(range.start + HEADER_LEN..range.end);
            }
        }
        Ok(index)
    }

    /// Checks what a checksum cannot: that a piece's contents fit the root. Returns the facet
    /// parts of a facets piece.
    fn validate(&self, id: PieceId, body: &[u8]) -> Result<Option<FacetParts>, PieceError> {
        let corrupt = || PieceError::Checksum { name: id.name() };
        match id.kind {
            PieceKind::Terms => Chunk::check(body).map(|_| None).map_err(|_| corrupt()),
            PieceKind::Facets => FacetParts::parse(body, self.root.meta.doc_count).map(Some).map_err(|_| corrupt()),
            PieceKind::Authors => {
                AuthorsPiece::parse(body, self.authors_in(id.index)).map(|_| None).map_err(|_| corrupt())
            }
            PieceKind::Postings | PieceKind::Docs => Ok(None),
        }
    }

    /// Adds a piece by name, checking it against the root: its length, build id and checksum,
    /// then its contents. Adding a piece already loaded does nothing.
    pub fn add_piece(&mut self, name: &str, bytes: Vec<u8>) -> Result<(), PieceError> {
        let unknown = || PieceError::Unknown { name: name.to_string() };
        let id = PieceId::parse(name).ok_or_else(unknown)?;
        let ordinal = self.root.ordinal(id).ok_or_else(unknown)?;
        if !matches!(self.slots[ordinal], Slot::Absent) {
            return Ok(());
        }
        let body = piece::check(id, &bytes, self.root.pieces[ordinal], self.root.build_id)?;
        if id.kind == PieceKind::Docs {
            let block = store::decompress(body).ok_or(PieceError::Checksum { name: id.name() })?;
            // The block was never read if the slot was absent.
            let _ = self.blocks[id.index as usize].set(block.into_boxed_slice());
            self.slots[ordinal] = Slot::Owned(Vec::new());
            return Ok(());
        }
        if let Some(parts) = self.validate(id, body)? {
            self.facets = Some(parts);
        }
        self.slots[ordinal] = Slot::Owned(bytes);
        Ok(())
    }

    /// The names of the pieces running `query` needs next and that are not loaded; empty when
    /// the index can answer it now. Load them, [`Index::add_piece`] each, and ask again: more
    /// may follow (the dictionary first, then postings and facets, then stored documents).
    pub fn needs(&self, query: &str, options: &SearchOptions) -> Vec<String> {
        match search::execute(&search::plan(query, options), self) {
            Outcome::Done(_) => Vec::new(),
            Outcome::Missing(pieces) => self.missing_piece_names(&pieces),
        }
    }

    /// The names of the unloaded pieces that hold `missing` (an [`Outcome::Missing`]), each
    /// once, in order: what [`Index::needs`] returns, for a caller that already ran the query.
    pub fn missing_piece_names(&self, missing: &[Piece]) -> Vec<String> {
        let mut seen = HashSet::default();
        let mut names = Vec::new();
        for piece in missing {
            for id in self.pieces_of(piece) {
                if !self.is_loaded(id) && seen.insert(id) {
                    names.push(id.name());
                }
            }
        }
        names
    }

    /// The pieces that hold a logical [`Piece`].
    pub fn pieces_of(&self, piece: &Piece) -> Vec<PieceId> {
        let of = |kind, index: Option<u32>| index.map(|index| PieceId { kind, index }).into_iter().collect();
        let doc_piece = |kind, block: search::DocBlock, per: u32| {
            let first = block.0.saturating_mul(DOCS_PER_BLOCK);
            of(kind, (first < self.root.meta.doc_count).then(|| first / per))
        };
        match piece {
            Piece::Terms(range) => range
                .chunks(&self.root.chunks)
                .into_iter()
                .map(|index| PieceId { kind: PieceKind::Terms, index })
                .collect(),
            Piece::Postings(offset) => of(PieceKind::Postings, self.root.postings_piece(*offset)),
            Piece::Docs(block) => doc_piece(PieceKind::Docs, *block, self.root.docs_per_piece),
            Piece::Facets => of(PieceKind::Facets, Some(0)),
            Piece::Authors => self.authors_pieces().collect(),
        }
    }

    /// Documents in authors piece `index`.
    fn authors_in(&self, index: u32) -> u32 {
        let per = self.root.authors_per_piece;
        self.root.meta.doc_count.saturating_sub(index.saturating_mul(per)).min(per)
    }

    /// Every authors piece.
    fn authors_pieces(&self) -> impl Iterator<Item = PieceId> {
        (0..self.root.count(PieceKind::Authors)).map(|index| PieceId { kind: PieceKind::Authors, index })
    }

    /// Whether a piece is loaded.
    pub fn is_loaded(&self, id: PieceId) -> bool {
        self.root.ordinal(id).is_some_and(|ordinal| !matches!(self.slots[ordinal], Slot::Absent))
    }

    /// Whether the index was loaded from a root alone, its pieces living in files of their own.
    pub fn is_sharded(&self) -> bool {
        self.sharded
    }

    /// The build id as 16 hex digits: what a piece's `.js` wrapper passes to its loader callback,
    /// so that a wrapper from another build is told apart before its bytes are decoded.
    pub fn build_id(&self) -> String {
        format!("{:016x}", self.root.build_id)
    }

    /// The root: build id, statistics and the map of pieces.
    pub fn root(&self) -> &Root {
        &self.root
    }

    /// Every piece's name, in the root's order.
    pub fn piece_names(&self) -> Vec<String> {
        self.root.piece_ids().map(PieceId::name).collect()
    }

    /// The body of a loaded piece.
    fn body(&self, id: PieceId) -> Option<&[u8]> {
        match &self.slots[self.root.ordinal(id)?] {
            Slot::Absent => None,
            Slot::Inline(range) => self.data.as_ref().get(range.clone()),
            Slot::Owned(bytes) => bytes.get(HEADER_LEN..),
        }
    }

    /// Replaces the ranking parameters (for evaluation and tuning), recomputing the per-field
    /// length-normalization tables from the field totals in the root.
    pub fn set_ranking(&mut self, ranking: Ranking) {
        self.scoring = Scoring::new(&self.root.meta, ranking);
    }

    /// The ranking parameters in use.
    pub fn ranking(&self) -> Ranking {
        self.scoring.ranking
    }

    /// The bytes the index was loaded from (a single file, or a root).
    pub fn as_bytes(&self) -> &[u8] {
        self.data.as_ref()
    }

    /// Number of documents.
    pub fn doc_count(&self) -> usize {
        self.root.meta.doc_count as usize
    }

    /// The loaded part of the term dictionary (all of it for a single-file index).
    pub fn dictionary(&self) -> Dictionary<'_> {
        let ids = (0..self.root.count(PieceKind::Terms)).map(|index| PieceId { kind: PieceKind::Terms, index });
        Dictionary::new(ids.filter_map(|id| self.chunk(id)).collect())
    }

    fn chunk(&self, id: PieceId) -> Option<Chunk<'_>> {
        // Chunks were opened once when added; opening again reads their fst footers only.
        Chunk::open(self.body(id)?).ok()
    }

    /// The stored record of document `doc` (0-based, in build order), if its piece is loaded.
    pub fn record(&self, doc: u32) -> Option<Record> {
        Pieces::docs(self, doc)?.record(doc)
    }

    /// The stored record whose id is `id` (a hit's `id`), or `None` when no document has it.
    /// A scan: ids are compared borrowed, so only the matching record is decoded.
    pub fn record_by_id(&self, id: &str) -> Option<Record> {
        // Block by block, over the loaded ones: every block of a single-file index, and in a
        // sharded one at least the blocks of the hits it has shown.
        let per = self.root.docs_per_piece.max(1);
        let docs = self.root.meta.doc_count;
        let mut first = 0;
        while first < docs {
            let end = first.saturating_add(per).min(docs);
            if let Some(store) = Pieces::docs(self, first) {
                let mut block = first..end;
                if let Some(doc) = block.find(|&doc| store.texts(doc).is_some_and(|(doc_id, _, _)| doc_id == id)) {
                    return store.record(doc);
                }
            }
            first = end;
        }
        None
    }

    /// Sizes and counts, for `papersift stats`.
    pub fn stats(&self) -> IndexStats {
        let sections = PieceKind::ALL
            .iter()
            .map(|kind| {
                let entries = self.root.piece_ids().zip(&self.root.pieces).filter(|(id, _)| id.kind == *kind);
                // A corrupt root may list lengths that add up past any memory: saturate.
                let (count, bytes) =
                    entries.fold((0, 0usize), |(n, b), (_, e)| (n + 1, b.saturating_add(e.len as usize)));
                (kind.name(), count, bytes)
            })
            .collect();
        let pieces_bytes = self.root.pieces.iter().fold(0u64, |sum, e| sum.saturating_add(e.len));
        IndexStats {
            version: VERSION,
            docs: self.doc_count(),
            terms: self.root.chunks.iter().map(|c| c.terms as usize).sum(),
            bytes: self.root_len.saturating_add(usize::try_from(pieces_bytes).unwrap_or(usize::MAX)),
            root_bytes: self.root_len,
            pieces: self.root.pieces.len(),
            loaded: self.slots.iter().filter(|s| !matches!(s, Slot::Absent)).count(),
            sections,
        }
    }

    /// Runs a query (see [`crate::query`] for the syntax). Never panics, whatever the query.
    /// A sharded index answers once [`Index::needs`] is empty for the query; before that it
    /// answers with no hits.
    pub fn search(&self, query: &str, options: &SearchOptions) -> SearchResults {
        match search::execute(&search::plan(query, options), self) {
            Outcome::Done(results) => results,
            Outcome::Missing(_) => SearchResults::default(),
        }
    }
}

impl<D: AsRef<[u8]>> TermSource for Index<D> {
    fn dictionary(&self, range: &TermRange) -> Option<Dictionary<'_>> {
        // Picking the chunks a typo lookup can match saves loading the others; with all of them
        // here, walking one that cannot match stops at its root, cheaper than picking.
        if matches!(range, TermRange::Typos { .. }) && !self.is_sharded() {
            return Some(self.dictionary());
        }
        let mut chunks = Vec::new();
        for index in range.chunks(&self.root.chunks) {
            let id = PieceId { kind: PieceKind::Terms, index };
            let body = self.body(id)?;
            chunks.extend(Chunk::open(body).ok());
        }
        Some(Dictionary::new(chunks))
    }
}

impl<D: AsRef<[u8]>> Pieces for Index<D> {
    fn scoring(&self) -> &Scoring {
        &self.scoring
    }

    fn postings(&self, offset: u64) -> Option<ListReader<'_>> {
        // An offset past every piece (corrupt) reads as an empty list.
        let Some(index) = self.root.postings_piece(offset) else { return Some(postings::read(&[], 0)) };
        let start = self.root.postings_range(index).start;
        let body = self.body(PieceId { kind: PieceKind::Postings, index })?;
        Some(postings::read(body, offset - start))
    }

    fn facets(&self) -> Option<Store<'_>> {
        let body = self.body(PieceId { kind: PieceKind::Facets, index: 0 })?;
        Some(Store::facets(body, self.facets.as_ref()?))
    }

    fn docs(&self, doc: u32) -> Option<Store<'_>> {
        if doc >= self.root.meta.doc_count {
            return Some(Store::default());
        }
        let per = self.root.docs_per_piece;
        let id = PieceId { kind: PieceKind::Docs, index: doc / per };
        let slot = self.blocks.get(id.index as usize)?;
        let block = match slot.get() {
            Some(block) => block,
            None => {
                // An inline block is decompressed when first read; a corrupt one reads as empty.
                let body = self.body(id)?;
                slot.get_or_init(|| store::decompress(body).unwrap_or_default().into_boxed_slice())
            }
        };
        Some(Store::docs(block, id.index * per).unwrap_or_default())
    }

    fn author_table(&self) -> Option<&AuthorTable> {
        if let Some(table) = self.authors.get() {
            return Some(table);
        }
        // None until every authors piece is loaded. Each piece's names continue the ordinals of
        // the pieces before it. The pieces were checked when added; ordinals past the names read
        // as no author.
        let mut names: Vec<&str> = Vec::new();
        let mut starts = vec![0usize];
        let mut flat: Vec<&str> = Vec::new();
        for id in self.authors_pieces() {
            let piece = AuthorsPiece::parse(self.body(id)?, self.authors_in(id.index)).ok()?;
            names.truncate(piece.first_ordinal as usize);
            names.extend(&piece.names);
            for list in piece.lists() {
                flat.extend(list.iter().filter_map(|ordinal| names.get(usize::try_from(*ordinal).ok()?)));
                starts.push(flat.len());
            }
        }
        let docs = (starts.len() - 1) as u32;
        Some(self.authors.get_or_init(|| {
            AuthorTable::build(docs, |doc| Some(flat[starts[doc as usize]..starts[doc as usize + 1]].to_vec()))
        }))
    }

    fn keeps_author_table(&self) -> bool {
        // Author facets count the authors pieces; they never read stored fields.
        true
    }
}

#[cfg(all(test, feature = "build"))]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::builder::{build_pieces, BuildOptions, BuiltIndex, PieceSizes, Source};

    /// The committed default corpus (about a hundred papers), cut into pieces of `sizes`.
    fn fixture(sizes: PieceSizes) -> BuiltIndex {
        let text = include_bytes!("../../../data/daily_papers.txt");
        let options = BuildOptions { sizes, ..BuildOptions::default() };
        build_pieces(vec![Source::from_bytes("daily_papers.txt", text)], &options).unwrap().0
    }

    /// Loads what `query` needs, round after round, and returns the names loaded.
    fn load_for(
        index: &mut Index,
        pieces: &HashMap<String, Vec<u8>>,
        query: &str,
        options: &SearchOptions,
    ) -> Vec<String> {
        load_rounds(index, pieces, query, options).concat()
    }

    /// Loads what `query` needs, round after round, and returns the names loaded in each round.
    fn load_rounds(
        index: &mut Index,
        pieces: &HashMap<String, Vec<u8>>,
        query: &str,
        options: &SearchOptions,
    ) -> Vec<Vec<String>> {
        let mut rounds: Vec<Vec<String>> = Vec::new();
        loop {
            let needs = index.needs(query, options);
            if needs.is_empty() {
                return rounds;
            }
            for name in &needs {
                assert!(!rounds.iter().flatten().any(|n| n == name), "{name} asked for twice");
                index.add_piece(name, pieces[name].clone()).unwrap();
            }
            rounds.push(needs);
        }
    }

    #[test]
    fn a_long_word_loads_the_typo_chunks_it_is_sure_to_read_with_its_own() {
        let built = fixture(PieceSizes::tiny());
        let whole = Index::from_bytes(built.single_file().unwrap()).unwrap();
        let pieces: HashMap<String, Vec<u8>> = built.named_pieces().collect::<std::io::Result<_>>().unwrap();
        let options = SearchOptions::default();
        let terms_in = |round: &[String]| round.iter().filter(|name| name.starts_with("terms/")).count();
        // Known words of 8 letters or more (one typo, whether or not they turn out to be known):
        // the dictionary, then postings, then documents.
        for query in ["language models", "diffusion", "reasoning benchmark "] {
            let mut sharded = Index::from_bytes(built.root_file()).unwrap();
            let rounds = load_rounds(&mut sharded, &pieces, query, &options);
            assert_eq!(rounds.len(), 3, "{query}: {rounds:?}");
            assert!(terms_in(&rounds[0]) > 1, "{query}: the typo walk leaves the word's chunk: {rounds:?}");
            assert!(rounds[1..].iter().all(|round| terms_in(round) == 0), "{query}: {rounds:?}");
            assert_eq!(sharded.search(query, &options), whole.search(query, &options), "{query}");
        }
        // A misspelt long word takes its full budget, known only once its own chunk is read.
        let query = "langauge";
        let mut sharded = Index::from_bytes(built.root_file()).unwrap();
        let rounds = load_rounds(&mut sharded, &pieces, query, &options);
        assert_eq!(rounds.len(), 4, "{query}: {rounds:?}");
        assert!(terms_in(&rounds[1]) > 0, "{query}: {rounds:?}");
        assert_eq!(sharded.search(query, &options), whole.search(query, &options), "{query}");
        assert!(!whole.search(query, &options).hits.is_empty(), "{query} finds language");
    }

    #[test]
    fn a_sharded_index_answers_like_the_single_file_once_it_has_what_it_needs() {
        let built = fixture(PieceSizes::tiny());
        assert!(built.root.pieces.len() > 50, "tiny sizes cut the fixture into many pieces");
        let whole = Index::from_bytes(built.single_file().unwrap()).unwrap();
        assert!(!whole.is_sharded());
        let pieces: HashMap<String, Vec<u8>> = built.named_pieces().collect::<std::io::Result<_>>().unwrap();
        let options = SearchOptions { facets: true, ..SearchOptions::default() };
        for query in ["language models", "\"vision-language\" safty", "title:models -video", "mod", "difusion"] {
            let mut sharded = Index::from_bytes(built.root_file()).unwrap();
            assert!(sharded.is_sharded());
            let loaded = load_for(&mut sharded, &pieces, query, &options);
            assert!(loaded.len() < pieces.len(), "{query} loads only some pieces: {}", loaded.len());
            assert_eq!(sharded.search(query, &options), whole.search(query, &options), "{query}");
        }
    }

    #[test]
    fn year_and_venue_facets_load_the_facets_piece_and_no_authors_piece() {
        // The default corpus has authors but no years or venues; the fixture adds some.
        let sources = vec![
            Source::from_bytes("daily_papers.txt", include_bytes!("../../../data/daily_papers.txt")),
            Source::from_bytes("papers.jsonl", include_bytes!("../../../tests/fixtures/papers.jsonl")),
        ];
        let options = BuildOptions { sizes: PieceSizes::tiny(), ..BuildOptions::default() };
        let built = build_pieces(sources, &options).unwrap().0;
        let whole = Index::from_bytes(built.single_file().unwrap()).unwrap();
        let pieces: HashMap<String, Vec<u8>> = built.named_pieces().collect::<std::io::Result<_>>().unwrap();
        let is_authors = |name: &String| name.starts_with("authors/");
        assert!(pieces.keys().filter(|name| is_authors(name)).count() > 1, "tiny sizes cut authors into pieces");
        let without = SearchOptions { facets: true, author_facets: false, ..SearchOptions::default() };
        let with = SearchOptions { facets: true, ..SearchOptions::default() };
        for query in ["", "language models", "year:2019 language"] {
            let mut sharded = Index::from_bytes(built.root_file()).unwrap();
            let loaded = load_for(&mut sharded, &pieces, query, &without);
            assert!(loaded.iter().any(|name| name.starts_with("facets/")), "{query}: {loaded:?}");
            assert!(!loaded.iter().any(is_authors), "{query} loads no authors piece: {loaded:?}");
            let results = sharded.search(query, &without);
            let facets = results.facets.as_ref().unwrap();
            assert!(!facets.years.is_empty() && !facets.venues.is_empty(), "{query}: {facets:?}");
            assert!(facets.authors.is_empty(), "{query}: {:?}", facets.authors);
            assert_eq!(results, whole.search(query, &without), "{query}");
            // Asking for authors afterwards loads them, and counts what the single file counts.
            let more = load_for(&mut sharded, &pieces, query, &with);
            assert_eq!(more.iter().filter(|name| is_authors(name)).count(), more.len(), "{query}: {more:?}");
            assert!(!more.is_empty(), "{query}");
            let results = sharded.search(query, &with);
            assert!(!results.facets.as_ref().unwrap().authors.is_empty(), "{query}");
            assert_eq!(results, whole.search(query, &with), "{query}");
        }
    }

    #[test]
    fn pieces_are_refused_with_errors_naming_them() {
        let built = fixture(PieceSizes::tiny());
        let other = fixture(PieceSizes { term_chunk_bytes: 256, ..PieceSizes::tiny() });
        let mut index = Index::from_bytes(built.root_file()).unwrap();
        let (name, bytes) = built.named_pieces().next().unwrap().unwrap();
        let mut corrupt = bytes.to_vec();
        *corrupt.last_mut().unwrap() ^= 0x40;
        let err = index.add_piece(&name, corrupt).unwrap_err();
        assert_eq!(err.to_string(), format!("{name} failed its checksum"));
        let err = index.add_piece(&name, bytes[..bytes.len() - 1].to_vec()).unwrap_err();
        assert_eq!(err.to_string(), format!("{name} is truncated"));
        let theirs = other.named_pieces().map(Result::unwrap).find(|(n, _)| *n == name).unwrap().1;
        let err = index.add_piece(&name, theirs.to_vec()).unwrap_err();
        assert_eq!(err.to_string(), format!("{name} belongs to another build"));
        let err = index.add_piece("terms/99/99999", bytes.to_vec()).unwrap_err();
        assert_eq!(err.to_string(), "no piece is named terms/99/99999");
        assert!(!index.is_loaded(PieceId::parse(&name).unwrap()));
        index.add_piece(&name, bytes.to_vec()).unwrap();
        assert!(index.is_loaded(PieceId::parse(&name).unwrap()));
    }

    #[test]
    fn a_single_file_with_a_corrupt_piece_names_it() {
        let built = fixture(PieceSizes::default());
        let mut bytes = built.single_file().unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let err = Index::from_bytes(bytes).err().unwrap();
        assert!(err.to_string().contains("authors/00/0000 failed its checksum"), "{err}");
    }
}
