//! Where an index lives on disk, and loading one with errors that name the file: a single file,
//! or a sharded root (`papersift.idx`) whose pieces sit beside it in `papersift/<name>.bin`.

use std::path::{Path, PathBuf};

use papersift_core::{Index, SearchOptions};

use crate::error::Error;

/// The index's file name inside a build's output directory.
pub const FILE_NAME: &str = "papersift.idx";

/// The folder of a sharded index's pieces, beside its root.
pub const PIECES_DIR: &str = "papersift";

/// An index opened from disk. A sharded one holds its root and loads pieces from
/// `pieces_dir` as queries need them, as the browser does.
pub struct OnDisk {
    /// The index.
    pub index: Index,
    /// The root or single file it was opened from.
    pub file: PathBuf,
    /// Where the pieces of a sharded index are.
    pieces_dir: PathBuf,
}

/// One piece loaded from disk, for `--explain-pieces`.
#[derive(Debug, Clone)]
pub struct LoadedPiece {
    /// The piece's name.
    pub name: String,
    /// Its size in bytes.
    pub bytes: usize,
    /// The round of loading it came in (1 = first).
    pub round: usize,
}

/// Opens the index at `path` (the index file itself, or the directory holding [`FILE_NAME`])
/// without loading a sharded index's pieces.
pub fn open(path: &Path) -> Result<OnDisk, Error> {
    let file = resolve(path);
    let bytes = std::fs::read(&file).map_err(|e| Error::io("read index", &file, e))?;
    let index = Index::from_bytes(bytes).map_err(|e| Error::new(format!("{}: {e}", file.display())))?;
    // `site/papersift.idx` keeps its pieces in `site/papersift/`.
    let pieces_dir = file.with_extension("");
    Ok(OnDisk { index, file, pieces_dir })
}

/// Loads the index at `path` whole: a sharded index with every piece.
pub fn load(path: &Path) -> Result<Index, Error> {
    let mut on_disk = open(path)?;
    on_disk.load_all()?;
    Ok(on_disk.index)
}

impl OnDisk {
    /// The file of piece `name`.
    pub fn piece_path(&self, name: &str) -> PathBuf {
        self.pieces_dir.join(format!("{name}.bin"))
    }

    fn add(&mut self, name: &str) -> Result<usize, Error> {
        let path = self.piece_path(name);
        let bytes = std::fs::read(&path).map_err(|e| Error::io("read index piece", &path, e))?;
        let len = bytes.len();
        self.index.add_piece(name, bytes).map_err(|e| Error::new(format!("{}: {e}", path.display())))?;
        Ok(len)
    }

    /// Loads every piece `query` needs, round after round, and returns them in loading order.
    pub fn load_for(&mut self, query: &str, options: &SearchOptions) -> Result<Vec<LoadedPiece>, Error> {
        let mut loaded = Vec::new();
        for round in 1.. {
            let needs = self.index.needs(query, options);
            if needs.is_empty() {
                break;
            }
            for name in needs {
                let bytes = self.add(&name)?;
                loaded.push(LoadedPiece { name, bytes, round });
            }
        }
        Ok(loaded)
    }

    /// Loads every piece not loaded yet.
    pub fn load_all(&mut self) -> Result<(), Error> {
        for name in self.index.piece_names() {
            if papersift_core::format::PieceId::parse(&name).is_some_and(|id| !self.index.is_loaded(id)) {
                self.add(&name)?;
            }
        }
        Ok(())
    }
}

fn resolve(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(FILE_NAME)
    } else {
        path.to_path_buf()
    }
}
