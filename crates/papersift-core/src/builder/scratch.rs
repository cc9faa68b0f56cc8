//! Scratch space: where a build keeps what it does not hold in memory (sorted runs of postings,
//! the stored fields, the finished pieces). The library takes scratch files from a
//! [`ScratchSpace`] the caller gives it: the CLI's is a folder on disk, the default keeps them
//! in memory (small corpora, and targets without files).

use std::io::{self, Read, Seek, SeekFrom, Write};

/// A scratch file: written once from the start, then read back, sequentially or by range.
pub trait ScratchFile: Read + Write + Seek + Send {}

impl<T: Read + Write + Seek + Send> ScratchFile for T {}

/// Makes scratch files for a build.
pub trait ScratchSpace: Send + Sync {
    /// A new, empty scratch file, deleted when dropped.
    fn create(&self) -> io::Result<Box<dyn ScratchFile>>;
}

/// Scratch files kept in memory. A build then holds its runs and pieces in memory, compactly;
/// memory stays bounded only with scratch on disk.
#[derive(Debug, Clone, Copy, Default)]
pub struct InMemory;

impl ScratchSpace for InMemory {
    fn create(&self) -> io::Result<Box<dyn ScratchFile>> {
        Ok(Box::new(io::Cursor::new(Vec::new())))
    }
}

/// Scratch bytes that do not read back as they were written: the scratch space lost them.
pub(crate) fn corrupt(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("build scratch file is damaged: {what}"))
}

/// Reads a LEB128 varint; `None` at a clean end of the file.
pub(crate) fn read_varint(reader: &mut impl Read) -> io::Result<Option<u64>> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let mut byte = [0u8];
        if reader.read(&mut byte)? == 0 {
            return if shift == 0 { Ok(None) } else { Err(corrupt("a number is cut short")) };
        }
        value |= u64::from(byte[0] & 0x7f) << shift;
        if byte[0] < 0x80 {
            return Ok(Some(value));
        }
    }
    Err(corrupt("a number is too long"))
}

/// Reads a varint that must be there.
pub(crate) fn read_number(reader: &mut impl Read) -> io::Result<u64> {
    read_varint(reader)?.ok_or_else(|| corrupt("a record is cut short"))
}

/// Reads `varint length` and that many bytes into `out`.
pub(crate) fn read_bytes(reader: &mut impl Read, out: &mut Vec<u8>) -> io::Result<()> {
    let len = usize::try_from(read_number(reader)?).map_err(|_| corrupt("a length is too large"))?;
    out.clear();
    out.resize(len, 0);
    reader.read_exact(out)
}

/// Reads a length-prefixed string.
pub(crate) fn read_string(reader: &mut impl Read) -> io::Result<String> {
    let mut bytes = Vec::new();
    read_bytes(reader, &mut bytes)?;
    String::from_utf8(bytes).map_err(|_| corrupt("a term is not UTF-8"))
}

/// Flushes a buffered scratch file and rewinds it for reading.
pub(crate) fn rewind(writer: io::BufWriter<Box<dyn ScratchFile>>) -> io::Result<Box<dyn ScratchFile>> {
    let mut file = writer.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.seek(SeekFrom::Start(0))?;
    Ok(file)
}
