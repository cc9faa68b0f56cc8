//! Compiles the records that the wasm module embeds into `OUT_DIR/papersift.idx`.
//!
//! The default corpus is `data/daily_papers.txt`. `PAPERSIFT_RECORDS=path1[:path2…]` picks
//! other records (relative paths are relative to this package's root). A bad record fails the
//! build with the core's `file:line: field: reason` lines, not a panic backtrace.

use std::fs::File;
use std::path::{Path, PathBuf};

use papersift_core::builder::{build_index, BuildError, BuildOptions, Source};

const DEFAULT_RECORDS: &str = "data/daily_papers.txt";

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=PAPERSIFT_RECORDS");
    if std::env::var_os("CARGO_FEATURE_EMBEDDED_INDEX").is_none() {
        // The engine-only build embeds nothing; src/lib.rs does not include the file.
        return;
    }
    let paths = record_paths();
    for path in &paths {
        println!("cargo::rerun-if-changed={}", path.display());
    }
    if let Err(problems) = compile(&paths).and_then(|index| write_index(&index)) {
        report(&problems);
    }
}

/// The record files to index: `PAPERSIFT_RECORDS`, split like `PATH`, or the default corpus.
fn record_paths() -> Vec<PathBuf> {
    match std::env::var_os("PAPERSIFT_RECORDS") {
        Some(list) if !list.is_empty() => std::env::split_paths(&list).filter(|p| !p.as_os_str().is_empty()).collect(),
        _ => vec![PathBuf::from(DEFAULT_RECORDS)],
    }
}

/// Reads and indexes every file; on failure returns one line per problem.
fn compile(paths: &[PathBuf]) -> Result<Vec<u8>, Vec<String>> {
    let mut sources = Vec::with_capacity(paths.len());
    for path in paths {
        let file = File::open(path).map_err(|err| {
            vec![format!(
                "{}: cannot read the records ({err}); set PAPERSIFT_RECORDS to existing files",
                path.display()
            )]
        })?;
        sources.push(Source { name: path.display().to_string(), reader: Box::new(file), format: None });
    }
    build_index(sources, &BuildOptions::default()).map(|(index, _report)| index).map_err(|err| match err {
        BuildError::Records { errors, .. } => errors.lines().collect(),
        BuildError::Scratch(err) => vec![format!("cannot build the embedded index: {err}")],
    })
}

fn write_index(index: &[u8]) -> Result<(), Vec<String>> {
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let path = Path::new(&out_dir).join("papersift.idx");
    std::fs::write(&path, index).map_err(|err| vec![format!("{}: cannot write the index: {err}", path.display())])
}

/// Prints each problem as a cargo error, so `cargo build` shows them without a backtrace.
/// Cargo fails the build on `cargo::error`; exiting normally keeps it from also dumping the
/// script's whole output.
fn report(problems: &[String]) {
    for problem in problems {
        println!("cargo::error={problem}");
    }
}
