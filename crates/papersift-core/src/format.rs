//! The byte layout of an index: magic, version, section table, checksum.

use std::fmt;

/// Why bytes could not be loaded as an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The bytes do not start with the papersift magic.
    Magic {
        /// The first bytes found.
        got: Vec<u8>,
    },
    /// The index was written by another format version.
    Version {
        /// The version this build reads.
        expected: u32,
        /// The version found.
        got: u32,
    },
    /// The bytes end before the header or a section does.
    Truncated {
        /// Bytes needed.
        needed: u64,
        /// Bytes present.
        got: u64,
    },
    /// The checksum does not match the content.
    Checksum {
        /// Stored checksum.
        expected: u64,
        /// Computed checksum.
        got: u64,
    },
    /// A section is missing or malformed.
    Section {
        /// Section name.
        name: &'static str,
        /// What is wrong.
        reason: String,
    },
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Magic { got } => write!(
                f,
                "not a papersift index (starts with {got:02x?}); build one with `papersift build`"
            ),
            FormatError::Version { expected, got } => write!(
                f,
                "index format version {got} is not supported (this build reads version {expected}); rebuild the index with this version of papersift"
            ),
            FormatError::Truncated { needed, got } => write!(
                f,
                "index is truncated: needs {needed} bytes, has {got}; the file was cut short, rebuild or copy it again"
            ),
            FormatError::Checksum { expected, got } => write!(
                f,
                "index is corrupted: checksum {got:016x} does not match the stored {expected:016x}; rebuild or copy it again"
            ),
            FormatError::Section { name, reason } => {
                write!(f, "index section `{name}` is corrupted: {reason}; rebuild the index")
            }
        }
    }
}

impl std::error::Error for FormatError {}
