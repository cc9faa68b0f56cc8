//! Turns records into index bytes: terms → postings, the fst term dictionary, the stem map and
//! stored fields, cut into a root and pieces ([`crate::format`]) and written as one file or as
//! a root and piece files.

use std::collections::{BTreeMap, HashMap};

use crate::format::dictionary::{DictionaryWriter, TermValue};
use crate::format::meta::Meta;
use crate::format::piece::{self, PieceEntry, PieceId};
use crate::format::postings::ListWriter;
use crate::format::root::{ChunkBounds, Root};
use crate::format::store::{encode_norm, StoreWriter};
use crate::format::IndexFile;
use crate::record::{Record, RecordErrors};
use crate::schema::{Field, FieldFreqs, FIELD_COUNT};
use crate::search::DOCS_PER_BLOCK;
use crate::text::{self, TokenKind};

/// Builds an index from records, in memory. Memory grows with the compressed postings and
/// stored fields, not with the raw input.
#[derive(Default)]
pub struct IndexBuilder {
    terms: HashMap<String, ListWriter>,
    store: StoreWriter,
    doc_count: u32,
    field_totals: [u64; FIELD_COUNT],
}

/// What a build did. Always `read == indexed + skipped.len()`; the skipped records are listed
/// in bounded memory ([`RecordErrors`]).
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Records read from all sources.
    pub read: usize,
    /// Records in the index.
    pub indexed: usize,
    /// Records left out, with the reasons.
    pub skipped: RecordErrors,
    /// Distinct terms in the dictionary.
    pub terms: usize,
    /// Index size in bytes.
    pub bytes: usize,
}

/// The text of each indexed field of a record, in [`Field`] order.
fn field_texts(record: &Record) -> [(Field, Vec<&str>); FIELD_COUNT] {
    Field::ALL.map(|field| {
        let texts = match field {
            Field::Title => vec![record.title.as_str()],
            Field::Abstract => vec![record.abstract_text.as_str()],
            Field::Authors => record.authors.iter().map(String::as_str).collect(),
            Field::Venue => record.venue.as_deref().into_iter().collect(),
        };
        (field, texts)
    })
}

impl IndexBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one record as the next document. Ids must be unique ([`build_index`] checks).
    pub fn add(&mut self, record: &Record) {
        let doc = self.doc_count;
        let mut freqs: HashMap<String, FieldFreqs> = HashMap::new();
        let mut lengths = [0u32; FIELD_COUNT];
        for (field, texts) in field_texts(record) {
            let f = field as usize;
            for text in texts {
                text::for_each_token(text, |token| {
                    if token.kind == TokenKind::Whole {
                        lengths[f] += 1;
                    }
                    match freqs.get_mut(token.term) {
                        Some(tf) => tf[f] += 1,
                        None => freqs.entry(token.term.to_string()).or_default()[f] += 1,
                    }
                });
            }
            self.field_totals[f] += u64::from(lengths[f]);
        }
        let norms = lengths.map(encode_norm);
        for (term, tf) in freqs {
            self.terms.entry(term).or_default().push(doc, &tf, &norms);
        }
        self.store.push(record);
        self.doc_count += 1;
    }

    /// Documents added so far.
    pub fn doc_count(&self) -> u32 {
        self.doc_count
    }

    /// Distinct terms so far.
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// Writes a single-file index with the default piece sizes. Deterministic: the same
    /// records in the same order give the same bytes.
    pub fn finish(self) -> Vec<u8> {
        self.finish_pieces(&PieceSizes::default()).single_file()
    }

    /// Cuts the index into a root and pieces. Deterministic: the same records in the same order
    /// and the same sizes give the same bytes.
    pub fn finish_pieces(self, sizes: &PieceSizes) -> BuiltIndex {
        let mut terms: Vec<(String, ListWriter)> = self.terms.into_iter().collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // Piece counts must stay within the budget however large the corpus: sizes grow with it.
        let budget = sizes.max_pieces.max(16) as usize;
        let postings_total: usize = terms.iter().map(|(_, list)| list.byte_len()).sum();
        let postings_bytes = sizes.postings_bytes.max(postings_total / (budget * 2 / 5).max(1) + 1);
        let key_total: usize = terms.iter().map(|(term, _)| term.len() + KEY_OVERHEAD).sum();
        let chunk_bytes = sizes.term_chunk_bytes.max(key_total / (budget / 10).max(1) + 1);

        // Postings: one stream in term order, cut at list boundaries. A long list gets a piece
        // of its own, so a query for a rare word never loads a common word's list with it.
        let mut postings_pieces: Vec<Vec<u8>> = Vec::new();
        let mut postings_starts = Vec::new();
        let mut values = Vec::with_capacity(terms.len());
        let mut current: Vec<u8> = Vec::new();
        let mut offset = 0u64;
        let mut list_bytes = Vec::new();
        for (_, list) in &terms {
            list_bytes.clear();
            list.write_to(&mut list_bytes);
            let long = list_bytes.len() >= postings_bytes / 4;
            if !current.is_empty() && (long || current.len() + list_bytes.len() > postings_bytes) {
                postings_pieces.push(std::mem::take(&mut current));
            }
            if current.is_empty() {
                postings_starts.push(offset);
            }
            values.push(TermValue { offset, doc_freq: list.doc_count() });
            current.extend_from_slice(&list_bytes);
            offset += list_bytes.len() as u64;
            if long {
                postings_pieces.push(std::mem::take(&mut current));
            }
        }
        if !current.is_empty() {
            postings_pieces.push(current);
        }

        // Stems, each with the postings of every term sharing it.
        let mut stem_groups: BTreeMap<String, Vec<(&str, u64)>> = BTreeMap::new();
        for ((term, _), value) in terms.iter().zip(&values) {
            stem_groups.entry(text::stem(term).into_owned()).or_default().push((term.as_str(), value.offset));
        }
        // A stem whose only term is the stem itself is left out: the exact lookup finds it.
        let mut stems = stem_groups
            .iter()
            .filter(|(stem, members)| !matches!(members.as_slice(), [(term, _)] if term == stem))
            .peekable();

        // Dictionary chunks: contiguous term ranges of about `chunk_bytes` of keys, each with
        // the stems that fall in its range.
        let mut chunks = Vec::new();
        let mut chunk_bodies = Vec::new();
        let mut start = 0;
        while start < terms.len() {
            let mut end = start;
            let mut bytes = 0;
            while end < terms.len() && (end == start || bytes + terms[end].0.len() + KEY_OVERHEAD <= chunk_bytes) {
                bytes += terms[end].0.len() + KEY_OVERHEAD;
                end += 1;
            }
            let mut writer = DictionaryWriter::default();
            for ((term, _), value) in terms[start..end].iter().zip(&values[start..end]) {
                writer.term(term, *value).expect("terms are sorted and unique");
            }
            // The first chunk also takes stems before its first term; each chunk takes stems
            // up to the next chunk's first term.
            let next_first = terms.get(end).map(|(term, _)| term.as_str());
            while let Some((stem, members)) = stems.next_if(|(stem, _)| next_first.is_none_or(|n| stem.as_str() < n)) {
                let offsets: Vec<u64> = members.iter().map(|(_, offset)| *offset).collect();
                writer.stem(stem, &offsets).expect("stems are sorted and unique");
            }
            chunks.push(ChunkBounds {
                first: terms[start].0.clone(),
                last: terms[end - 1].0.clone(),
                terms: (end - start) as u32,
            });
            chunk_bodies.push(writer.finish());
            start = end;
        }

        // Stored fields: the rest of the budget.
        let docs = self.doc_count.max(1);
        let left = budget.saturating_sub(chunks.len() + postings_pieces.len() + 1).max(2) as u32;
        let round = |n: u32| n.div_ceil(DOCS_PER_BLOCK).max(1) * DOCS_PER_BLOCK;
        let docs_per_piece = round(sizes.docs_per_piece.max(docs.div_ceil(left)));
        let meta = Meta { doc_count: self.doc_count, field_totals: self.field_totals };
        let store = self.store.finish(docs_per_piece);

        let bodies: Vec<Vec<u8>> = chunk_bodies
            .into_iter()
            .chain(postings_pieces)
            .chain(store.docs)
            .chain(std::iter::once(store.facets))
            .collect();
        // The build id names the content: the statistics and every piece's checksum.
        let mut identity = meta.encode();
        for body in &bodies {
            identity.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(body).to_le_bytes());
        }
        let build_id = xxhash_rust::xxh3::xxh3_64(&identity);
        let mut root =
            Root { build_id, meta, docs_per_piece, chunks, postings_starts, postings_len: offset, pieces: Vec::new() };
        let ids: Vec<PieceId> = root.piece_ids().collect();
        debug_assert_eq!(ids.len(), bodies.len());
        let pieces: Vec<Vec<u8>> =
            ids.iter().zip(&bodies).map(|(id, body)| piece::encode(*id, build_id, body)).collect();
        root.pieces = pieces.iter().map(|bytes| PieceEntry { len: bytes.len() as u64 }).collect();
        BuiltIndex { root, pieces }
    }
}

/// Bytes a term adds to a dictionary chunk besides its own: a rough share of the fst's
/// per-key cost, for sizing chunks.
const KEY_OVERHEAD: usize = 3;

/// How an index is cut into pieces. The sizes are targets; the builder raises them when a corpus
/// would otherwise need more than `max_pieces` pieces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PieceSizes {
    /// Bytes of term keys per dictionary chunk.
    pub term_chunk_bytes: usize,
    /// Bytes per postings piece; a list of a quarter of this or more gets its own piece.
    pub postings_bytes: usize,
    /// Documents per stored-fields piece (rounded up to a multiple of [`DOCS_PER_BLOCK`]).
    pub docs_per_piece: u32,
    /// Most pieces. A site holds each piece twice (`.bin` and `.js`), and static hosts take
    /// 20,000 files at most.
    pub max_pieces: u32,
}

impl Default for PieceSizes {
    fn default() -> Self {
        PieceSizes {
            term_chunk_bytes: 4 * 1024,
            postings_bytes: 16 * 1024,
            docs_per_piece: DOCS_PER_BLOCK,
            max_pieces: 9_900,
        }
    }
}

impl PieceSizes {
    /// Tiny pieces, so that even a handful of records is cut into many: for tests.
    pub fn tiny() -> Self {
        PieceSizes { term_chunk_bytes: 64, postings_bytes: 64, docs_per_piece: 1, max_pieces: 9_900 }
    }
}

/// A built index: its root and its pieces (headers included), in the root's order.
#[derive(Debug, Clone)]
pub struct BuiltIndex {
    /// The root.
    pub root: Root,
    /// Every piece's bytes, in [`Root::pieces`] order.
    pub pieces: Vec<Vec<u8>>,
}

impl BuiltIndex {
    /// The index as one file, every piece inline: what [`crate::Index::from_bytes`] loads whole.
    pub fn single_file(&self) -> Vec<u8> {
        IndexFile::write(&self.root, Some(&self.pieces))
    }

    /// The root alone, for a sharded index whose pieces are files of their own.
    pub fn root_file(&self) -> Vec<u8> {
        IndexFile::write(&self.root, None)
    }

    /// Every piece with its name, in the root's order.
    pub fn named_pieces(&self) -> impl Iterator<Item = (String, &[u8])> + '_ {
        self.root.piece_ids().zip(&self.pieces).map(|(id, bytes)| (id.name(), bytes.as_slice()))
    }

    /// Bytes of the single-file index.
    pub fn total_bytes(&self) -> usize {
        self.root_file().len() + self.pieces.iter().map(Vec::len).sum::<usize>()
    }
}

#[cfg(feature = "build")]
pub use pipeline::*;

#[cfg(feature = "build")]
mod pipeline {
    use super::*;
    use crate::record::{read_records, InputFormat, Location, RecordError};
    use std::io::Read;

    /// One input of a build: a named reader (gzip is detected from the bytes).
    pub struct Source<'a> {
        /// Name used in error messages, usually the file path.
        pub name: String,
        /// The bytes.
        pub reader: Box<dyn Read + 'a>,
        /// The format, or `None` to detect it from the name and content.
        pub format: Option<InputFormat>,
    }

    impl<'a> Source<'a> {
        /// A source over in-memory bytes.
        pub fn from_bytes(name: impl Into<String>, bytes: &'a [u8]) -> Self {
            Source { name: name.into(), reader: Box::new(bytes), format: None }
        }
    }

    /// How a build treats bad records.
    #[derive(Debug, Clone, Default)]
    pub struct BuildOptions {
        /// Leave bad records out and list them in the report, instead of failing.
        pub skip_invalid: bool,
        /// How the index is cut into pieces.
        pub sizes: PieceSizes,
    }

    /// Why a build wrote no index.
    #[derive(Debug)]
    pub struct BuildError {
        /// Every bad record found (strict mode reads on to report them all), in bounded memory.
        pub errors: RecordErrors,
        /// Counts so far.
        pub report: BuildReport,
    }

    impl std::fmt::Display for BuildError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            writeln!(
                f,
                "{} of {} records are invalid; fix them or build with --skip-invalid:",
                self.errors.len(),
                self.report.read
            )?;
            for line in self.errors.lines() {
                writeln!(f, "  {line}")?;
            }
            Ok(())
        }
    }

    impl std::error::Error for BuildError {}

    /// Reads every source, validates (including duplicate ids across sources) and builds.
    ///
    /// ```
    /// use papersift_core::builder::{build_index, BuildOptions, Source};
    /// use papersift_core::{Index, SearchOptions};
    /// let jsonl = br#"{"id":"a","title":"Model merging in practice","abstract":"We merge models."}"#;
    /// let (bytes, report) = build_index(vec![Source::from_bytes("papers.jsonl", jsonl)], &BuildOptions::default()).unwrap();
    /// assert_eq!((report.read, report.indexed), (1, 1));
    /// let index = Index::from_bytes(bytes).unwrap();
    /// assert_eq!(index.search("merging", &SearchOptions::default()).hits[0].id, "a");
    /// ```
    pub fn build_index(sources: Vec<Source<'_>>, options: &BuildOptions) -> Result<(Vec<u8>, BuildReport), BuildError> {
        let (built, mut report) = build_pieces(sources, options)?;
        let bytes = built.single_file();
        report.bytes = bytes.len();
        Ok((bytes, report))
    }

    /// Like [`build_index`], but returns the root and pieces, to write as one file or as a
    /// sharded site.
    ///
    /// ```
    /// use papersift_core::builder::{build_pieces, BuildOptions, PieceSizes, Source};
    /// use papersift_core::{Index, SearchOptions};
    /// let jsonl = br#"{"id":"a","title":"Model merging in practice","abstract":"We merge models."}"#;
    /// let options = BuildOptions { sizes: PieceSizes::tiny(), ..BuildOptions::default() };
    /// let (built, _) = build_pieces(vec![Source::from_bytes("papers.jsonl", jsonl)], &options).unwrap();
    /// let mut index = Index::from_bytes(built.root_file()).unwrap();
    /// let pieces: std::collections::HashMap<String, &[u8]> = built.named_pieces().collect();
    /// loop {
    ///     let needs = index.needs("merging", &SearchOptions::default());
    ///     if needs.is_empty() { break }
    ///     for name in needs {
    ///         index.add_piece(&name, pieces[&name].to_vec()).unwrap();
    ///     }
    /// }
    /// assert_eq!(index.search("merging", &SearchOptions::default()).hits[0].id, "a");
    /// ```
    pub fn build_pieces(
        sources: Vec<Source<'_>>,
        options: &BuildOptions,
    ) -> Result<(BuiltIndex, BuildReport), BuildError> {
        let mut builder = IndexBuilder::new();
        let mut report = BuildReport::default();
        let mut first_seen: HashMap<String, (String, Location)> = HashMap::new();
        for source in sources {
            for item in read_records(&source.name, source.reader, source.format) {
                report.read += 1;
                let checked = item.and_then(|(location, record)| {
                    match first_seen.get(&record.id) {
                        Some((first_source, first_location)) => Err(RecordError {
                            source: source.name.clone(),
                            location,
                            field: Some("id".into()),
                            reason: format!(
                                "duplicate id `{}` (first used at {first_source}:{first_location}); ids must be unique across all inputs",
                                record.id
                            ),
                        }),
                        None => {
                            first_seen.insert(record.id.clone(), (source.name.clone(), location));
                            Ok(record)
                        }
                    }
                });
                match checked {
                    Ok(record) if report.skipped.is_empty() || options.skip_invalid => {
                        builder.add(&record);
                        report.indexed += 1;
                    }
                    // Strict mode after an error: keep reading only to report every bad record.
                    Ok(_) => report.indexed += 1,
                    Err(error) => report.skipped.push(error),
                }
            }
        }
        if !options.skip_invalid && !report.skipped.is_empty() {
            let errors = std::mem::take(&mut report.skipped);
            report.indexed = report.read - errors.len();
            return Err(BuildError { errors, report: BuildReport { skipped: RecordErrors::default(), ..report } });
        }
        report.terms = builder.term_count();
        let built = builder.finish_pieces(&options.sizes);
        report.bytes = built.total_bytes();
        Ok((built, report))
    }
}
