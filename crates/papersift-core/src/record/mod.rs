//! Paper records: what goes into an index, and the errors that name where a bad one came from.
//!
//! With the `build` feature, [`read_records`] parses JSON Lines, JSON arrays, CSL-JSON, CSV
//! (including Zotero's export), BibTeX, RIS, arXiv Atom feeds and the Daily Papers page dump
//! (gzipped or not) into [`Record`]s, one validated record or one located error at a time.
//! Each format maps its own names onto the record's fields (CSL's `container-title`, RIS's
//! `T2`, Zotero's `Publication Year`) and then shares one set of checks; the generic formats
//! (JSON, JSON Lines, CSV) use these names directly:
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
//! to one space, except in `url` and `doi`, where whitespace is removed. A record needs a title or an abstract.

use std::fmt;

#[cfg(feature = "build")]
mod atom;
#[cfg(feature = "build")]
mod bibtex;
#[cfg(feature = "build")]
mod csv;
#[cfg(feature = "build")]
mod daily;
#[cfg(feature = "build")]
mod input;
#[cfg(feature = "build")]
pub use input::{GZIP_RATIO_FLOOR, MAX_GZIP_RATIO, MAX_LINE_BYTES, MAX_WHOLE_INPUT_BYTES};
#[cfg(feature = "build")]
mod json;
#[cfg(feature = "build")]
mod ris;
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

/// How many record errors [`RecordErrors`] keeps in full.
pub const MAX_LISTED_ERRORS: usize = 100;

/// How many (source, field) groups [`RecordErrors`] counts the rest in; errors past them are
/// counted together.
pub const MAX_ERROR_GROUPS: usize = 64;

/// Record errors in bounded memory, however many there are: the first [`MAX_LISTED_ERRORS`] in
/// full, the rest counted by source and field, each group with its first error as an example.
/// A million duplicate ids make 100 lines and one summary, not a million lines.
///
/// ```
/// use papersift_core::record::{Location, RecordError, RecordErrors, MAX_LISTED_ERRORS};
/// let mut errors = RecordErrors::default();
/// for line in 1..=1000 {
///     let reason = "duplicate id `a`".to_string();
///     errors.push(RecordError { source: "p.jsonl".into(), location: Location::Line(line), field: Some("id".into()), reason });
/// }
/// assert_eq!((errors.len(), errors.listed().len()), (1000, MAX_LISTED_ERRORS));
/// let lines: Vec<String> = errors.lines().collect();
/// assert_eq!(lines.len(), MAX_LISTED_ERRORS + 1);
/// assert_eq!(lines[MAX_LISTED_ERRORS], "… and 900 more in p.jsonl, field id, the first: p.jsonl:101: id: duplicate id `a`");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordErrors {
    listed: Vec<RecordError>,
    /// Boxed: most builds never list past [`MAX_LISTED_ERRORS`], and build results stay small.
    unlisted: Option<Box<Unlisted>>,
    total: usize,
}

/// The errors past the listed ones: counted by (source, field), each group with its first error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Unlisted {
    groups: Vec<(RecordError, usize)>,
    ungrouped: usize,
}

impl RecordErrors {
    /// Adds one error.
    pub fn push(&mut self, error: RecordError) {
        self.total += 1;
        if self.listed.len() < MAX_LISTED_ERRORS {
            self.listed.push(error);
            return;
        }
        let unlisted = self.unlisted.get_or_insert_with(Box::default);
        let same = |(first, _): &(RecordError, usize)| first.source == error.source && first.field == error.field;
        match unlisted.groups.iter().position(same) {
            Some(group) => unlisted.groups[group].1 += 1,
            None if unlisted.groups.len() < MAX_ERROR_GROUPS => unlisted.groups.push((error, 1)),
            None => unlisted.ungrouped += 1,
        }
    }

    /// How many errors were added.
    pub fn len(&self) -> usize {
        self.total
    }

    /// Whether none was added.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The errors kept in full: the first [`MAX_LISTED_ERRORS`].
    pub fn listed(&self) -> &[RecordError] {
        &self.listed
    }

    /// One line per listed error (`file:line: field: reason`), then one per group of the rest:
    /// every error is in a line.
    pub fn lines(&self) -> impl Iterator<Item = String> + '_ {
        let listed = self.listed.iter().map(ToString::to_string);
        let (groups, ungrouped) = self.unlisted.as_deref().map_or((&[][..], 0), |u| (&u.groups[..], u.ungrouped));
        let groups = groups.iter().map(|(first, count)| {
            let field = first.field.as_deref().map(|f| format!(", field {f}")).unwrap_or_default();
            format!("… and {count} more in {}{field}, the first: {first}", first.source)
        });
        let rest = (ungrouped > 0).then(|| format!("… and {ungrouped} more elsewhere"));
        listed.chain(groups).chain(rest)
    }
}

/// The format of an input file (not to be confused with the index's byte layout in `format`).
#[cfg(feature = "build")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// One JSON object per line.
    Jsonl,
    /// A JSON array of objects.
    Json,
    /// CSL-JSON (Zotero, Mendeley, pandoc): a JSON array, or JSON Lines, of CSL items.
    CslJson,
    /// CSV with a header row, including Zotero's CSV export.
    Csv,
    /// BibTeX `.bib`.
    Bibtex,
    /// RIS (EndNote, Zotero, Web of Science, Scopus): `TY  - ` ... `ER  - ` records.
    Ris,
    /// An Atom feed, as the arXiv API returns.
    Atom,
    /// The Daily Papers page dump (title line, abstract line, blank-line separated).
    DailyPapers,
}

#[cfg(feature = "build")]
impl InputFormat {
    /// The format a command-line `--format` value names: `jsonl`, `json`, `csl-json`, `csv`,
    /// `bibtex` (or `bib`), `ris`, `atom`, `daily-papers`. Case-insensitive.
    ///
    /// ```
    /// use papersift_core::record::InputFormat;
    /// assert_eq!(InputFormat::from_name("BibTeX"), Some(InputFormat::Bibtex));
    /// assert_eq!(InputFormat::from_name("csl-json"), Some(InputFormat::CslJson));
    /// assert_eq!(InputFormat::from_name("yaml"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<InputFormat> {
        match name.trim().to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
            "json" => Some(InputFormat::Json),
            "csl-json" | "csl_json" | "csljson" | "csl" => Some(InputFormat::CslJson),
            "csv" => Some(InputFormat::Csv),
            "bibtex" | "bib" => Some(InputFormat::Bibtex),
            "ris" => Some(InputFormat::Ris),
            "atom" | "xml" | "arxiv" => Some(InputFormat::Atom),
            "daily-papers" | "daily_papers" | "daily" => Some(InputFormat::DailyPapers),
            _ => None,
        }
    }

    /// The names [`InputFormat::from_name`] accepts, for help texts and error messages.
    pub const NAMES: &'static [&'static str] =
        &["jsonl", "json", "csl-json", "csv", "bibtex", "ris", "atom", "daily-papers"];

    /// The format a file name's extension names, `.gz` stripped: `.jsonl`/`.ndjson`, `.json`,
    /// `.csv`, `.bib`/`.bibtex`, `.ris`, `.xml`/`.atom`, `.txt` (the Daily Papers dump).
    /// `.json` and `.jsonl` may still turn out to hold CSL-JSON, which only the content tells.
    ///
    /// ```
    /// use papersift_core::record::InputFormat;
    /// assert_eq!(InputFormat::from_file_name("data/papers.jsonl.gz"), Some(InputFormat::Jsonl));
    /// assert_eq!(InputFormat::from_file_name("export.RIS"), Some(InputFormat::Ris));
    /// assert_eq!(InputFormat::from_file_name("papers"), None);
    /// ```
    pub fn from_file_name(name: &str) -> Option<InputFormat> {
        input::format_from_file_name(name)
    }

    /// Recognizes the format from the first bytes of (uncompressed) content, or `None` when
    /// they match no format: `[` starts a JSON array and `{` JSON Lines (CSL-JSON when CSL's
    /// own keys show, like `"issued"` or `"container-title"`); `@type{` BibTeX; `TY  - ` RIS;
    /// `<?xml` or `<feed` Atom; a first line with commas and a `title` column CSV; and lines
    /// standing alone between blank lines, with at least one abstract-long one, the Daily
    /// Papers dump.
    ///
    /// ```
    /// use papersift_core::record::InputFormat;
    /// assert_eq!(InputFormat::detect(b"id,title\n1,Attention\n"), Some(InputFormat::Csv));
    /// assert_eq!(InputFormat::detect(b"  [{\"title\": \"x\"}]"), Some(InputFormat::Json));
    /// assert_eq!(InputFormat::detect(b"TY  - JOUR\r\nTI  - x\r\nER  - \r\n"), Some(InputFormat::Ris));
    /// assert_eq!(InputFormat::detect(b"Just some notes\nabout papers\n"), None);
    /// ```
    pub fn detect(head: &[u8]) -> Option<InputFormat> {
        input::format_from_content(head)
    }

    /// The canonical name, as [`InputFormat::from_name`] accepts it.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Jsonl => "jsonl",
            InputFormat::Json => "json",
            InputFormat::CslJson => "csl-json",
            InputFormat::Csv => "csv",
            InputFormat::Bibtex => "bibtex",
            InputFormat::Ris => "ris",
            InputFormat::Atom => "atom",
            InputFormat::DailyPapers => "daily-papers",
        }
    }
}

/// A stream of records from one source: each item is a record with where it started, or an error.
#[cfg(feature = "build")]
pub type RecordStream<'a> = Box<dyn Iterator<Item = Result<(Location, Record), RecordError>> + 'a>;

/// Reads records from one source. Gzip input is detected from its bytes; the format from
/// `format`, else from the name (extension, `.gz` stripped; JSON content is checked for
/// CSL-JSON), else from the content. Input that is none of the formats gives one error that
/// names them, rather than a guess.
/// A fatal problem (unreadable bytes, a malformed JSON array or XML) ends the stream after its error.
///
/// JSON Lines, CSV, RIS, Atom and the Daily Papers dump are streamed (memory follows the longest
/// record); JSON arrays and BibTeX are read whole. Locations are 1-based lines where a record starts.
///
/// Memory stays bounded whatever the input: a line may hold [`MAX_LINE_BYTES`] (but in JSON
/// and CSL-JSON), input read whole [`MAX_WHOLE_INPUT_BYTES`], and gzip may inflate [`MAX_GZIP_RATIO`]
/// times; past a limit the stream ends with an error that names the file, the line and the limit.
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
///
/// let notes = read_records("notes", Box::new(&b"TY - not quite RIS\n"[..]), None);
/// let error = notes.map(Result::unwrap_err).next().unwrap();
/// assert!(error.to_string().starts_with("notes:1: cannot tell the format"), "{error}");
/// ```
#[cfg(feature = "build")]
pub fn read_records<'a>(
    source: &str,
    reader: Box<dyn std::io::Read + 'a>,
    format: Option<InputFormat>,
) -> RecordStream<'a> {
    let (reader, gzipped) = match input::decompressed(reader) {
        Ok(opened) => opened,
        Err(error) => {
            let source = input::Source { name: source.to_string(), gzipped: false };
            return Box::new(std::iter::once(Err(source.read_error(Location::Line(1), &error))));
        }
    };
    let source = input::Source { name: source.to_string(), gzipped };
    let (format, reader) = match format {
        Some(format) => (format, reader),
        None => {
            let (head, whole) = match input::peek(Box::new(reader), input::SNIFF_LENGTH) {
                Ok(peeked) => peeked,
                Err(error) => return Box::new(std::iter::once(Err(source.read_error(Location::Line(1), &error)))),
            };
            let reader: Box<dyn std::io::BufRead + 'a> = Box::new(std::io::BufReader::new(whole));
            match input::resolve_format(&source.name, &head) {
                Some(format) => (format, reader),
                None => return Box::new(std::iter::once(Err(input::unknown_format_error(&source)))),
            }
        }
    };
    // A JSON array may be one long line (minified); it is read whole, within its own limit.
    let reader: Box<dyn std::io::BufRead + 'a> = match format {
        InputFormat::Json | InputFormat::CslJson => reader,
        _ => Box::new(std::io::BufReader::new(input::LineLimit::new(reader))),
    };
    match format {
        InputFormat::Jsonl => json::jsonl_records(source, reader, false),
        InputFormat::Json => json::json_array_records(source, reader, false),
        InputFormat::CslJson => json::csl_records(source, reader),
        InputFormat::Csv => csv::csv_records(source, reader),
        InputFormat::Bibtex => bibtex::bibtex_records(source, reader),
        InputFormat::Ris => ris::ris_records(source, reader),
        InputFormat::Atom => atom::atom_records(source, reader),
        InputFormat::DailyPapers => daily::daily_records(source, reader),
    }
}
