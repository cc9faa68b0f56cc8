//! The indexed fields: their order in postings and norms, their names in the query syntax, and
//! their default ranking weights. Everything that depends on "which fields exist" starts here.
//!
//! ```
//! use papersift_core::schema::{Field, FIELD_COUNT};
//! assert_eq!(Field::ALL.len(), FIELD_COUNT);
//! assert_eq!(Field::from_name("Author"), Some(Field::Authors));
//! assert_eq!(Field::Title.name(), "title");
//! ```

use std::ops::Range;

/// Number of indexed fields.
pub const FIELD_COUNT: usize = 4;

/// An indexed field. The order is the index format's: postings field masks, norms and the
/// per-field tables of the ranking all follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// The title.
    Title,
    /// The abstract.
    Abstract,
    /// Author names.
    Authors,
    /// The venue (filter-only by default: its ranking weight is 0).
    Venue,
}

/// Term frequencies of one document, one per [`Field`], in field order.
pub type FieldFreqs = [u32; FIELD_COUNT];

impl Field {
    /// Every field, in format order.
    pub const ALL: [Field; FIELD_COUNT] = [Field::Title, Field::Abstract, Field::Authors, Field::Venue];

    /// The field's slot in per-field arrays.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The field's name, as the query syntax spells it (`title:`).
    pub const fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Abstract => "abstract",
            Field::Authors => "authors",
            Field::Venue => "venue",
        }
    }

    /// The field a query-syntax name stands for, case-insensitively (`author` and `authors`
    /// both mean [`Field::Authors`]).
    pub fn from_name(name: &str) -> Option<Field> {
        match name.to_ascii_lowercase().as_str() {
            "title" => Some(Field::Title),
            "abstract" => Some(Field::Abstract),
            "author" | "authors" => Some(Field::Authors),
            "venue" => Some(Field::Venue),
            _ => None,
        }
    }

    /// Default BM25F weight: a title word counts twice an abstract word; the venue only filters.
    pub const fn default_weight(self) -> f32 {
        match self {
            Field::Title => 2.0,
            Field::Abstract | Field::Authors => 1.0,
            Field::Venue => 0.0,
        }
    }

    /// Default BM25F length normalization (0 = none, 1 = full).
    pub const fn default_b(self) -> f32 {
        match self {
            Field::Title => 0.4,
            Field::Abstract => 0.75,
            Field::Authors => 0.5,
            Field::Venue => 0.0,
        }
    }
}

/// The slots a clause looks at: one field when it is restricted, else all of them.
pub fn field_range(field: Option<Field>) -> Range<usize> {
    match field {
        Some(f) => f.index()..f.index() + 1,
        None => 0..FIELD_COUNT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_round_trips_through_its_name() {
        for field in Field::ALL {
            assert_eq!(Field::from_name(field.name()), Some(field));
            assert_eq!(Field::ALL[field.index()], field);
        }
        assert_eq!(Field::from_name("year"), None);
    }

    #[test]
    fn field_range_is_one_slot_or_all() {
        assert_eq!(field_range(Some(Field::Authors)), 2..3);
        assert_eq!(field_range(None), 0..FIELD_COUNT);
    }
}
