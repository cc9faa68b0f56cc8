//! The papersift engine: one tokenizer, one index format and one ranking, shared by
//! `build.rs`, the CLI, the wasm module and the tests.
//!
//! Data flow: records file → [`record`] (parse, validate) → [`text`] (normalize, tokenize)
//! → [`builder`] (terms → postings, fst term dictionary, stored fields) → [`format`] (bytes with
//! header and checksum) → [`Index`] over `&[u8]` without copying → [`query`] (parse, expand
//! prefixes and typos through the fst, score, top k) → hits with [`snippet`]s and highlights.
//!
//! This crate never touches the file system: it takes bytes and `Read`ers.
#![warn(missing_docs)]

pub mod builder;
pub mod cite;
#[cfg(feature = "build")]
pub mod eval;
pub mod expand;
pub mod format;
pub mod index;
pub mod postings;
pub mod query;
pub mod record;
pub mod search;
pub mod snippet;
pub mod store;
pub mod text;

pub use builder::{BuildReport, IndexBuilder};
pub use format::FormatError;
pub use index::{Facets, IndexStats, Ranking, Hit, Index, SearchOptions, SearchResults, Span};
pub use record::{Location, Record, RecordError};
