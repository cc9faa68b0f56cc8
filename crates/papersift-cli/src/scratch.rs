//! The build's scratch space on disk: a folder beside the index for postings runs, stored fields
//! and finished pieces, so that a build's memory does not grow with the corpus. Each file is
//! deleted when the build drops it, and the folder when the build ends.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use papersift_core::builder::scratch::{ScratchFile, ScratchSpace};

/// A folder of scratch files, removed with everything in it when dropped.
pub struct ScratchDir {
    path: PathBuf,
    next: AtomicU64,
}

impl ScratchDir {
    /// Creates the folder (it must not exist yet: concurrent builds each have their own).
    pub fn create(path: PathBuf) -> io::Result<ScratchDir> {
        std::fs::create_dir(&path)?;
        Ok(ScratchDir { path, next: AtomicU64::new(0) })
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

impl ScratchSpace for ScratchDir {
    fn create(&self) -> io::Result<Box<dyn ScratchFile>> {
        let number = self.next.fetch_add(1, Ordering::Relaxed);
        let path = self.path.join(format!("{number:06}.tmp"));
        let file = OpenOptions::new().read(true).write(true).create_new(true).open(&path)?;
        Ok(Box::new(TempFile { file, path }))
    }
}

/// A scratch file, deleted when dropped.
struct TempFile {
    file: File,
    path: PathBuf,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

impl Read for TempFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.file.read(buf)
    }
}

impl Write for TempFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Seek for TempFile {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.file.seek(pos)
    }
}
