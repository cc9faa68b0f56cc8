//! The one error type of the command: a message for a person, printed as `papersift: <message>`.

use std::fmt;
use std::io::Write;
use std::path::Path;

/// Why a command failed.
#[derive(Debug)]
pub struct Error {
    /// Lines printed before the summary message, each on its own line (e.g. every bad record).
    details: Vec<String>,
    message: String,
}

impl Error {
    /// An error with only a message.
    pub fn new(message: impl Into<String>) -> Self {
        Error { details: Vec::new(), message: message.into() }
    }

    /// An error listing evidence lines first, then the message.
    pub fn with_details(details: Vec<String>, message: impl Into<String>) -> Self {
        Error { details, message: message.into() }
    }

    /// A failed file operation, naming the file.
    pub fn io(action: &str, path: &Path, error: std::io::Error) -> Self {
        Error::new(format!("cannot {action} {}: {}", path.display(), describe(&error)))
    }

    /// Prints the details and `papersift: <message>` to stderr.
    pub fn report(&self) {
        let mut stderr = std::io::stderr().lock();
        for line in &self.details {
            let _ = writeln!(stderr, "{line}");
        }
        let _ = writeln!(stderr, "papersift: {}", self.message);
    }
}

/// An I/O error in words, without the `(os error N)` that `io::Error` appends: the number is
/// the platform's (a missing file is 2 on Linux, 44 under WASI) and tells a person nothing the
/// words do not, while the words are the same wherever the command runs.
fn describe(error: &std::io::Error) -> String {
    let text = error.to_string();
    match error.raw_os_error() {
        Some(code) => text.strip_suffix(&format!(" (os error {code})")).unwrap_or(&text).to_string(),
        None => text,
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
