//! The term dictionary sections: `terms`, `stems` and `stem_lists`.
//!
//! - `terms` is an `fst::Map` from each term to the offset of its postings list.
//! - `stems` is an `fst::Map` from an English stem to a [`StemEntry`]: the postings offset of
//!   the one term with that stem (low bit set), or where its list of offsets starts in
//!   `stem_lists` (low bit clear). A stem whose only term is the stem itself is left out: the
//!   exact lookup already finds it.
//! - `stem_lists` holds, per shared stem, `varint count` then the postings offsets as
//!   ascending varint deltas.
//!
//! ```
//! use papersift_core::format::dictionary::{DictionaryWriter, StemEntry};
//! let mut writer = DictionaryWriter::default();
//! writer.term("merge", 0).unwrap();
//! writer.term("merging", 9).unwrap();
//! writer.stem("merg", &[0, 9]).unwrap();
//! let sections = writer.finish();
//! let stems = fst::Map::new(sections.stems.as_slice()).unwrap();
//! let entry = StemEntry::decode(stems.get("merg").unwrap());
//! assert_eq!(entry.offsets(&sections.stem_lists), vec![0, 9]);
//! ```

use fst::{Map, MapBuilder};

use super::{write_varint, Cursor, FormatError, Section};

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

/// Opens an fst section (`terms` or `stems`), naming the section when its bytes are not an fst.
pub fn open_fst(section: Section, bytes: &[u8]) -> Result<Map<&[u8]>, FormatError> {
    Map::new(bytes).map_err(|e| FormatError::Section { name: section.name(), reason: e.to_string() })
}

/// Writes the three dictionary sections. Terms and stems must each come in sorted order.
pub struct DictionaryWriter {
    terms: MapBuilder<Vec<u8>>,
    stems: MapBuilder<Vec<u8>>,
    stem_lists: Vec<u8>,
}

/// The finished dictionary sections.
#[derive(Debug, Clone, Default)]
pub struct DictionarySections {
    /// The `terms` section.
    pub terms: Vec<u8>,
    /// The `stems` section.
    pub stems: Vec<u8>,
    /// The `stem_lists` section.
    pub stem_lists: Vec<u8>,
}

impl Default for DictionaryWriter {
    fn default() -> Self {
        DictionaryWriter { terms: MapBuilder::memory(), stems: MapBuilder::memory(), stem_lists: Vec::new() }
    }
}

impl DictionaryWriter {
    /// Adds a term and its postings offset; terms must come in byte order, once each.
    pub fn term(&mut self, term: &str, postings_offset: u64) -> Result<(), fst::Error> {
        self.terms.insert(term, postings_offset)
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

    /// The finished sections.
    pub fn finish(self) -> DictionarySections {
        DictionarySections {
            terms: self.terms.into_inner().expect("an in-memory fst cannot fail to write"),
            stems: self.stems.into_inner().expect("an in-memory fst cannot fail to write"),
            stem_lists: self.stem_lists,
        }
    }
}
