//! Reading the command's input files, where `-` means standard input.

use std::io::Read;
use std::path::Path;

use crate::error::Error;

/// Whether `path` names standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The whole content of `path`, or of standard input for `-`.
pub fn read_all(path: &Path) -> Result<Vec<u8>, Error> {
    if is_stdin(path) {
        let mut bytes = Vec::new();
        std::io::stdin().lock().read_to_end(&mut bytes).map_err(|e| Error::io("read", path, e))?;
        Ok(bytes)
    } else {
        std::fs::read(path).map_err(|e| Error::io("read", path, e))
    }
}

/// How a file is named in messages: `<stdin>` for `-`, else its path.
pub fn display_name(path: &Path) -> String {
    if is_stdin(path) {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}
