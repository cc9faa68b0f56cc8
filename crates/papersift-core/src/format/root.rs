//! The root: what a reader needs before any piece. The build id, the [`Meta`] statistics, and
//! the map of pieces: the key range of every dictionary chunk, where each postings piece starts,
//! how many documents a docs piece holds, and each piece's length. (Each piece carries its own
//! checksum, seeded with its name; the build id, which every piece carries too, is a hash of all
//! of them. Listing the checksums again here would add 4 bytes a piece to what every page loads
//! first.)
//!
//! Layout: `u64 build id`, the meta section (length-prefixed), `varint docs per docs piece`,
//! `varint docs per authors piece`,
//! `varint chunk count` and per chunk its first and last term
//! (length-prefixed) and `varint term count`, `varint postings piece count` and their start
//! offsets as varint deltas, `varint` total postings length, then per piece (in
//! [`PieceKind::ALL`] order, by number) `varint length`.
//!
//! ```
//! use papersift_core::format::root::{ChunkBounds, Root};
//! use papersift_core::format::piece::{PieceEntry, PieceId, PieceKind};
//! use papersift_core::format::meta::Meta;
//! let root = Root {
//!     build_id: 9,
//!     meta: Meta { doc_count: 3, field_totals: [3, 9, 3, 0] },
//!     docs_per_piece: 32,
//!     authors_per_piece: 64,
//!     chunks: vec![ChunkBounds { first: "a".into(), last: "z".into(), terms: 5 }],
//!     postings_starts: vec![0],
//!     postings_len: 40,
//!     pieces: vec![PieceEntry { len: 30 }; 5],
//! };
//! let back = Root::decode(&root.encode()).unwrap();
//! assert_eq!(back, root);
//! assert_eq!(back.ordinal(PieceId { kind: PieceKind::Docs, index: 0 }), Some(2));
//! ```

use super::meta::Meta;
use super::piece::{PieceEntry, PieceId, PieceKind};
use super::{write_str, write_varint, Cursor, FormatError};

/// The key range of one dictionary chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkBounds {
    /// Its first term. Keys from here up to the next chunk's first term (terms and stems alike)
    /// live in this chunk; the first chunk also takes every key before its first term.
    pub first: String,
    /// Its last term.
    pub last: String,
    /// Number of terms in it.
    pub terms: u32,
}

/// The decoded root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    /// Identifies the build; every piece carries it.
    pub build_id: u64,
    /// Document count and field statistics.
    pub meta: Meta,
    /// Documents per docs piece.
    pub docs_per_piece: u32,
    /// Documents per authors piece.
    pub authors_per_piece: u32,
    /// Dictionary chunks, in key order.
    pub chunks: Vec<ChunkBounds>,
    /// Where each postings piece starts in the postings offsets the dictionary maps terms to.
    pub postings_starts: Vec<u64>,
    /// The end of the last postings piece.
    pub postings_len: u64,
    /// Every piece's length, in [`PieceKind::ALL`] order, by number.
    pub pieces: Vec<PieceEntry>,
}

fn corrupt(reason: &str) -> FormatError {
    FormatError::Section { name: "root", reason: reason.to_string() }
}

impl Root {
    /// Number of pieces of `kind`.
    pub fn count(&self, kind: PieceKind) -> u32 {
        let per = |n: u32| if n == 0 { 0 } else { self.meta.doc_count.div_ceil(n) };
        match kind {
            PieceKind::Terms => self.chunks.len() as u32,
            PieceKind::Postings => self.postings_starts.len() as u32,
            PieceKind::Docs => per(self.docs_per_piece),
            PieceKind::Facets => 1,
            PieceKind::Authors => per(self.authors_per_piece),
        }
    }

    /// The position of a piece in [`Root::pieces`], if the root has it.
    pub fn ordinal(&self, id: PieceId) -> Option<usize> {
        let mut base = 0usize;
        for kind in PieceKind::ALL {
            let count = self.count(kind);
            if kind == id.kind {
                return (id.index < count).then_some(base + id.index as usize);
            }
            base += count as usize;
        }
        None
    }

    /// Every piece, in [`Root::pieces`] order.
    pub fn piece_ids(&self) -> impl Iterator<Item = PieceId> + '_ {
        PieceKind::ALL.into_iter().flat_map(move |kind| (0..self.count(kind)).map(move |index| PieceId { kind, index }))
    }

    /// The dictionary chunk that holds `key` (a term or a stem), if there are any chunks.
    pub fn chunk_of(&self, key: &str) -> Option<u32> {
        if self.chunks.is_empty() {
            return None;
        }
        let after = self.chunks.partition_point(|c| c.first.as_str() <= key);
        Some(after.saturating_sub(1) as u32)
    }

    /// The postings piece holding the list at `offset`.
    pub fn postings_piece(&self, offset: u64) -> Option<u32> {
        if offset >= self.postings_len {
            return None;
        }
        let after = self.postings_starts.partition_point(|start| *start <= offset);
        after.checked_sub(1).map(|i| i as u32)
    }

    /// The byte range of postings piece `index` in postings offsets.
    pub fn postings_range(&self, index: u32) -> std::ops::Range<u64> {
        let i = index as usize;
        let start = self.postings_starts.get(i).copied().unwrap_or(self.postings_len);
        let end = self.postings_starts.get(i + 1).copied().unwrap_or(self.postings_len);
        start..end
    }

    /// The root's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&self.build_id.to_le_bytes());
        let meta = self.meta.encode();
        write_varint(&mut out, meta.len() as u64);
        out.extend_from_slice(&meta);
        write_varint(&mut out, u64::from(self.docs_per_piece));
        write_varint(&mut out, u64::from(self.authors_per_piece));
        write_varint(&mut out, self.chunks.len() as u64);
        for chunk in &self.chunks {
            write_str(&mut out, &chunk.first);
            write_str(&mut out, &chunk.last);
            write_varint(&mut out, u64::from(chunk.terms));
        }
        write_varint(&mut out, self.postings_starts.len() as u64);
        let mut last = 0;
        for start in &self.postings_starts {
            write_varint(&mut out, start - last);
            last = *start;
        }
        write_varint(&mut out, self.postings_len);
        for piece in &self.pieces {
            write_varint(&mut out, piece.len);
        }
        out
    }

    /// Reads a root, checking that its piece table matches its counts.
    pub fn decode(bytes: &[u8]) -> Result<Root, FormatError> {
        let mut c = Cursor::new(bytes);
        let short = || corrupt("too short");
        let build_id = c.bytes(8).map(|b| super::read_u64(b, 0)).ok_or_else(short)?;
        let meta_len = c.varint().and_then(|n| usize::try_from(n).ok()).ok_or_else(short)?;
        let meta = Meta::decode(c.bytes(meta_len).ok_or_else(short)?)?;
        let mut count = || c.varint().and_then(|n| u32::try_from(n).ok()).ok_or_else(short);
        let docs_per_piece = count()?;
        let authors_per_piece = count()?;
        if docs_per_piece == 0 || authors_per_piece == 0 {
            return Err(corrupt("a piece size is zero"));
        }
        let chunk_count = count()?;
        let mut chunks = Vec::with_capacity(chunk_count.min(1 << 16) as usize);
        for _ in 0..chunk_count {
            let first = c.str().ok_or_else(short)?.to_string();
            let last = c.str().ok_or_else(short)?.to_string();
            let terms = c.varint().and_then(|n| u32::try_from(n).ok()).ok_or_else(short)?;
            if chunks.last().is_some_and(|prev: &ChunkBounds| prev.last >= first) || first > last {
                return Err(corrupt("dictionary chunks are out of order"));
            }
            chunks.push(ChunkBounds { first, last, terms });
        }
        let postings_count = c.varint().ok_or_else(short)?;
        let mut postings_starts = Vec::with_capacity(postings_count.min(1 << 16) as usize);
        let mut at = 0u64;
        for i in 0..postings_count {
            let delta = c.varint().ok_or_else(short)?;
            if i > 0 && delta == 0 {
                return Err(corrupt("postings pieces are out of order"));
            }
            at = at.checked_add(delta).ok_or_else(|| corrupt("postings offsets overflow"))?;
            postings_starts.push(at);
        }
        let postings_len = c.varint().ok_or_else(short)?;
        if postings_starts.last().is_some_and(|last| *last >= postings_len) {
            return Err(corrupt("postings pieces end past the postings"));
        }
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
        let total: u64 = PieceKind::ALL.iter().map(|k| u64::from(root.count(*k))).sum();
        for _ in 0..total {
            let len = c.varint().ok_or_else(short)?;
            root.pieces.push(PieceEntry { len });
        }
        Ok(root)
    }
}
