//! Where an index lives on disk, and loading one with errors that name the file.

use std::path::{Path, PathBuf};

use papersift_core::Index;

use crate::error::Error;

/// The index's file name inside a build's output directory.
pub const FILE_NAME: &str = "papersift.idx";

/// Loads the index at `path`: the index file itself, or the directory holding [`FILE_NAME`].
pub fn load(path: &Path) -> Result<Index, Error> {
    let file = resolve(path);
    let bytes = std::fs::read(&file).map_err(|e| Error::io("read index", &file, e))?;
    Index::from_bytes(bytes).map_err(|e| Error::new(format!("{}: {e}", file.display())))
}

fn resolve(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(FILE_NAME)
    } else {
        path.to_path_buf()
    }
}
