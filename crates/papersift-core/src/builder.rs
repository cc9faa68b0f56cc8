//! Turns records into index bytes: terms → postings, the fst term dictionary, the stem map and
//! stored fields, cut into a root and pieces ([`crate::format`]) and written as one file or as
//! a root and piece files.
//!
//! Memory stays bounded as the corpus grows: postings are held until they pass
//! [`BuildMemory::run_bytes`], then written out as a sorted run ([`runs`]); stored fields go to
//! scratch as they come. Finishing merges the runs into one postings stream in term order and
//! cuts the pieces from scratch, holding one piece at a time. What stays in memory grows with
//! the vocabulary (a stem per term) and by a few bytes per document (stored-field offsets,
//! facet columns), not with the text. The bytes do not depend on the number of runs.

mod runs;
pub mod scratch;

use std::collections::HashMap;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex};

use crate::format::dictionary::{DictionaryWriter, TermValue};
use crate::format::meta::Meta;
use crate::format::piece::{self, PieceEntry};
use crate::format::postings::ListWriter;
use crate::format::root::{ChunkBounds, Root};
use crate::format::store::{authors_piece, docs_block, encode_norm, encode_stored, AuthorsWriter, FacetsWriter};
use crate::format::{write_str, write_varint, IndexFile};
use crate::record::{Record, RecordErrors};
use crate::schema::{Field, FieldFreqs, FIELD_COUNT};
use crate::search::DOCS_PER_BLOCK;
use crate::text::{self, TokenKind};
use scratch::{InMemory, ScratchFile, ScratchSpace};

/// How much a build holds in memory, and where it puts the rest.
#[derive(Clone)]
pub struct BuildMemory {
    /// Where runs, stored fields and finished pieces go.
    pub scratch: Arc<dyn ScratchSpace>,
    /// Bytes of postings (and their terms) held before they are written out as a run.
    pub run_bytes: usize,
}

impl Default for BuildMemory {
    fn default() -> Self {
        BuildMemory { scratch: Arc::new(InMemory), run_bytes: 256 << 20 }
    }
}

impl std::fmt::Debug for BuildMemory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuildMemory").field("run_bytes", &self.run_bytes).finish_non_exhaustive()
    }
}

/// Builds an index from records. Memory is bounded by [`BuildMemory`] (see the module's
/// documentation).
pub struct IndexBuilder {
    memory: BuildMemory,
    terms: HashMap<String, ListWriter>,
    /// Estimated bytes `terms` holds.
    held: usize,
    runs: Vec<Box<dyn ScratchFile>>,
    stored: BufWriter<Box<dyn ScratchFile>>,
    /// Where each document's stored fields end in `stored`.
    stored_ends: Vec<u64>,
    record_bytes: Vec<u8>,
    facets: FacetsWriter,
    authors: AuthorsWriter,
    /// Each document's author ordinals, in document order.
    author_lists: BufWriter<Box<dyn ScratchFile>>,
    doc_count: u32,
    field_totals: [u64; FIELD_COUNT],
}

/// Bytes a held term costs besides its list: the key, the map entry and the writer.
const HELD_PER_TERM: usize = 96;

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
    /// Sorted runs of postings the build wrote out and merged (one when it all fit in memory).
    pub runs: usize,
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

impl Default for IndexBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl IndexBuilder {
    /// An empty builder with scratch in memory.
    pub fn new() -> Self {
        Self::with_memory(BuildMemory::default()).expect("scratch in memory cannot fail to open")
    }

    /// An empty builder that holds what [`BuildMemory`] allows and puts the rest in its scratch.
    pub fn with_memory(memory: BuildMemory) -> io::Result<Self> {
        let stored = BufWriter::with_capacity(1 << 16, memory.scratch.create()?);
        let author_lists = BufWriter::with_capacity(1 << 16, memory.scratch.create()?);
        Ok(IndexBuilder {
            memory,
            terms: HashMap::new(),
            held: 0,
            runs: Vec::new(),
            stored,
            stored_ends: Vec::new(),
            record_bytes: Vec::new(),
            facets: FacetsWriter::default(),
            authors: AuthorsWriter::default(),
            author_lists,
            doc_count: 0,
            field_totals: [0; FIELD_COUNT],
        })
    }

    /// Adds one record as the next document. Ids must be unique ([`build_index`] checks).
    /// Fails only when the scratch space does.
    pub fn add(&mut self, record: &Record) -> io::Result<()> {
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
            let list = match self.terms.get_mut(&term) {
                Some(list) => list,
                None => {
                    self.held += term.len() + HELD_PER_TERM;
                    self.terms.entry(term).or_default()
                }
            };
            let before = list.entries().len();
            list.push(doc, &tf, &norms);
            self.held += list.entries().len() - before;
        }
        self.record_bytes.clear();
        encode_stored(record, &mut self.record_bytes);
        self.stored.write_all(&self.record_bytes)?;
        let end = self.stored_ends.last().copied().unwrap_or(0) + self.record_bytes.len() as u64;
        self.stored_ends.push(end);
        self.facets.push(record);
        self.record_bytes.clear();
        self.authors.push(record, &mut self.record_bytes);
        self.author_lists.write_all(&self.record_bytes)?;
        self.doc_count += 1;
        if self.held >= self.memory.run_bytes {
            self.spill()?;
        }
        Ok(())
    }

    /// Writes the held postings out as a run.
    fn spill(&mut self) -> io::Result<()> {
        let terms = std::mem::take(&mut self.terms);
        self.runs.push(runs::write_run(terms, self.memory.scratch.create()?)?);
        self.held = 0;
        Ok(())
    }

    /// Documents added so far.
    pub fn doc_count(&self) -> u32 {
        self.doc_count
    }

    /// Runs written out so far: how often the held postings passed the memory budget.
    pub fn runs(&self) -> usize {
        self.runs.len()
    }

    /// Writes a single-file index with the default piece sizes. Deterministic: the same
    /// records in the same order give the same bytes.
    pub fn finish(self) -> io::Result<Vec<u8>> {
        self.finish_pieces(&PieceSizes::default())?.single_file()
    }

    /// Cuts the index into a root and pieces. Deterministic: the same records in the same order
    /// and the same sizes give the same bytes, however many runs were written.
    pub fn finish_pieces(mut self, sizes: &PieceSizes) -> io::Result<BuiltIndex> {
        if !self.terms.is_empty() {
            self.spill()?;
        }
        let scratch = Arc::clone(&self.memory.scratch);
        let run_count = self.runs.len();

        // The merge writes the postings stream and a log of the terms (term, document
        // frequency, list length), and sums what sizing the pieces needs.
        let mut postings = BufWriter::with_capacity(1 << 16, scratch.create()?);
        let mut term_log = BufWriter::with_capacity(1 << 16, scratch.create()?);
        let mut stems: Vec<(String, u64, bool)> = Vec::new();
        let (mut offset, mut postings_total, mut key_total, mut term_count) = (0u64, 0usize, 0usize, 0usize);
        let (mut list_bytes, mut entry) = (Vec::new(), Vec::new());
        runs::merge(std::mem::take(&mut self.runs), |term, list| {
            list_bytes.clear();
            list.write_to(&mut list_bytes);
            postings.write_all(&list_bytes)?;
            entry.clear();
            write_str(&mut entry, term);
            write_varint(&mut entry, u64::from(list.doc_count()));
            write_varint(&mut entry, list_bytes.len() as u64);
            term_log.write_all(&entry)?;
            postings_total += list.byte_len();
            key_total += term.len() + KEY_OVERHEAD;
            term_count += 1;
            let stem = text::stem(term);
            let alone = stem == term;
            stems.push((stem.into_owned(), offset, alone));
            offset += list_bytes.len() as u64;
            Ok(())
        })?;
        let postings_len = offset;

        // Piece counts must stay within the budget however large the corpus: sizes grow with it.
        let budget = sizes.max_pieces.max(16) as usize;
        let postings_bytes = sizes.postings_bytes.max(postings_total / (budget * 2 / 5).max(1) + 1);
        let chunk_bytes = sizes.term_chunk_bytes.max(key_total / (budget / 10).max(1) + 1);

        // Stems, each with the postings of every term sharing it (in term order). A stem whose
        // only term is the stem itself is left out: the exact lookup finds it.
        stems.sort_unstable_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        let mut stem_groups: Vec<(String, Vec<u64>)> = Vec::new();
        let mut alone = false;
        for (stem, offset, is_term) in stems {
            match stem_groups.last_mut() {
                Some((last, offsets)) if *last == stem => {
                    offsets.push(offset);
                    alone = false;
                }
                _ => {
                    if alone {
                        stem_groups.pop();
                    }
                    alone = is_term;
                    stem_groups.push((stem, vec![offset]));
                }
            }
        }
        if alone {
            stem_groups.pop();
        }
        let mut stems = stem_groups.into_iter().peekable();

        // One pass over the terms cuts both the postings stream and the dictionary.
        // Postings: cut at list boundaries; a long list gets a piece of its own, so a query for a
        // rare word never loads a common word's list with it.
        // Dictionary: contiguous term ranges of about `chunk_bytes` of keys, each with the stems
        // that fall in its range (the first chunk also takes stems before its first term).
        let mut terms_in = BufReader::with_capacity(1 << 16, scratch::rewind(term_log)?);
        let mut chunk_out = BufWriter::with_capacity(1 << 16, scratch.create()?);
        let mut bodies = PieceBodies::default();
        let mut chunks: Vec<ChunkBounds> = Vec::new();
        let mut postings_starts = Vec::new();
        let mut postings_pieces: Vec<(u64, u64)> = Vec::new();
        let (mut piece_start, mut piece_len) = (0u64, 0u64);
        let mut chunk = ChunkDraft::default();
        let mut at = 0u64;
        for _ in 0..term_count {
            let term = scratch::read_string(&mut terms_in)?;
            let doc_freq = u32::try_from(scratch::read_number(&mut terms_in)?)
                .map_err(|_| scratch::corrupt("a document frequency is too large"))?;
            let len = scratch::read_number(&mut terms_in)?;

            let long = len >= (postings_bytes / 4) as u64;
            if piece_len > 0 && (long || piece_len + len > postings_bytes as u64) {
                postings_pieces.push((piece_start, piece_len));
                piece_len = 0;
            }
            if piece_len == 0 {
                piece_start = at;
                postings_starts.push(at);
            }
            piece_len += len;
            if long {
                postings_pieces.push((piece_start, piece_len));
                piece_len = 0;
            }

            let key = term.len() + KEY_OVERHEAD;
            if chunk.terms > 0 && chunk.key_bytes + key > chunk_bytes {
                let body = chunk.close(&mut stems, Some(&term), &mut chunks);
                bodies.push(&mut chunk_out, 0, &body)?;
            }
            chunk.add(term, TermValue { offset: at, doc_freq }, key);
            at += len;
        }
        if piece_len > 0 {
            postings_pieces.push((piece_start, piece_len));
        }
        if chunk.terms > 0 {
            let body = chunk.close(&mut stems, None, &mut chunks);
            bodies.push(&mut chunk_out, 0, &body)?;
        }
        let chunk_file = scratch::rewind(chunk_out)?;

        // Postings pieces are ranges of the stream as it is; only their hashes are needed now.
        let mut postings_file = scratch::rewind(postings)?;
        {
            let mut reader = BufReader::with_capacity(1 << 16, &mut postings_file);
            let mut body = Vec::new();
            for (start, len) in &postings_pieces {
                body.resize(*len as usize, 0);
                reader.read_exact(&mut body)?;
                bodies.add(1, *start, &body);
            }
        }

        // Authors pieces take a tenth of the budget at most; stored fields the rest.
        let docs = self.doc_count.max(1);
        let authors_per_piece = sizes.authors_per_piece.max(docs.div_ceil((budget / 10).max(1) as u32)).max(1);
        let authors_pieces = docs.div_ceil(authors_per_piece) as usize;
        let left = budget.saturating_sub(chunks.len() + postings_pieces.len() + 1 + authors_pieces).max(2) as u32;
        let round = |n: u32| n.div_ceil(DOCS_PER_BLOCK).max(1) * DOCS_PER_BLOCK;
        let docs_per_piece = round(sizes.docs_per_piece.max(docs.div_ceil(left)));
        let mut stored = BufReader::with_capacity(1 << 16, scratch::rewind(self.stored)?);
        let mut docs_out = BufWriter::with_capacity(1 << 16, scratch.create()?);
        let mut block = Vec::new();
        let mut first = 0usize;
        while first < self.stored_ends.len() {
            let end = (first + docs_per_piece as usize).min(self.stored_ends.len());
            let base = if first == 0 { 0 } else { self.stored_ends[first - 1] };
            block.resize((self.stored_ends[end - 1] - base) as usize, 0);
            stored.read_exact(&mut block)?;
            let records: Vec<&[u8]> = (first..end)
                .map(|doc| {
                    let start = if doc == 0 { 0 } else { self.stored_ends[doc - 1] };
                    &block[(start - base) as usize..(self.stored_ends[doc] - base) as usize]
                })
                .collect();
            bodies.push(&mut docs_out, 2, &docs_block(&records))?;
            first = end;
        }
        let docs_file = scratch::rewind(docs_out)?;
        let facets = self.facets.finish();
        bodies.add(3, 0, &facets);

        // Authors: each piece holds its documents' ordinal lists and the names they use first.
        let names = self.authors.names();
        let mut lists_in = BufReader::with_capacity(1 << 16, scratch::rewind(self.author_lists)?);
        let mut authors_out = BufWriter::with_capacity(1 << 16, scratch.create()?);
        let (mut introduced, mut lists) = (0u32, Vec::new());
        let mut doc = 0u32;
        while doc < self.doc_count {
            let end = (doc + authors_per_piece).min(self.doc_count);
            let first_ordinal = introduced;
            lists.clear();
            for _ in doc..end {
                let count = scratch::read_number(&mut lists_in)?;
                write_varint(&mut lists, count);
                for _ in 0..count {
                    let ordinal = scratch::read_number(&mut lists_in)?;
                    write_varint(&mut lists, ordinal);
                    introduced = introduced.max(ordinal as u32 + 1);
                }
            }
            let new_names = names.get(first_ordinal as usize..introduced as usize).unwrap_or_default();
            bodies.push(&mut authors_out, 4, &authors_piece(first_ordinal, new_names, &lists))?;
            doc = end;
        }
        let authors_file = scratch::rewind(authors_out)?;

        let meta = Meta { doc_count: self.doc_count, field_totals: self.field_totals };
        // The build id names the content: the statistics and every piece's checksum.
        let mut identity = meta.encode();
        for hash in &bodies.hashes {
            identity.extend_from_slice(&hash.to_le_bytes());
        }
        let build_id = xxhash_rust::xxh3::xxh3_64(&identity);
        let mut root = Root {
            build_id,
            meta,
            docs_per_piece,
            authors_per_piece,
            chunks,
            postings_starts,
            postings_len,
            pieces: Vec::new(),
        };
        root.pieces =
            bodies.at.iter().map(|(_, _, len)| PieceEntry { len: (piece::HEADER_LEN as u64) + len }).collect();
        debug_assert_eq!(root.piece_ids().count(), root.pieces.len());
        let files: Vec<Box<dyn ScratchFile>> =
            vec![chunk_file, postings_file, docs_file, Box::new(io::Cursor::new(facets)), authors_file];
        Ok(BuiltIndex { root, runs: run_count, store: Mutex::new(PieceStore { files, at: bodies.at }) })
    }
}

/// A dictionary chunk being filled.
#[derive(Default)]
struct ChunkDraft {
    writer: DictionaryWriter,
    first: String,
    last: String,
    terms: u32,
    key_bytes: usize,
}

impl ChunkDraft {
    fn add(&mut self, term: String, value: TermValue, key: usize) {
        self.writer.term(&term, value).expect("the merge gives terms sorted and unique");
        if self.terms == 0 {
            self.first.clone_from(&term);
        }
        self.last = term;
        self.terms += 1;
        self.key_bytes += key;
    }

    /// Ends the chunk with the stems before `next_first` (the next chunk's first term, or all
    /// that are left) and returns its body.
    fn close(
        &mut self,
        stems: &mut std::iter::Peekable<impl Iterator<Item = (String, Vec<u64>)>>,
        next_first: Option<&str>,
        chunks: &mut Vec<ChunkBounds>,
    ) -> Vec<u8> {
        let mut draft = std::mem::take(self);
        while let Some((stem, offsets)) = stems.next_if(|(stem, _)| next_first.is_none_or(|n| stem.as_str() < n)) {
            draft.writer.stem(&stem, &offsets).expect("stems are sorted and unique");
        }
        chunks.push(ChunkBounds { first: draft.first, last: draft.last, terms: draft.terms });
        draft.writer.finish()
    }
}

/// Where each piece's body lies (file, start, length), in the root's order, and its hash.
#[derive(Default)]
struct PieceBodies {
    at: Vec<(usize, u64, u64)>,
    hashes: Vec<u64>,
    /// Bytes written so far to each file `push` writes to.
    written: [u64; 5],
}

impl PieceBodies {
    /// Records a body that lies at `start` in file `file`.
    fn add(&mut self, file: usize, start: u64, body: &[u8]) {
        self.at.push((file, start, body.len() as u64));
        self.hashes.push(xxhash_rust::xxh3::xxh3_64(body));
    }

    /// Appends a body to file `file` (written by `out`) and records it.
    fn push(&mut self, out: &mut impl Write, file: usize, body: &[u8]) -> io::Result<()> {
        out.write_all(body)?;
        self.add(file, self.written[file], body);
        self.written[file] += body.len() as u64;
        Ok(())
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
    /// Documents per authors piece.
    pub authors_per_piece: u32,
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
            authors_per_piece: 8192,
            max_pieces: 9_900,
        }
    }
}

impl PieceSizes {
    /// Tiny pieces, so that even a handful of records is cut into many: for tests.
    pub fn tiny() -> Self {
        PieceSizes {
            term_chunk_bytes: 64,
            postings_bytes: 64,
            docs_per_piece: 1,
            authors_per_piece: 8,
            max_pieces: 9_900,
        }
    }
}

/// A built index: its root, and its pieces' bodies in scratch, read back one at a time.
pub struct BuiltIndex {
    /// The root.
    pub root: Root,
    /// Sorted runs of postings merged into the index.
    pub runs: usize,
    store: Mutex<PieceStore>,
}

/// The scratch files that hold the pieces' bodies, and where each body lies.
struct PieceStore {
    files: Vec<Box<dyn ScratchFile>>,
    at: Vec<(usize, u64, u64)>,
}

impl std::fmt::Debug for BuiltIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuiltIndex").field("root", &self.root).finish_non_exhaustive()
    }
}

impl BuiltIndex {
    /// Piece `index` (in [`Root::pieces`] order), header included.
    pub fn piece(&self, index: usize) -> io::Result<Vec<u8>> {
        let id = self.root.piece_ids().nth(index).ok_or_else(|| scratch::corrupt("no such piece"))?;
        let mut store = self.store.lock().map_err(|_| scratch::corrupt("a reader panicked"))?;
        let (file, start, len) = *store.at.get(index).ok_or_else(|| scratch::corrupt("no such piece"))?;
        let file = &mut store.files[file];
        file.seek(SeekFrom::Start(start))?;
        let mut body = vec![0u8; len as usize];
        file.read_exact(&mut body)?;
        Ok(piece::encode(id, self.root.build_id, &body))
    }

    /// Every piece with its name, in the root's order, read from scratch one at a time.
    pub fn named_pieces(&self) -> impl Iterator<Item = io::Result<(String, Vec<u8>)>> + '_ {
        self.root.piece_ids().enumerate().map(|(i, id)| Ok((id.name(), self.piece(i)?)))
    }

    /// Writes the index as one file, every piece inline: what [`crate::Index::from_bytes`]
    /// loads whole.
    pub fn write_single_file(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(&IndexFile::write_root(&self.root, true))?;
        for i in 0..self.root.pieces.len() {
            out.write_all(&self.piece(i)?)?;
        }
        Ok(())
    }

    /// The index as one file, in memory.
    pub fn single_file(&self) -> io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(self.total_bytes());
        self.write_single_file(&mut out)?;
        Ok(out)
    }

    /// The root alone, for a sharded index whose pieces are files of their own.
    pub fn root_file(&self) -> Vec<u8> {
        IndexFile::write_root(&self.root, false)
    }

    /// Bytes of the single-file index.
    pub fn total_bytes(&self) -> usize {
        self.root_file().len() + self.root.pieces.iter().map(|piece| piece.len as usize).sum::<usize>()
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

    /// How a build treats bad records, cuts pieces and uses memory.
    #[derive(Debug, Clone, Default)]
    pub struct BuildOptions {
        /// Leave bad records out and list them in the report, instead of failing.
        pub skip_invalid: bool,
        /// How the index is cut into pieces.
        pub sizes: PieceSizes,
        /// What the build holds in memory, and where the rest goes.
        pub memory: BuildMemory,
    }

    /// Why a build wrote no index.
    #[derive(Debug)]
    pub enum BuildError {
        /// Bad records, in strict mode.
        Records {
            /// Every bad record found (strict mode reads on to report them all), in bounded memory.
            errors: RecordErrors,
            /// Counts so far.
            report: BuildReport,
        },
        /// The scratch space failed (a full disk, say).
        Scratch(io::Error),
    }

    impl std::fmt::Display for BuildError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self {
                BuildError::Records { errors, report } => {
                    writeln!(
                        f,
                        "{} of {} records are invalid; fix them or build with --skip-invalid:",
                        errors.len(),
                        report.read
                    )?;
                    for line in errors.lines() {
                        writeln!(f, "  {line}")?;
                    }
                    Ok(())
                }
                BuildError::Scratch(error) => write!(f, "the build's scratch space failed: {error}"),
            }
        }
    }

    impl std::error::Error for BuildError {}

    impl From<io::Error> for BuildError {
        fn from(error: io::Error) -> Self {
            BuildError::Scratch(error)
        }
    }

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
        let bytes = built.single_file()?;
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
    /// let pieces: std::collections::HashMap<String, Vec<u8>> =
    ///     built.named_pieces().collect::<std::io::Result<_>>().unwrap();
    /// loop {
    ///     let needs = index.needs("merging", &SearchOptions::default());
    ///     if needs.is_empty() { break }
    ///     for name in needs {
    ///         index.add_piece(&name, pieces[&name].clone()).unwrap();
    ///     }
    /// }
    /// assert_eq!(index.search("merging", &SearchOptions::default()).hits[0].id, "a");
    /// ```
    pub fn build_pieces(
        sources: Vec<Source<'_>>,
        options: &BuildOptions,
    ) -> Result<(BuiltIndex, BuildReport), BuildError> {
        let mut builder = IndexBuilder::with_memory(options.memory.clone())?;
        let mut report = BuildReport::default();
        // Each id's first source (by number) and place: a few dozen bytes per record.
        let mut first_seen: HashMap<String, (usize, Location)> = HashMap::new();
        let names: Vec<String> = sources.iter().map(|source| source.name.clone()).collect();
        for (number, source) in sources.into_iter().enumerate() {
            for item in read_records(&source.name, source.reader, source.format) {
                report.read += 1;
                let checked = item.and_then(|(location, record)| match first_seen.get(&record.id) {
                    Some((first_source, first_location)) => Err(RecordError {
                        source: source.name.clone(),
                        location,
                        field: Some("id".into()),
                        reason: format!(
                            "duplicate id `{}` (first used at {}:{first_location}); ids must be unique across all inputs",
                            record.id, names[*first_source]
                        ),
                    }),
                    None => {
                        first_seen.insert(record.id.clone(), (number, location));
                        Ok(record)
                    }
                });
                match checked {
                    Ok(record) if report.skipped.is_empty() || options.skip_invalid => {
                        builder.add(&record)?;
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
            return Err(BuildError::Records {
                errors,
                report: BuildReport { skipped: RecordErrors::default(), ..report },
            });
        }
        let built = builder.finish_pieces(&options.sizes)?;
        report.terms = built.root.chunks.iter().map(|chunk| chunk.terms as usize).sum();
        report.bytes = built.total_bytes();
        report.runs = built.runs;
        Ok((built, report))
    }
}
