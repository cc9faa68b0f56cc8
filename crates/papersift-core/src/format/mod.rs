//! The byte layout of an index, and the only code that reads or writes it.
//!
//! An index is a small [`root`] (build id, statistics, the map of pieces) and [`piece`]s: term
//! dictionary chunks, postings (with norms), compressed document blocks and facets. This file holds
//! the container ([`IndexFile`]): magic, format version, flags, the root's length and checksum,
//! then the root, then, in a single-file index, every piece. A sharded index writes the same
//! root alone and each piece to its own file. It also holds the bounds-checked [`Cursor`] every
//! codec reads with. Each piece kind has one codec module, where its writer and reader share
//! types: [`meta`], [`dictionary`] (terms, stems, stem lists), [`postings`] and [`store`] (docs,
//! facets). Nothing outside this module decodes index bytes.

use std::fmt;

pub mod dictionary;
pub mod meta;
pub mod piece;
pub mod postings;
pub mod root;
pub mod store;

use std::ops::Range;

pub use piece::{PieceError, PieceId, PieceKind};
pub use root::Root;

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
    /// An inline piece of a single-file index is corrupt.
    Piece(PieceError),
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
            FormatError::Piece(error) => {
                write!(f, "index piece {error}; rebuild or copy the index again")
            }
            FormatError::Section { name, reason } => {
                write!(f, "index section `{name}` is corrupted: {reason}; rebuild the index")
            }
        }
    }
}

impl std::error::Error for FormatError {}

/// The first eight bytes of every index and every root.
pub const MAGIC: [u8; 8] = *b"PSIFTIDX";
/// The format version this build writes and reads.
pub const VERSION: u32 = 4;
/// Header: magic, version, flags, root length, root checksum.
const HEADER_LEN: usize = 8 + 4 + 4 + 8 + 8;
/// Flag: every piece follows the root (a single-file index).
const INLINE: u32 = 1;

/// An index file taken apart: the root, and where each piece lies when they are inline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFile {
    /// The decoded root.
    pub root: Root,
    /// The byte range of the root in the file.
    pub root_range: Range<usize>,
    /// Byte ranges of every piece (header included), in [`Root::pieces`] order, for a
    /// single-file index; `None` for a root whose pieces live apart.
    pub inline: Option<Vec<Range<usize>>>,
}

impl IndexFile {
    /// Checks magic, version, lengths and the root's checksum, and decodes the root. Inline
    /// pieces are only located here; [`piece::check`] verifies each.
    pub fn parse(bytes: &[u8]) -> Result<IndexFile, FormatError> {
        let truncated = |needed: usize| FormatError::Truncated { needed: needed as u64, got: bytes.len() as u64 };
        if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
            if bytes.len() < MAGIC.len() && MAGIC.starts_with(bytes) {
                return Err(truncated(HEADER_LEN));
            }
            return Err(FormatError::Magic { got: bytes[..bytes.len().min(MAGIC.len())].to_vec() });
        }
        if bytes.len() < 12 {
            return Err(truncated(HEADER_LEN));
        }
        let version = read_u32(bytes, 8);
        if version != VERSION {
            return Err(FormatError::Version { expected: VERSION, got: version });
        }
        if bytes.len() < HEADER_LEN {
            return Err(truncated(HEADER_LEN));
        }
        let flags = read_u32(bytes, 12);
        if flags & !INLINE != 0 {
            return Err(FormatError::Section { name: "header", reason: format!("unknown flags {flags:#x}") });
        }
        let root_len = usize::try_from(read_u64(bytes, 16)).unwrap_or(usize::MAX);
        let root_end = HEADER_LEN.checked_add(root_len).ok_or_else(|| truncated(usize::MAX))?;
        if bytes.len() < root_end {
            return Err(truncated(root_end));
        }
        let root_bytes = &bytes[HEADER_LEN..root_end];
        let expected = read_u64(bytes, 24);
        let got = checksum(root_bytes);
        if expected != got {
            return Err(FormatError::Checksum { expected, got });
        }
        let root = Root::decode(root_bytes)?;
        let (inline, end) = if flags & INLINE != 0 {
            let mut ranges = Vec::with_capacity(root.pieces.len());
            let mut at = root_end;
            for entry in &root.pieces {
                let end = usize::try_from(entry.len).ok().and_then(|len| at.checked_add(len));
                let end = end.ok_or_else(|| truncated(usize::MAX))?;
                ranges.push(at..end);
                at = end;
            }
            if bytes.len() < at {
                return Err(truncated(at));
            }
            (Some(ranges), at)
        } else {
            (None, root_end)
        };
        // Nothing may follow the last piece (or a root that stands alone): a flipped flag
        // would otherwise load a single-file index as a root with every piece missing.
        if bytes.len() > end {
            return Err(FormatError::Section {
                name: "header",
                reason: format!("{} bytes follow the end of the index at byte {end}", bytes.len() - end),
            });
        }
        Ok(IndexFile { root, root_range: HEADER_LEN..root_end, inline })
    }

    /// Writes the header and the root. A single-file index (`inline`) continues with every
    /// piece, in [`Root::pieces`] order, each with its header: the caller appends them, so that
    /// an index larger than memory can be written piece by piece.
    pub fn write_root(root: &Root, inline: bool) -> Vec<u8> {
        let root_bytes = root.encode();
        let mut out = Vec::with_capacity(HEADER_LEN + root_bytes.len());
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(if inline { INLINE } else { 0 }).to_le_bytes());
        out.extend_from_slice(&(root_bytes.len() as u64).to_le_bytes());
        out.extend_from_slice(&checksum(&root_bytes).to_le_bytes());
        out.extend_from_slice(&root_bytes);
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
