//! The byte layout of an index, and the only code that reads or writes it.
//!
//! This file holds the container: magic, format version, section table and checksum
//! ([`Layout`] reads it, [`Writer`] writes it), plus the bounds-checked [`Cursor`] every section
//! codec reads with. Each section has one codec module, where its writer and reader share types:
//! [`meta`], [`dictionary`] (terms, stems, stem lists), [`postings`] and [`store`] (docs, norms,
//! facets). Nothing outside this module decodes index bytes.

use std::fmt;

pub mod dictionary;
pub mod meta;
pub mod postings;
pub mod store;

/// Why bytes could not be loaded as an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The bytes do not start with the papersift magic.
    Magic {
        /// The first bytes found.
        got: Vec<u8>,
    },
    /// The index was written by another format version.
    Version {
        /// The version this build reads.
        expected: u32,
        /// The version found.
        got: u32,
    },
    /// The bytes end before the header or a section does.
    Truncated {
        /// Bytes needed.
        needed: u64,
        /// Bytes present.
        got: u64,
    },
    /// The checksum does not match the content.
    Checksum {
        /// Stored checksum.
        expected: u64,
        /// Computed checksum.
        got: u64,
    },
    /// A section is missing or malformed.
    Section {
        /// Section name.
        name: &'static str,
        /// What is wrong.
        reason: String,
    },
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Magic { got } => write!(
                f,
                "not a papersift index (starts with {got:02x?}); build one with `papersift build`"
            ),
            FormatError::Version { expected, got } => write!(
                f,
                "index format version {got} is not supported (this build reads version {expected}); rebuild the index with this version of papersift"
            ),
            FormatError::Truncated { needed, got } => write!(
                f,
                "index is truncated: needs {needed} bytes, has {got}; the file was cut short, rebuild or copy it again"
            ),
            FormatError::Checksum { expected, got } => write!(
                f,
                "index is corrupted: checksum {got:016x} does not match the stored {expected:016x}; rebuild or copy it again"
            ),
            FormatError::Section { name, reason } => {
                write!(f, "index section `{name}` is corrupted: {reason}; rebuild the index")
            }
        }
    }
}

impl std::error::Error for FormatError {}

/// The first eight bytes of every index.
pub const MAGIC: [u8; 8] = *b"PSIFTIDX";
/// The format version this build writes and reads.
pub const VERSION: u32 = 1;
/// Header: magic, version, section count, checksum.
const HEADER_LEN: usize = 8 + 4 + 4 + 8;
/// One section table entry: id, reserved, offset, length.
const ENTRY_LEN: usize = 4 + 4 + 8 + 8;

/// The sections of an index. Each is separately addressable, so a shard can be a subset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u32)]
pub enum Section {
    /// Document count and per-field token totals.
    Meta = 1,
    /// The term dictionary: an `fst::Map` from term to its postings offset.
    Terms = 2,
    /// Compressed postings lists, one per term, in term order.
    Postings = 3,
    /// An `fst::Map` from English stem to the terms sharing it.
    Stems = 4,
    /// Lists of postings offsets for stems shared by several terms.
    StemLists = 5,
    /// Stored fields: an offset table and one compact record per document.
    Docs = 6,
    /// Per-document field lengths, quantized to a byte each.
    Norms = 7,
    /// Per-document years and venue ordinals, and the venue names.
    Facets = 8,
}

impl Section {
    /// Every section, in file order.
    pub const ALL: [Section; 8] = [
        Section::Meta,
        Section::Terms,
        Section::Postings,
        Section::Stems,
        Section::StemLists,
        Section::Docs,
        Section::Norms,
        Section::Facets,
    ];

    /// The section's name, as `papersift stats` prints it.
    pub fn name(self) -> &'static str {
        match self {
            Section::Meta => "meta",
            Section::Terms => "terms",
            Section::Postings => "postings",
            Section::Stems => "stems",
            Section::StemLists => "stem_lists",
            Section::Docs => "docs",
            Section::Norms => "norms",
            Section::Facets => "facets",
        }
    }

    fn from_id(id: u32) -> Option<Section> {
        Section::ALL.iter().copied().find(|s| *s as u32 == id)
    }
}

/// Where each section lies in the index bytes. Built by [`Layout::parse`], which checks everything
/// that later zero-copy reads rely on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    ranges: [(usize, usize); Section::ALL.len()],
}

impl Layout {
    /// Checks magic, version, section table bounds and checksum.
    pub fn parse(bytes: &[u8]) -> Result<Layout, FormatError> {
        let truncated = |needed: usize| FormatError::Truncated { needed: needed as u64, got: bytes.len() as u64 };
        if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
            if bytes.len() < MAGIC.len() && MAGIC.starts_with(bytes) {
                return Err(truncated(HEADER_LEN));
            }
            return Err(FormatError::Magic { got: bytes[..bytes.len().min(MAGIC.len())].to_vec() });
        }
        if bytes.len() < HEADER_LEN {
            return Err(truncated(HEADER_LEN));
        }
        let version = read_u32(bytes, 8);
        if version != VERSION {
            return Err(FormatError::Version { expected: VERSION, got: version });
        }
        let count = read_u32(bytes, 12) as usize;
        let table_end = count
            .checked_mul(ENTRY_LEN)
            .and_then(|n| n.checked_add(HEADER_LEN))
            .ok_or_else(|| truncated(usize::MAX))?;
        if bytes.len() < table_end {
            return Err(truncated(table_end));
        }
        let mut layout = Layout::default();
        let mut seen = [false; Section::ALL.len()];
        let mut needed = table_end;
        for i in 0..count {
            let at = HEADER_LEN + i * ENTRY_LEN;
            let id = read_u32(bytes, at);
            let offset = read_u64(bytes, at + 8);
            let len = read_u64(bytes, at + 16);
            let end = offset.checked_add(len).ok_or_else(|| truncated(usize::MAX))?;
            needed = needed.max(usize::try_from(end).unwrap_or(usize::MAX));
            let Some(section) = Section::from_id(id) else {
                // Sections from a newer minor revision are skipped by design.
                continue;
            };
            if offset < table_end as u64 {
                return Err(FormatError::Section { name: section.name(), reason: "overlaps the header".into() });
            }
            let slot = Section::ALL.iter().position(|s| *s == section).unwrap_or(0);
            seen[slot] = true;
            layout.ranges[slot] = (offset as usize, end as usize);
        }
        if bytes.len() < needed {
            return Err(truncated(needed));
        }
        let expected = read_u64(bytes, 16);
        let got = checksum(&bytes[HEADER_LEN..]);
        if expected != got {
            return Err(FormatError::Checksum { expected, got });
        }
        if let Some(missing) = Section::ALL.iter().zip(seen).find(|(_, seen)| !seen) {
            return Err(FormatError::Section { name: missing.0.name(), reason: "missing".into() });
        }
        Ok(layout)
    }

    /// The byte range of a section.
    pub fn range(&self, section: Section) -> std::ops::Range<usize> {
        let slot = Section::ALL.iter().position(|s| *s == section).unwrap_or(0);
        let (start, end) = self.ranges[slot];
        start..end
    }
}

/// Assembles sections into index bytes with the header, table and checksum.
#[derive(Debug, Default)]
pub struct Writer {
    sections: Vec<(Section, Vec<u8>)>,
}

impl Writer {
    /// Adds a section. Sections are written in [`Section::ALL`] order whatever the call order.
    pub fn section(&mut self, section: Section, bytes: Vec<u8>) {
        self.sections.push((section, bytes));
    }

    /// The finished index.
    pub fn finish(mut self) -> Vec<u8> {
        self.sections.sort_by_key(|(s, _)| *s);
        let table_end = HEADER_LEN + self.sections.len() * ENTRY_LEN;
        let total = table_end + self.sections.iter().map(|(_, b)| b.len()).sum::<usize>();
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(self.sections.len() as u32).to_le_bytes());
        out.extend_from_slice(&0u64.to_le_bytes());
        let mut offset = table_end as u64;
        for (section, bytes) in &self.sections {
            out.extend_from_slice(&(*section as u32).to_le_bytes());
            out.extend_from_slice(&0u32.to_le_bytes());
            out.extend_from_slice(&offset.to_le_bytes());
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            offset += bytes.len() as u64;
        }
        for (_, bytes) in &self.sections {
            out.extend_from_slice(bytes);
        }
        let sum = checksum(&out[HEADER_LEN..]);
        out[16..24].copy_from_slice(&sum.to_le_bytes());
        out
    }
}

fn checksum(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Reads a little-endian `u32` at `at`; the caller has checked bounds.
pub(crate) fn read_u32(bytes: &[u8], at: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(b)
}

/// Reads a little-endian `u64` at `at`; the caller has checked bounds.
pub(crate) fn read_u64(bytes: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(b)
}

/// Appends `value` as a LEB128 varint.
pub(crate) fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A bounds-checked reader over a section. Every read returns `None` past the end or on an
/// overlong varint, so corrupt bytes that pass the checksum still cannot cause a panic.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Cursor { bytes, pos: 0 }
    }

    pub(crate) fn at(bytes: &'a [u8], pos: usize) -> Self {
        Cursor { bytes, pos }
    }

    pub(crate) fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.pos)?;
            self.pos += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(value);
            }
        }
        None
    }

    pub(crate) fn bytes(&mut self, len: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(len)?;
        let out = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    pub(crate) fn str(&mut self) -> Option<&'a str> {
        let len = usize::try_from(self.varint()?).ok()?;
        std::str::from_utf8(self.bytes(len)?).ok()
    }

    /// Steps over a string without checking it is UTF-8: reading one field of a record should
    /// not cost validating the abstract before it.
    pub(crate) fn skip_str(&mut self) -> Option<()> {
        let len = usize::try_from(self.varint()?).ok()?;
        self.bytes(len).map(|_| ())
    }
}

/// Appends a length-prefixed string.
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    write_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}
