//! Paper records: what goes into an index, and the errors that name where a bad one came from.
//!
//! With the `build` feature, [`read_records`] parses JSON Lines, JSON arrays, CSV, BibTeX and
//! the Daily Papers page dump (gzipped or not) into [`Record`]s, one validated record or one
//! located error at a time. All formats share one set of field names, aliases and checks:
//!
//! | field | accepted names | accepted values |
//! |---|---|---|
//! | `id` | `id` (BibTeX: the entry key) | string or integer; derived from the content when absent |
//! | `title` | `title` | string |
//! | `abstract` | `abstract`, `summary` | string |
//! | `authors` | `authors`, `author` | array of strings, or one string split on `;` or ` and ` |
//! | `year` | `year` | integer, or a string holding one, 1000..=2999 |
//! | `venue` | `venue`, `journal`, `booktitle`, `publisher` | string |
//! | `url` | `url`, `link` | string; derived from `doi`, else `arxiv`, when absent |
//! | `doi` | `doi` | string; a resolver prefix (`https://doi.org/`) is stripped |
//! | `arxiv` | `arxiv`, `arxiv_id`, `eprint` | string; an `arXiv:` prefix is stripped |
//!
//! Names match case-insensitively; when several name one field, the one listed first wins.
//! Other fields are ignored. `null` and empty values count as absent. Whitespace runs collapse
//! to one space. A record needs a title or an abstract.

use std::fmt;

#[cfg(feature = "build")]
mod bibtex;
#[cfg(feature = "build")]
mod csv;
#[cfg(feature = "build")]
mod daily;
#[cfg(feature = "build")]
mod input;
#[cfg(feature = "build")]
mod json;
#[cfg(feature = "build")]
mod validate;

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

#[cfg(feature = "build")]
impl Format {
    /// The format a command-line `--format` value names: `jsonl`, `json`, `csv`, `bibtex`
    /// (or `bib`), `daily-papers`. Case-insensitive.
    ///
    /// ```
    /// use papersift_core::record::Format;
    /// assert_eq!(Format::from_name("BibTeX"), Some(Format::Bibtex));
    /// assert_eq!(Format::from_name("yaml"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "bibtex" | "bib" => Some(Format::Bibtex),
            "daily-papers" | "daily_papers" | "daily" => Some(Format::DailyPapers),
            _ => None,
        }
    }

    /// The names [`Format::from_name`] accepts, for help texts and error messages.
    pub const NAMES: &'static [&'static str] = &["jsonl", "json", "csv", "bibtex", "daily-papers"];

    /// The format a file name's extension names, `.gz` stripped: `.jsonl`/`.ndjson`, `.json`,
    /// `.csv`, `.bib`/`.bibtex`, `.txt` (the Daily Papers dump).
    ///
    /// ```
    /// use papersift_core::record::Format;
    /// assert_eq!(Format::from_file_name("data/papers.jsonl.gz"), Some(Format::Jsonl));
    /// assert_eq!(Format::from_file_name("papers"), None);
    /// ```
    pub fn from_file_name(name: &str) -> Option<Format> {
        input::format_from_file_name(name)
    }

    /// Guesses the format from the first bytes of (uncompressed) content: `[` starts a JSON
    /// array, `{` JSON Lines, `@` BibTeX; a first line with commas and a `title` column is CSV;
    /// anything else is read as a Daily Papers dump.
    ///
    /// ```
    /// use papersift_core::record::Format;
    /// assert_eq!(Format::detect(b"id,title\n1,Attention\n"), Format::Csv);
    /// assert_eq!(Format::detect(b"  [{\"title\": \"x\"}]"), Format::Json);
    /// ```
    pub fn detect(head: &[u8]) -> Format {
        input::format_from_content(head)
    }
}

/// A stream of records from one source: each item is a record with where it started, or an error.
#[cfg(feature = "build")]
pub type RecordStream<'a> = Box<dyn Iterator<Item = Result<(Location, Record), RecordError>> + 'a>;

/// Reads records from one source. Gzip input is detected from its bytes; the format from
/// `format`, else from the name (extension, `.gz` stripped), else from the content.
/// A fatal problem (unreadable bytes, a malformed JSON array) ends the stream after its error.
///
/// JSON Lines, CSV and the Daily Papers dump are streamed (memory follows the longest record);
/// JSON arrays and BibTeX are read whole. Locations are 1-based lines where a record starts.
///
/// ```
/// use papersift_core::record::{read_records, Location};
/// let input = "{\"id\": 1, \"title\": \"Attention Is All You Need\", \"year\": 2017}\n{\"title\": 5}\n";
/// let mut records = read_records("papers.jsonl", Box::new(input.as_bytes()), None);
/// let (location, record) = records.next().unwrap().unwrap();
/// assert_eq!((location, record.id.as_str(), record.year), (Location::Line(1), "1", Some(2017)));
/// let error = records.next().unwrap().unwrap_err();
/// assert_eq!(error.to_string(), "papers.jsonl:2: title: found a number (5); expected a string");
/// assert!(records.next().is_none());
/// ```
#[cfg(feature = "build")]
pub fn read_records<'a>(source: &str, reader: Box<dyn std::io::Read + 'a>, format: Option<Format>) -> RecordStream<'a> {
    let (reader, gzipped) = match input::decompressed(reader) {
        Ok(opened) => opened,
        Err(error) => {
            let source = input::Source {
                name: source.to_string(),
                gzipped: false,
            };
            return Box::new(std::iter::once(Err(source.read_error(Location::Line(1), &error))));
        }
    };
    let source = input::Source {
        name: source.to_string(),
        gzipped,
    };
    let (format, reader) = match format.or_else(|| Format::from_file_name(&source.name)) {
        Some(format) => (format, reader),
        None => match input::peek(Box::new(reader), input::SNIFF_LENGTH) {
            Ok((head, whole)) => {
                let reader: Box<dyn std::io::BufRead + 'a> = Box::new(std::io::BufReader::new(whole));
                (Format::detect(&head), reader)
            }
            Err(error) => return Box::new(std::iter::once(Err(source.read_error(Location::Line(1), &error)))),
        },
    };
    match format {
        Format::Jsonl => json::jsonl_records(source, reader),
        Format::Json => json::json_array_records(source, reader),
        Format::Csv => csv::csv_records(source, reader),
        Format::Bibtex => bibtex::bibtex_records(source, reader),
        Format::DailyPapers => daily::daily_records(source, reader),
    }
}
