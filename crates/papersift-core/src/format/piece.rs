//! Pieces: the separately loadable parts of an index, their names, and the header every piece
//! carries (build id and checksum).
//!
//! A piece's bytes are `PSPC`, the build id (`u64`), the checksum of the body (`u32`, the low
//! half of its xxh3 seeded with the piece's kind and number) and the body. The root lists every
//! piece's length, so a piece is checked against the root it is added to: [`check`] tells a cut
//! piece, a corrupted one (or another piece's bytes) and one from another build apart.
//!
//! Names are relative paths, bucketed by five hundreds so that no folder of a site holds more
//! than 1,000 files (each piece is written as `.bin` and `.js`):
//!
//! ```
//! use papersift_core::format::piece::{PieceId, PieceKind};
//! let id = PieceId { kind: PieceKind::Postings, index: 1137 };
//! assert_eq!(id.name(), "postings/02/1137");
//! assert_eq!(PieceId::parse("postings/02/1137"), Some(id));
//! assert_eq!(PieceId::parse("postings/01/1137"), None);
//! ```

use std::fmt;

use super::read_u64;

/// What a piece holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PieceKind {
    /// A chunk of the term dictionary: the terms and stems of one contiguous key range.
    Terms,
    /// A run of postings lists (or one long list alone), contiguous in term order.
    Postings,
    /// The stored fields of a run of documents, compressed.
    Docs,
    /// The year and venue columns and the venue names.
    Facets,
    /// Each document's authors as ordinals, for a run of documents, and the names first used
    /// in that run: author facets count them without reading stored fields.
    Authors,
}

impl PieceKind {
    /// Every kind, in the order pieces are numbered in the root and laid out in a single file.
    pub const ALL: [PieceKind; 5] =
        [PieceKind::Terms, PieceKind::Postings, PieceKind::Docs, PieceKind::Facets, PieceKind::Authors];

    /// The folder name of the kind.
    pub fn name(self) -> &'static str {
        match self {
            PieceKind::Terms => "terms",
            PieceKind::Postings => "postings",
            PieceKind::Docs => "docs",
            PieceKind::Facets => "facets",
            PieceKind::Authors => "authors",
        }
    }
}

/// One piece: its kind and its number among pieces of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PieceId {
    /// What it holds.
    pub kind: PieceKind,
    /// Its number among pieces of its kind, from 0.
    pub index: u32,
}

/// Pieces per folder in a piece name.
const PER_BUCKET: u32 = 500;

impl PieceId {
    /// Its name: `kind/bucket/number`, such as `terms/00/0042`.
    pub fn name(self) -> String {
        format!("{}/{:02}/{:04}", self.kind.name(), self.index / PER_BUCKET, self.index)
    }

    /// The piece a name stands for, if it is a well-formed piece name.
    pub fn parse(name: &str) -> Option<PieceId> {
        let mut parts = name.split('/');
        let kind_name = parts.next()?;
        let kind = PieceKind::ALL.into_iter().find(|k| k.name() == kind_name)?;
        parts.next()?;
        let index: u32 = parts.next()?.parse().ok()?;
        let id = PieceId { kind, index };
        // Only the canonical spelling names a piece.
        (parts.next().is_none() && id.name() == name).then_some(id)
    }
}

impl fmt::Display for PieceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Why a piece was refused. Displays as the web loader shows it, naming the piece.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PieceError {
    /// The bytes do not match their checksum, or are not a piece: corrupted, or another piece's
    /// bytes under this name.
    Checksum {
        /// The piece's name.
        name: String,
    },
    /// The piece was written by another build than the root's: the site was updated between
    /// loading the root and the piece, or files of two builds were mixed.
    OtherBuild {
        /// The piece's name.
        name: String,
    },
    /// The piece is shorter than the root says.
    Truncated {
        /// The piece's name.
        name: String,
        /// Bytes expected.
        expected: u64,
        /// Bytes present.
        got: u64,
    },
    /// The root lists no piece of that name.
    Unknown {
        /// The name asked for.
        name: String,
    },
}

impl PieceError {
    /// The name of the piece the error is about.
    pub fn name(&self) -> &str {
        match self {
            PieceError::Checksum { name }
            | PieceError::OtherBuild { name }
            | PieceError::Truncated { name, .. }
            | PieceError::Unknown { name } => name,
        }
    }
}

impl fmt::Display for PieceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PieceError::Checksum { name } => write!(f, "{name} failed its checksum"),
            PieceError::OtherBuild { name } => write!(f, "{name} belongs to another build"),
            PieceError::Truncated { name, .. } => write!(f, "{name} is truncated"),
            PieceError::Unknown { name } => write!(f, "no piece is named {name}"),
        }
    }
}

impl std::error::Error for PieceError {}

/// The first bytes of every piece.
pub const PIECE_MAGIC: [u8; 4] = *b"PSPC";
/// Magic, build id, checksum.
pub const HEADER_LEN: usize = 4 + 8 + 4;

/// A piece's checksum: the low half of the xxh3 of its body, seeded with the piece's kind and
/// number so that a piece served under another's name fails even when their bodies are equal.
pub fn checksum(id: PieceId, body: &[u8]) -> u32 {
    let seed = (id.kind as u64) << 32 | u64::from(id.index);
    xxhash_rust::xxh3::xxh3_64_with_seed(body, seed) as u32
}

/// What the root records about each piece, and what the piece's bytes are checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PieceEntry {
    /// Length of the piece, header included.
    pub len: u64,
}

/// Wraps a body in the piece header.
pub fn encode(id: PieceId, build_id: u64, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(&PIECE_MAGIC);
    out.extend_from_slice(&build_id.to_le_bytes());
    out.extend_from_slice(&checksum(id, body).to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// Checks a piece's bytes against the root's entry and build id and against its own checksum
/// (seeded with `id`, so another piece's bytes fail), and returns its body.
pub fn check(id: PieceId, bytes: &[u8], entry: PieceEntry, build_id: u64) -> Result<&[u8], PieceError> {
    let name = || id.name();
    let got = bytes.len() as u64;
    if got < HEADER_LEN as u64 || bytes[..4] != PIECE_MAGIC {
        // A piece cut before its header ends, or bytes that are not a piece at all.
        return Err(if got < entry.len && PIECE_MAGIC.starts_with(&bytes[..bytes.len().min(4)]) {
            PieceError::Truncated { name: name(), expected: entry.len, got }
        } else {
            PieceError::Checksum { name: name() }
        });
    }
    if read_u64(bytes, 4) != build_id {
        return Err(PieceError::OtherBuild { name: name() });
    }
    if got < entry.len {
        return Err(PieceError::Truncated { name: name(), expected: entry.len, got });
    }
    let stored = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]);
    let body = &bytes[HEADER_LEN..];
    if got != entry.len || stored != checksum(id, body) {
        return Err(PieceError::Checksum { name: name() });
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_piece_is_checked_against_its_root_entry() {
        let id = PieceId { kind: PieceKind::Terms, index: 42 };
        let bytes = encode(id, 7, b"body");
        let entry = PieceEntry { len: bytes.len() as u64 };
        assert_eq!(check(id, &bytes, entry, 7), Ok(&b"body"[..]));
        assert_eq!(check(id, &bytes, entry, 8).unwrap_err().to_string(), "terms/00/0042 belongs to another build");
        assert_eq!(check(id, &bytes[..18], entry, 7).unwrap_err().to_string(), "terms/00/0042 is truncated");
        assert_eq!(check(id, &bytes[..3], entry, 7).unwrap_err().to_string(), "terms/00/0042 is truncated");
        let mut corrupt = bytes.clone();
        corrupt[17] ^= 1;
        assert_eq!(check(id, &corrupt, entry, 7).unwrap_err().to_string(), "terms/00/0042 failed its checksum");
        let other = PieceId { kind: PieceKind::Terms, index: 43 };
        let err = check(other, &bytes, entry, 7).unwrap_err();
        assert_eq!(err.to_string(), "terms/00/0043 failed its checksum", "a piece under another's name");
        assert_eq!(PieceError::Unknown { name: "terms/99/9999".into() }.to_string(), "no piece is named terms/99/9999");
    }
}
