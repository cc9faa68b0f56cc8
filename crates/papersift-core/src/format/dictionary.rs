//! Term dictionary chunks. The dictionary is cut into chunks of contiguous key ranges (the root
//! lists each chunk's first and last term); a chunk holds three parts:
//!
//! - `terms`, an `fst::Map` from each term to its [`TermValue`] (postings offset and document
//!   frequency).
//! - `stems` is an `fst::Map` from an English stem to a [`StemEntry`]: the postings offset of
//!   the one term with that stem (low bit set), or where its list of offsets starts in
//!   `stem_lists` (low bit clear). A stem whose only term is the stem itself is left out: the
//!   exact lookup already finds it.
//! - `stem_lists` holds, per shared stem, `varint count` then the postings offsets as
//!   ascending varint deltas.
//!
//! ```
//! use papersift_core::format::dictionary::{Chunk, DictionaryWriter, StemEntry, TermValue};
//! let mut writer = DictionaryWriter::default();
//! writer.term("merge", TermValue { offset: 0, doc_freq: 2 }).unwrap();
//! writer.term("merging", TermValue { offset: 9, doc_freq: 1 }).unwrap();
//! writer.stem("merg", &[0, 9]).unwrap();
//! let body = writer.finish();
//! let chunk = Chunk::open(&body).unwrap();
//! assert_eq!(TermValue::decode(chunk.terms.get("merging").unwrap()).offset, 9);
//! let entry = StemEntry::decode(chunk.stems.get("merg").unwrap());
//! assert_eq!(entry.offsets(chunk.stem_lists), vec![0, 9]);
//! ```

use fst::{Map, MapBuilder};

use super::{write_varint, Cursor, FormatError};

/// What the `stems` fst maps a stem to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StemEntry {
    /// The postings offset of the only term with this stem.
    Single(u64),
    /// Where the list of postings offsets starts in `stem_lists`.
    List(u64),
}

impl StemEntry {
    /// The fst value.
    pub fn encode(self) -> u64 {
        match self {
            StemEntry::Single(offset) => (offset << 1) | 1,
            StemEntry::List(at) => at << 1,
        }
    }

    /// Reads an fst value.
    pub fn decode(value: u64) -> StemEntry {
        if value & 1 == 1 {
            StemEntry::Single(value >> 1)
        } else {
            StemEntry::List(value >> 1)
        }
    }

    /// The postings offsets of the stem's terms. Corrupt list bytes end the list early.
    pub fn offsets(self, stem_lists: &[u8]) -> Vec<u64> {
        let at = match self {
            StemEntry::Single(offset) => return vec![offset],
            StemEntry::List(at) => at,
        };
        let mut cursor = Cursor::at(stem_lists, usize::try_from(at).unwrap_or(usize::MAX));
        let count = cursor.varint().unwrap_or(0);
        let mut out = Vec::with_capacity(count.min(256) as usize);
        let mut offset = 0u64;
        for _ in 0..count {
            let Some(delta) = cursor.varint() else { break };
            offset = offset.saturating_add(delta);
            out.push(offset);
        }
        out
    }
}

/// Bits of a `terms` fst value that hold the document frequency.
const DF_BITS: u32 = 24;

/// What the `terms` fst maps a term to: its postings offset and its document frequency, so that
/// completions and typo matches rank by frequency without reading postings. Frequencies above
/// 2^24 − 1 are stored as that (they still rank first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermValue {
    /// Offset of the postings list.
    pub offset: u64,
    /// Documents the term occurs in.
    pub doc_freq: u32,
}

impl TermValue {
    /// The fst value.
    pub fn encode(self) -> u64 {
        (self.offset << DF_BITS) | u64::from(self.doc_freq.min((1 << DF_BITS) - 1))
    }

    /// Reads an fst value.
    pub fn decode(value: u64) -> TermValue {
        TermValue { offset: value >> DF_BITS, doc_freq: (value & ((1 << DF_BITS) - 1)) as u32 }
    }
}

/// One dictionary chunk, opened: the terms and stems of its key range.
#[derive(Clone)]
pub struct Chunk<'a> {
    /// Term → [`TermValue`].
    pub terms: Map<&'a [u8]>,
    /// Stem → [`StemEntry`].
    pub stems: Map<&'a [u8]>,
    /// The lists [`StemEntry::List`] points into.
    pub stem_lists: &'a [u8],
}

impl<'a> Chunk<'a> {
    /// Opens a chunk's body: `varint length` and the terms fst, `varint length` and the stems
    /// fst, then the stem lists.
    pub fn open(body: &'a [u8]) -> Result<Chunk<'a>, FormatError> {
        let bad = |reason: String| FormatError::Section { name: "terms", reason };
        let mut c = Cursor::new(body);
        let mut part = || {
            let len = c.varint().and_then(|n| usize::try_from(n).ok())?;
            c.bytes(len)
        };
        let terms = part().ok_or_else(|| bad("too short".into()))?;
        let stems = part().ok_or_else(|| bad("too short".into()))?;
        let stem_lists = &body[c.pos..];
        Ok(Chunk {
            terms: Map::new(terms).map_err(|e| bad(e.to_string()))?,
            stems: Map::new(stems).map_err(|e| bad(e.to_string()))?,
            stem_lists,
        })
    }

    /// Opens a chunk as [`Chunk::open`] does, and also checks the structure of both fsts
    /// (`fst::raw::Fst::verify_structure`, patched into `vendor/fst`). `fst` decodes nodes
    /// assuming well-formed bytes and can panic on others, so a chunk is checked once, when its
    /// piece is loaded, before any query walks it; after that no lookup, stream or automaton
    /// search on it can panic or loop.
    ///
    /// The CRC32C each fst carries is not checked: the piece's own checksum already covers the
    /// same bytes against accidents, and a CRC can be forged, which the structural check is for.
    /// Checking it too cost a second pass over every fst at load and CRC tables of 17 KB in the
    /// engine (docs/BENCHMARKS.md, "Start-up in Node and the engine's bytes").
    pub fn check(body: &'a [u8]) -> Result<Chunk<'a>, FormatError> {
        let chunk = Chunk::open(body)?;
        for fst in [chunk.terms.as_fst(), chunk.stems.as_fst()] {
            fst.verify_structure().map_err(|e| {
                // `fst::Error` says only "FST error"; the evidence is in its source.
                let reason = match e {
                    fst::Error::Fst(e) => e.to_string(),
                    e => e.to_string(),
                };
                FormatError::Section { name: "terms", reason: format!("an fst is corrupted: {reason}") }
            })?;
        }
        Ok(chunk)
    }
}

/// Writes one dictionary chunk. Terms and stems must each come in sorted order.
pub struct DictionaryWriter {
    terms: MapBuilder<Vec<u8>>,
    stems: MapBuilder<Vec<u8>>,
    stem_lists: Vec<u8>,
}

impl Default for DictionaryWriter {
    fn default() -> Self {
        DictionaryWriter { terms: MapBuilder::memory(), stems: MapBuilder::memory(), stem_lists: Vec::new() }
    }
}

impl DictionaryWriter {
    /// Adds a term with its postings offset and document frequency; terms must come in byte
    /// order, once each.
    pub fn term(&mut self, term: &str, value: TermValue) -> Result<(), fst::Error> {
        self.terms.insert(term, value.encode())
    }

    /// Adds a stem with the postings offsets of its terms (ascending); stems must come in byte
    /// order, once each.
    pub fn stem(&mut self, stem: &str, offsets: &[u64]) -> Result<(), fst::Error> {
        match offsets {
            [] => Ok(()),
            [offset] => self.stems.insert(stem, StemEntry::Single(*offset).encode()),
            many => {
                self.stems.insert(stem, StemEntry::List(self.stem_lists.len() as u64).encode())?;
                write_varint(&mut self.stem_lists, many.len() as u64);
                let mut last = 0;
                for offset in many {
                    write_varint(&mut self.stem_lists, offset - last);
                    last = *offset;
                }
                Ok(())
            }
        }
    }

    /// The chunk's body.
    pub fn finish(self) -> Vec<u8> {
        let terms = self.terms.into_inner().expect("an in-memory fst cannot fail to write");
        let stems = self.stems.into_inner().expect("an in-memory fst cannot fail to write");
        let mut out = Vec::with_capacity(terms.len() + stems.len() + self.stem_lists.len() + 10);
        write_varint(&mut out, terms.len() as u64);
        out.extend_from_slice(&terms);
        write_varint(&mut out, stems.len() as u64);
        out.extend_from_slice(&stems);
        out.extend_from_slice(&self.stem_lists);
        out
    }
}
