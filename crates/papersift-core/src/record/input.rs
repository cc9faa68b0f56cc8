//! Bytes in: gzip detection, format sniffing, and a line reader that reports bad UTF-8 per line.
//!
//! # Limits
//!
//! Whatever the input, reading it holds bounded memory and ends: a line (so a JSON Lines record,
//! a CSV row without quoted line breaks) holds at most [`MAX_LINE_BYTES`]; a format read whole
//! (a JSON array, BibTeX) at most [`MAX_WHOLE_INPUT_BYTES`]; gzip input may inflate to at most
//! [`MAX_GZIP_RATIO`] times the compressed bytes read so far (past [`GZIP_RATIO_FLOOR`]). Past a
//! limit, reading stops with an error naming the file, the line and the limit
//! ([`InputLimit`]). JSON nesting is bounded by `serde_json`'s recursion limit (128 levels).

use std::cell::Cell;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;

use super::{InputFormat, Location, RecordError};
use crate::record::validate::FieldError;

/// Big enough that sniffing sees a whole CSV header, small enough not to matter.
const BUFFER_SIZE: usize = 64 * 1024;

/// The longest line of an input, in bytes (every format but JSON and CSL-JSON, whose arrays may be
/// minified onto one line): no paper's record comes near it, and it bounds what one line can make
/// a parser hold.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The largest input of a format that is read whole (JSON arrays, BibTeX), in bytes.
pub const MAX_WHOLE_INPUT_BYTES: usize = 256 << 20;

/// How many times its compressed size gzip input may inflate to. Text compresses 3 to 10 times;
/// a gzip bomb, a thousand.
pub const MAX_GZIP_RATIO: u64 = 100;

/// The decompressed bytes below which the ratio is not checked, so small files of repetitive
/// text are never refused.
pub const GZIP_RATIO_FLOOR: u64 = 64 << 20;

/// A limit an input passed, carried inside the `io::Error` that stops the reading, so the error
/// can say which limit and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum InputLimit {
    /// Line `line` is longer than [`MAX_LINE_BYTES`].
    LongLine { line: usize },
    /// The input, read whole, is larger than [`MAX_WHOLE_INPUT_BYTES`].
    LargeInput,
    /// Gzip data inflated past [`MAX_GZIP_RATIO`] times its compressed size.
    GzipBomb { compressed: u64, inflated: u64 },
}

impl fmt::Display for InputLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputLimit::LongLine { .. } => write!(
                f,
                "line is longer than {} MiB, the most one line may hold; reading stopped here. Is this a records file? Put one record per line",
                MAX_LINE_BYTES >> 20
            ),
            InputLimit::LargeInput => write!(
                f,
                "input is larger than {} MiB, the most a JSON array or BibTeX file may hold (these are read whole); convert it to JSON Lines, which is streamed, or split it",
                MAX_WHOLE_INPUT_BYTES >> 20
            ),
            InputLimit::GzipBomb { compressed, inflated } => write!(
                f,
                "gzip data inflates more than {MAX_GZIP_RATIO} times ({compressed} compressed bytes gave {inflated}); reading stopped here. If the file is genuine, decompress it first"
            ),
        }
    }
}

impl std::error::Error for InputLimit {}

impl InputLimit {
    fn into_io(self) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, self)
    }

    /// The limit inside a read error, if that is what stopped the reading.
    fn of(error: &io::Error) -> Option<&InputLimit> {
        error.get_ref().and_then(|inner| inner.downcast_ref::<InputLimit>())
    }
}

/// Fails a read once a line passes [`MAX_LINE_BYTES`], so no parser downstream buffers more.
pub(crate) struct LineLimit<R> {
    inner: R,
    line: usize,
    line_bytes: usize,
}

impl<R: Read> LineLimit<R> {
    pub fn new(inner: R) -> Self {
        LineLimit { inner, line: 1, line_bytes: 0 }
    }
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.line_bytes > MAX_LINE_BYTES {
            return Err(InputLimit::LongLine { line: self.line }.into_io());
        }
        let read = self.inner.read(buf)?;
        for chunk in buf[..read].split_inclusive(|&b| b == b'\n') {
            self.line_bytes += chunk.len();
            if self.line_bytes > MAX_LINE_BYTES {
                return Err(InputLimit::LongLine { line: self.line }.into_io());
            }
            if chunk.ends_with(b"\n") {
                self.line += 1;
                self.line_bytes = 0;
            }
        }
        Ok(read)
    }
}

/// Counts the compressed bytes a gzip decoder takes in.
struct Counted<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.count.set(self.count.get() + read as u64);
        Ok(read)
    }
}

/// Fails a read once the decompressed output passes [`MAX_GZIP_RATIO`] times the input.
struct Inflation<R> {
    inner: R,
    compressed: Rc<Cell<u64>>,
    inflated: u64,
}

impl<R: Read> Read for Inflation<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.inflated += read as u64;
        let compressed = self.compressed.get();
        if self.inflated > GZIP_RATIO_FLOOR && self.inflated > compressed.saturating_mul(MAX_GZIP_RATIO) {
            return Err(InputLimit::GzipBomb { compressed, inflated: self.inflated }.into_io());
        }
        Ok(read)
    }
}

/// The source a parser reads, for errors that name it.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub name: String,
    pub gzipped: bool,
}

impl Source {
    pub fn error(&self, location: Location, field: Option<&str>, reason: impl Into<String>) -> RecordError {
        RecordError { source: self.name.clone(), location, field: field.map(str::to_string), reason: reason.into() }
    }

    pub fn field_error(&self, location: Location, error: FieldError) -> RecordError {
        let field = Some(error.field.as_str()).filter(|field| !field.is_empty());
        self.error(location, field, error.reason)
    }

    /// A read failure, which ends the stream.
    pub fn read_error(&self, location: Location, error: &io::Error) -> RecordError {
        if let Some(limit) = InputLimit::of(error) {
            let location = match limit {
                InputLimit::LongLine { line } => Location::Line(*line),
                _ => location,
            };
            return self.error(location, None, limit.to_string());
        }
        if self.gzipped {
            self.error(
                location,
                None,
                format!("the gzip data is corrupt or truncated ({error}); recompress the file or read the uncompressed original"),
            )
        } else {
            self.error(
                location,
                None,
                format!("cannot read the input ({error}); check that the file is readable and complete"),
            )
        }
    }

    pub fn utf8_error(&self, line: usize) -> RecordError {
        self.error(
            Location::Line(line),
            None,
            "line is not valid UTF-8; re-save the file as UTF-8 (the line was skipped)",
        )
    }
}

/// Wraps `reader` in a gzip decoder when its first bytes are the gzip magic `1f 8b`.
pub(crate) fn decompressed<'a>(reader: Box<dyn Read + 'a>) -> io::Result<(Box<dyn BufRead + 'a>, bool)> {
    let (magic, whole) = peek(reader, 2)?;
    if magic == [0x1f, 0x8b] {
        let compressed = Rc::new(Cell::new(0));
        let decoder = flate2::read::MultiGzDecoder::new(Counted { inner: whole, count: compressed.clone() });
        let bounded = Inflation { inner: decoder, compressed, inflated: 0 };
        Ok((Box::new(BufReader::with_capacity(BUFFER_SIZE, bounded)), true))
    } else {
        Ok((Box::new(BufReader::with_capacity(BUFFER_SIZE, whole)), false))
    }
}

/// Up to `length` bytes from the start of `reader` (fewer only at its end), and a reader that
/// still yields everything. A single `read` may return less than asked, so this loops.
pub(crate) fn peek<'a>(mut reader: Box<dyn Read + 'a>, length: usize) -> io::Result<(Vec<u8>, Box<dyn Read + 'a>)> {
    let mut head = Vec::with_capacity(length);
    (&mut reader).take(length as u64).read_to_end(&mut head)?;
    let whole = io::Cursor::new(head.clone()).chain(reader);
    Ok((head, Box::new(whole)))
}

/// How much of the content [`format_from_content`] sees: enough for any CSV header.
pub(crate) const SNIFF_LENGTH: usize = 16 * 1024;

/// The format named by a file name's extension, `.gz` stripped; `None` when it names none.
pub(crate) fn format_from_file_name(name: &str) -> Option<InputFormat> {
    let name = name.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let (_, extension) = name.rsplit_once('.')?;
    match extension {
        "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
        "json" => Some(InputFormat::Json),
        "csv" => Some(InputFormat::Csv),
        "bib" | "bibtex" => Some(InputFormat::Bibtex),
        "ris" => Some(InputFormat::Ris),
        "xml" | "atom" => Some(InputFormat::Atom),
        "txt" => Some(InputFormat::DailyPapers),
        _ => None,
    }
}

/// The format of a source without an explicit one: its extension, else its content. Both
/// `.json` and `.jsonl` are checked for CSL-JSON, which shares their extension.
pub(crate) fn resolve_format(name: &str, head: &[u8]) -> Option<InputFormat> {
    match format_from_file_name(name) {
        Some(InputFormat::Json | InputFormat::Jsonl) if looks_like_csl(head) => Some(InputFormat::CslJson),
        Some(format) => Some(format),
        None => format_from_content(head),
    }
}

/// The error for input whose name and content match no format.
pub(crate) fn unknown_format_error(source: &Source) -> RecordError {
    source.error(
        Location::Line(1),
        None,
        format!(
            "cannot tell the format: the name has no known extension (.jsonl .json .csv .bib .ris .xml .txt) and the content matches none of {}; rename the file or pass the format (--format)",
            InputFormat::NAMES.join(", ")
        ),
    )
}

/// Recognizes the format from the first bytes of the content.
pub(crate) fn format_from_content(head: &[u8]) -> Option<InputFormat> {
    let head = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
    let rest = &head[start..];
    match rest.first() {
        Some(b'[') if looks_like_csl(rest) => Some(InputFormat::CslJson),
        Some(b'[') => Some(InputFormat::Json),
        Some(b'{') if looks_like_csl(rest) => Some(InputFormat::CslJson),
        Some(b'{') => Some(InputFormat::Jsonl),
        Some(b'<') if rest.starts_with(b"<?xml") || rest.starts_with(b"<feed") => Some(InputFormat::Atom),
        _ => {
            let first_line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
            let is_csv_header = first_line.contains(&b',')
                && String::from_utf8_lossy(first_line)
                    .split(',')
                    .any(|column| column.trim().trim_matches('"').eq_ignore_ascii_case("title"));
            if is_csv_header {
                Some(InputFormat::Csv)
            } else if rest.split(|&b| b == b'\n').any(|line| super::ris::is_tag_line(line, b"TY")) {
                Some(InputFormat::Ris)
            } else if looks_like_bibtex(rest) {
                Some(InputFormat::Bibtex)
            } else if looks_like_daily_dump(rest) {
                Some(InputFormat::DailyPapers)
            } else {
                None
            }
        }
    }
}

/// CSL-JSON names its fields its own way; any of these keys marks a CSL item. Inside a JSON
/// string a quote is escaped, so text that merely mentions `"issued"` does not match.
fn looks_like_csl(head: &[u8]) -> bool {
    const KEYS: &[&[u8]] = &[b"\"issued\"", b"\"container-title\"", b"\"family\"", b"\"date-parts\""];
    KEYS.iter().any(|key| head.windows(key.len()).any(|window| window == *key))
}

/// A `.bib` file often opens with comment lines before its first `@type{`.
fn looks_like_bibtex(head: &[u8]) -> bool {
    head.split(|&b| b == b'\n').any(super::bibtex::starts_entry)
}

/// The dump's shape: after its page chrome, every non-blank line stands alone between blank
/// lines (a title or an abstract), and at least one is longer than any title can be. A text
/// file of notes, or any line-based format (RIS, a tab-separated table), has lines that touch.
fn looks_like_daily_dump(head: &[u8]) -> bool {
    let lines: Vec<&[u8]> = head.split(|&b| b == b'\n').collect();
    // The last line of a sniffed head may be cut short, so it decides nothing.
    let whole = &lines[..lines.len().saturating_sub(1).max(1)];
    let mut previous_blank = true;
    let mut has_abstract = false;
    for line in whole {
        let text = String::from_utf8_lossy(line);
        let text = text.trim();
        if text.is_empty() {
            previous_blank = true;
            continue;
        }
        if !previous_blank {
            return false;
        }
        previous_blank = false;
        has_abstract |= text.chars().count() > super::daily::LONGEST_TITLE;
    }
    has_abstract
}

/// One line of a line-oriented source.
pub(crate) enum Line<'b> {
    /// The text, without its line ending (and without a byte-order mark on line 1).
    Text(usize, &'b str),
    /// A line that is not UTF-8.
    NotUtf8(usize),
}

/// Reads lines one at a time into one reused buffer, so memory follows the longest line.
pub(crate) struct LineReader<'a> {
    reader: Box<dyn BufRead + 'a>,
    buffer: Vec<u8>,
    line: usize,
}

impl<'a> LineReader<'a> {
    pub fn new(reader: Box<dyn BufRead + 'a>) -> Self {
        LineReader { reader, buffer: Vec::new(), line: 0 }
    }

    /// The 1-based number of the line last returned (0 before the first).
    pub fn line(&self) -> usize {
        self.line
    }

    /// The next line, `None` at the end, or the read error that ends the input.
    pub fn next_line(&mut self) -> Option<io::Result<Line<'_>>> {
        self.buffer.clear();
        match self.reader.read_until(b'\n', &mut self.buffer) {
            Ok(0) => return None,
            Ok(_) => {}
            Err(error) => return Some(Err(error)),
        }
        self.line += 1;
        let mut bytes = &self.buffer[..];
        bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        if self.line == 1 {
            bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        }
        Some(Ok(match std::str::from_utf8(bytes) {
            Ok(text) => Line::Text(self.line, text),
            Err(_) => Line::NotUtf8(self.line),
        }))
    }
}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    1 + text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count()
}

/// Reads a whole source as UTF-8 text, for formats that are not line-oriented; at most
/// [`MAX_WHOLE_INPUT_BYTES`].
pub(crate) fn read_to_string(source: &Source, reader: Box<dyn BufRead + '_>) -> Result<String, RecordError> {
    let mut bytes = Vec::new();
    let read = reader.take(MAX_WHOLE_INPUT_BYTES as u64 + 1).read_to_end(&mut bytes);
    let read = read.and_then(|length| match length > MAX_WHOLE_INPUT_BYTES {
        true => Err(InputLimit::LargeInput.into_io()),
        false => Ok(length),
    });
    if let Err(error) = read {
        return Err(source.read_error(Location::Line(1 + bytes.iter().filter(|&&b| b == b'\n').count()), &error));
    }
    let bytes = match bytes.strip_prefix("\u{feff}".as_bytes()) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let line = 1 + error.as_bytes()[..valid].iter().filter(|&&b| b == b'\n').count();
        source.error(Location::Line(line), None, "line is not valid UTF-8; re-save the file as UTF-8")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_name_formats() {
        assert_eq!(format_from_file_name("a/papers.JSONL.gz"), Some(InputFormat::Jsonl));
        assert_eq!(format_from_file_name("x.ndjson"), Some(InputFormat::Jsonl));
        assert_eq!(format_from_file_name("x.json"), Some(InputFormat::Json));
        assert_eq!(format_from_file_name("x.bibtex"), Some(InputFormat::Bibtex));
        assert_eq!(format_from_file_name("x.ris"), Some(InputFormat::Ris));
        assert_eq!(format_from_file_name("query.atom"), Some(InputFormat::Atom));
        assert_eq!(format_from_file_name("export.xml.gz"), Some(InputFormat::Atom));
        assert_eq!(format_from_file_name("daily_papers.txt"), Some(InputFormat::DailyPapers));
        assert_eq!(format_from_file_name("papers"), None);
        assert_eq!(format_from_file_name("papers.gz"), None);
    }

    #[test]
    fn content_names_formats() {
        assert_eq!(format_from_content(b"\n  [{\"title\": 1}]"), Some(InputFormat::Json));
        assert_eq!(format_from_content(b"{\"title\": 1}\n"), Some(InputFormat::Jsonl));
        assert_eq!(
            format_from_content(b"[{\"title\": \"T\", \"issued\": {\"date-parts\": [[2020]]}}]"),
            Some(InputFormat::CslJson)
        );
        assert_eq!(
            format_from_content(b"{\"title\": \"T\", \"author\": [{\"family\": \"F\"}]}\n"),
            Some(InputFormat::CslJson)
        );
        assert_eq!(
            format_from_content(b"{\"title\": \"Why \\\"issued\\\" matters\"}\n"),
            Some(InputFormat::Jsonl),
            "a quoted word in a value is not a CSL key"
        );
        assert_eq!(format_from_content(b"% comment\n@article{x,}"), Some(InputFormat::Bibtex));
        assert_eq!(format_from_content(b"@article{x,}"), Some(InputFormat::Bibtex));
        assert_eq!(format_from_content(b"id,\"Title\",year\n1,a,2020\n"), Some(InputFormat::Csv));
        assert_eq!(format_from_content(b"\xef\xbb\xbfTY  - JOUR\r\nER  - \r\n"), Some(InputFormat::Ris));
        assert_eq!(format_from_content(b"<?xml version=\"1.0\"?>\n<feed>"), Some(InputFormat::Atom));
        assert_eq!(format_from_content(b"<feed xmlns=\"http://www.w3.org/2005/Atom\">"), Some(InputFormat::Atom));
        let abstract_line = "An abstract sentence. ".repeat(20);
        let dump = format!("Daily Papers\n\nA title, with a comma\n\n{abstract_line}\n\nNext title\n");
        assert_eq!(format_from_content(dump.as_bytes()), Some(InputFormat::DailyPapers));
        assert_eq!(format_from_content(b"A title, with a comma\n\nAn abstract."), None, "no abstract-long line");
        let touching = format!("A title\n{abstract_line}\n\n");
        assert_eq!(format_from_content(touching.as_bytes()), None, "lines that touch are no dump");
        assert_eq!(format_from_content(b"TY - JOUR\nTI - one space is not RIS\n"), None);
        assert_eq!(format_from_content(b""), None);
        assert_eq!(
            format_from_content(b"Provider: Elsevier\r\nDatabase: ScienceDirect\r\n\r\nTY  - JOUR\r\n"),
            Some(InputFormat::Ris),
            "an export header before the first record"
        );
    }

    #[test]
    fn json_names_are_checked_for_csl() {
        assert_eq!(resolve_format("zotero.json", b"[{\"issued\": {}}]"), Some(InputFormat::CslJson));
        assert_eq!(resolve_format("papers.json", b"[{\"title\": \"T\"}]"), Some(InputFormat::Json));
        assert_eq!(resolve_format("notes.txt", b"anything"), Some(InputFormat::DailyPapers));
        assert_eq!(resolve_format("upload", b"TY  - JOUR\n"), Some(InputFormat::Ris));
        assert_eq!(resolve_format("upload", b"hello"), None);
    }

    #[test]
    fn gzip_is_detected_by_magic_bytes() {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(b"hello\n").unwrap();
        let gz = encoder.finish().unwrap();
        let (mut reader, gzipped) = decompressed(Box::new(&gz[..])).unwrap();
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        assert!(gzipped);
        assert_eq!(text, "hello\n");

        let (mut reader, gzipped) = decompressed(Box::new(&b"h"[..])).unwrap();
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        assert!(!gzipped);
        assert_eq!(text, "h");
    }

    #[test]
    fn line_reader_reports_bad_utf8_and_goes_on() {
        let mut lines = LineReader::new(Box::new(&b"\xef\xbb\xbfone\r\n\xff\xfe\nthree"[..]));
        assert!(matches!(lines.next_line(), Some(Ok(Line::Text(1, "one")))));
        assert!(matches!(lines.next_line(), Some(Ok(Line::NotUtf8(2)))));
        assert!(matches!(lines.next_line(), Some(Ok(Line::Text(3, "three")))));
        assert!(lines.next_line().is_none());
    }
}
