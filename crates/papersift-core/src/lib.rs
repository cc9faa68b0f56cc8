//! The papersift engine: one tokenizer, one index format and one ranking, shared by
//! `build.rs`, the CLI, the wasm module and the tests.
//!
//! Data flow: records file → [`record`] (parse, validate) → [`text`] (normalize, tokenize)
//! → [`builder`] (terms → postings, fst term dictionary, stored fields) → [`format`] (bytes with
//! header and checksum; one codec per section) → [`Index`] over `&[u8]` without copying →
//! [`query`] (parse) → [`search`] (plan; then execute: expand words through [`termdict`], score,
//! filter, verify phrases, top k) → hits with [`snippet`]s and highlights.
//!
//! This crate never touches the file system: it takes bytes and `Read`ers.
#![deny(missing_docs)]

pub mod builder;
pub mod cite;
#[cfg(feature = "build")]
pub mod eval;
pub mod format;
pub mod index;
pub mod query;
pub mod record;
pub mod schema;
pub mod search;
pub mod snippet;
mod sort;
pub mod termdict;
pub mod text;
#[cfg(feature = "build")]
pub mod workload;

pub use builder::{BuildReport, IndexBuilder};
pub use format::FormatError;
pub use index::{Index, IndexStats};
pub use record::{Location, Record, RecordError};
pub use search::{Facets, Hit, Ranking, SearchOptions, SearchResults, Snippet, Span};
