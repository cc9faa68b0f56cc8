//! The `meta` section: the document count and, per field, the total number of tokens (from
//! which ranking derives average field lengths).
//!
//! Layout: `u32` document count, then one `u64` token total per field, little-endian.
//!
//! ```
//! use papersift_core::format::meta::Meta;
//! let meta = Meta { doc_count: 2, field_totals: [3, 40, 2, 0] };
//! assert_eq!(Meta::decode(&meta.encode()).unwrap(), meta);
//! ```

use super::{read_u32, read_u64, FormatError};
use crate::schema::FIELD_COUNT;

const LEN: usize = 4 + 8 * FIELD_COUNT;

/// The decoded meta section.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Meta {
    /// Number of documents.
    pub doc_count: u32,
    /// Tokens per field, summed over every document.
    pub field_totals: [u64; FIELD_COUNT],
}

impl Meta {
    /// The section's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(LEN);
        out.extend_from_slice(&self.doc_count.to_le_bytes());
        for total in self.field_totals {
            out.extend_from_slice(&total.to_le_bytes());
        }
        out
    }

    /// Reads the section, checking its length.
    pub fn decode(bytes: &[u8]) -> Result<Meta, FormatError> {
        if bytes.len() < LEN {
            return Err(FormatError::Section { name: "meta", reason: "too short".into() });
        }
        let mut field_totals = [0u64; FIELD_COUNT];
        for (f, total) in field_totals.iter_mut().enumerate() {
            *total = read_u64(bytes, 4 + 8 * f);
        }
        Ok(Meta { doc_count: read_u32(bytes, 0), field_totals })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_section_is_an_error_not_a_panic() {
        let err = Meta::decode(&[1, 0, 0, 0]).unwrap_err();
        assert!(err.to_string().contains("`meta`"), "{err}");
    }
}
