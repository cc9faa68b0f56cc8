//! Paper records: what goes into an index, and the errors that name where a bad one came from.
//!
//! TODO(records helper): implement the parsers behind the `build` feature.

use std::fmt;

/// One paper.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Record {
    /// Unique id within an index. Derived from the content when the input has none.
    pub id: String,
    /// Title; may be empty when the abstract is not.
    pub title: String,
    /// Abstract; may be empty when the title is not.
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    /// Authors, in document order.
    pub authors: Vec<String>,
    /// Year of publication.
    pub year: Option<u16>,
    /// Venue (journal, conference, or arXiv category).
    pub venue: Option<String>,
    /// Link to the paper.
    pub url: Option<String>,
    /// DOI, without a resolver prefix.
    pub doi: Option<String>,
    /// arXiv identifier.
    pub arxiv: Option<String>,
}

/// Where in a source a record or an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A 1-based line number.
    Line(usize),
    /// A 1-based record number, for formats where lines mean little (JSON arrays).
    Record(usize),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "{n}"),
            Location::Record(n) => write!(f, "record {n}"),
        }
    }
}

/// A record that cannot be indexed, with the evidence: `file:line: field: reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// The source name (usually the file name).
    pub source: String,
    /// Where in the source.
    pub location: Location,
    /// The offending field, when one is to blame.
    pub field: Option<String>,
    /// What is wrong, and how to fix it.
    pub reason: String,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.source, self.location)?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.reason)
    }
}

impl std::error::Error for RecordError {}

/// Input formats.
#[cfg(feature = "build")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// A JSON array of objects.
    Json,
    /// CSV with a header row.
    Csv,
    /// BibTeX `.bib`.
    Bibtex,
    /// The Daily Papers page dump (title line, abstract line, blank-line separated).
    DailyPapers,
}

/// A stream of records from one source: each item is a record with where it started, or an error.
#[cfg(feature = "build")]
pub type RecordStream<'a> = Box<dyn Iterator<Item = Result<(Location, Record), RecordError>> + 'a>;

/// Reads records from one source. Gzip input is detected from its bytes; the format from
/// `format`, else from the name (extension, `.gz` stripped), else from the content.
/// A fatal problem (unreadable bytes, a malformed JSON array) ends the stream after its error.
#[cfg(feature = "build")]
pub fn read_records<'a>(source: &str, reader: Box<dyn std::io::Read + 'a>, format: Option<Format>) -> RecordStream<'a> {
    let _ = (source, reader, format);
    todo!()
}
