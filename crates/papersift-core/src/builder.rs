//! Turns records into index bytes.
//! TODO(core): implement.
use crate::record::{Record, RecordError};

/// Builds an index from records, in memory.
#[derive(Default)]
pub struct IndexBuilder {}

/// What a build did. Always `read == indexed + skipped.len()`.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Records read from all sources.
    pub read: usize,
    /// Records in the index.
    pub indexed: usize,
    /// Records left out, with the reasons.
    pub skipped: Vec<RecordError>,
    /// Distinct terms in the dictionary.
    pub terms: usize,
    /// Index size in bytes.
    pub bytes: usize,
}

impl IndexBuilder {
    /// Adds one record. Ids must be unique (the pipeline checks).
    pub fn add(&mut self, record: &Record) { let _ = record; todo!() }
    /// Writes the index bytes. Deterministic: the same records in the same order give the same bytes.
    pub fn finish(self) -> Vec<u8> { todo!() }
}

#[cfg(feature = "build")]
pub use pipeline::*;

#[cfg(feature = "build")]
mod pipeline {
    use super::*;
    use crate::record::Format;
    use std::io::Read;

    /// One input of a build: a named reader (gzip is detected from the bytes).
    pub struct Source<'a> {
        /// Name used in error messages, usually the file path.
        pub name: String,
        /// The bytes.
        pub reader: Box<dyn Read + 'a>,
        /// The format, or `None` to detect it from the name and content.
        pub format: Option<Format>,
    }

    /// How a build treats bad records.
    #[derive(Debug, Clone, Default)]
    pub struct BuildOptions {
        /// Leave bad records out and list them in the report, instead of failing.
        pub skip_invalid: bool,
    }

    /// Why a build wrote no index.
    #[derive(Debug)]
    pub struct BuildError {
        /// Every bad record found (strict mode reads on to report them all).
        pub errors: Vec<RecordError>,
        /// Counts so far.
        pub report: BuildReport,
    }

    /// Reads every source, validates (including duplicate ids across sources) and builds.
    pub fn build_index(sources: Vec<Source<'_>>, options: &BuildOptions) -> Result<(Vec<u8>, BuildReport), BuildError> {
        let _ = (sources, options);
        todo!()
    }
}
