//! The default corpus, `data/daily_papers.txt`, built once per test binary.

use std::sync::OnceLock;

use papersift_core::builder::{build_index, BuildOptions, Source};
use papersift_core::Index;

/// The index of the default corpus, built on first use and shared by every test of the binary.
pub fn daily_papers_index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let corpus = include_bytes!("../../../../data/daily_papers.txt");
        let (bytes, _) =
            build_index(vec![Source::from_bytes("daily_papers.txt", corpus)], &BuildOptions::default()).unwrap();
        Index::from_bytes(bytes).unwrap()
    })
}
