//! RIS, as EndNote, Zotero, Web of Science and Scopus export it, streamed line by line.
//!
//! A record runs from `TY  - JOUR` to `ER  - `; each line in between is `XX  - value`, a
//! two-character tag, where repeated tags (`AU`) add values and a line without a tag continues
//! the value above it (wrapped abstracts). Lines end in LF or CRLF; a byte-order mark is allowed.
//! Each record field takes the first tag present in its list:
//!
//! | field | tags |
//! |---|---|
//! | `title` | `TI`, `T1` |
//! | `authors` | `AU`, else `A1` (`Last, First` shown as `First Last`) |
//! | `year` | `PY`, `Y1`, `DA` (the year in `2020/05/01/`) |
//! | `abstract` | `AB`, `N2` |
//! | `venue` | `T2`, `JF`, `JO`, `BT` |
//! | `doi`, `url`, `id` | `DO`, `UR`, `ID` |

use std::io::BufRead;

use super::input::{Line, LineReader, Source};
use super::validate::{first_name_first, Draft, FieldError, RecordField};
use super::{Location, Record, RecordError, RecordStream};

/// The record field a tag fills, with its precedence among the tags for that field.
fn field_of(tag: &str) -> Option<(RecordField, u8)> {
    Some(match tag {
        "TI" => (RecordField::Title, 0),
        "T1" => (RecordField::Title, 1),
        "AU" => (RecordField::Authors, 0),
        "A1" => (RecordField::Authors, 1),
        "PY" => (RecordField::Year, 0),
        "Y1" => (RecordField::Year, 1),
        "DA" => (RecordField::Year, 2),
        "AB" => (RecordField::Abstract, 0),
        "N2" => (RecordField::Abstract, 1),
        "T2" => (RecordField::Venue, 0),
        "JF" => (RecordField::Venue, 1),
        "JO" => (RecordField::Venue, 2),
        "BT" => (RecordField::Venue, 3),
        "DO" => (RecordField::Doi, 0),
        "UR" => (RecordField::Url, 0),
        "ID" => (RecordField::Id, 0),
        _ => return None,
    })
}

/// Whether `line` is the tag line `tag  - value`. Exports agree on a capital letter and a letter
/// or digit for the tag, then spaces and a hyphen; the value may be empty (`ER  -`).
pub(crate) fn is_tag_line(line: &[u8], tag: &[u8]) -> bool {
    let line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
    tag_line(line).is_some_and(|(found, _)| found.as_bytes() == tag)
}

/// The tag and value of a tag line: two characters, at least two spaces, a hyphen, then an
/// optional space before the value.
fn tag_line<T: AsRef<[u8]> + ?Sized>(line: &T) -> Option<(&str, &str)> {
    let bytes = line.as_ref();
    let text = std::str::from_utf8(bytes).ok()?;
    let tag = text.get(..2)?;
    let tag_bytes = tag.as_bytes();
    if !tag_bytes[0].is_ascii_uppercase() || !(tag_bytes[1].is_ascii_uppercase() || tag_bytes[1].is_ascii_digit()) {
        return None;
    }
    let rest = &text[2..];
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    let value = rest[spaces..].strip_prefix('-')?;
    (spaces >= 2).then_some((tag, value.strip_prefix(' ').unwrap_or(value).trim_end()))
}

/// One record being read.
struct Open {
    /// The line of its `TY`.
    line: usize,
    draft: Draft,
    /// The tag whose value may still continue on the next line, with its line and text so far.
    pending: Option<(String, usize, String)>,
    /// Names by author tag, ranked: `AU` before `A1`.
    authors: [Vec<String>; 2],
    /// The first problem found, reported when the record ends.
    error: Option<RecordError>,
}

pub(crate) fn ris_records<'a>(source: Source, reader: Box<dyn BufRead + 'a>) -> RecordStream<'a> {
    let mut lines = LineReader::new(reader);
    let mut open: Option<Open> = None;
    // The first line of a run of text outside any record, reported once per run. Text before
    // the first record is an export header (`Provider: ...`, `Database: ...`) and is allowed,
    // unless no record ever follows.
    let mut stray: Option<usize> = None;
    let mut seen_record = false;
    let mut ended = false;
    Box::new(std::iter::from_fn(move || loop {
        if ended {
            return None;
        }
        let next_line_number = lines.line() + 1;
        let Some(next) = lines.next_line() else {
            ended = true;
            if let Some(line) = stray.take() {
                return Some(Err(if seen_record {
                    stray_error(&source, line)
                } else {
                    source.error(
                        Location::Line(line),
                        None,
                        "no RIS record found; records start with a line `TY  - JOUR` (or another type) and end with `ER  - `",
                    )
                }));
            }
            let record = open.take()?;
            return Some(Err(source.error(
                Location::Line(record.line),
                None,
                "record is never closed; end it with a line `ER  - `",
            )));
        };
        let (line, text) = match next {
            Err(error) => {
                ended = true;
                return Some(Err(source.read_error(Location::Line(next_line_number), &error)));
            }
            Ok(Line::NotUtf8(line)) => match open.as_mut() {
                Some(record) => {
                    record.error.get_or_insert_with(|| source.utf8_error(line));
                    continue;
                }
                None => return Some(Err(source.utf8_error(line))),
            },
            Ok(Line::Text(line, text)) => (line, text),
        };
        let tagged = tag_line(text);
        let Some(record) = open.as_mut() else {
            match tagged {
                Some(("TY", _)) => {
                    open = Some(Open {
                        line,
                        draft: Draft::default(),
                        pending: None,
                        authors: Default::default(),
                        error: None,
                    });
                    let header = !seen_record;
                    seen_record = true;
                    if let Some(first) = stray.take().filter(|_| !header) {
                        return Some(Err(stray_error(&source, first)));
                    }
                }
                _ if text.trim().is_empty() => {}
                _ => {
                    stray.get_or_insert(line);
                }
            }
            continue;
        };
        match tagged {
            Some(("ER", _)) => {
                let record = open.take()?;
                return Some(finish(&source, record));
            }
            Some(("TY", _)) => {
                // A record that never ended: report it, and start the new one.
                let unclosed = open.replace(Open {
                    line,
                    draft: Draft::default(),
                    pending: None,
                    authors: Default::default(),
                    error: None,
                })?;
                return Some(Err(source.error(
                    Location::Line(unclosed.line),
                    None,
                    format!("record is never closed (line {line} starts another); end it with a line `ER  - `"),
                )));
            }
            Some((tag, value)) => {
                settle(&source, record);
                record.pending = Some((tag.to_string(), line, value.to_string()));
            }
            None if text.trim().is_empty() => {}
            None => match record.pending.as_mut() {
                Some((_, _, value)) => {
                    value.push(' ');
                    value.push_str(text.trim());
                }
                None => {
                    settle(&source, record);
                }
            },
        }
    }))
}

/// Moves the pending tag's value into the record, keeping the first error.
fn settle(source: &Source, record: &mut Open) {
    let Some((tag, line, value)) = record.pending.take() else {
        return;
    };
    let Some((field, rank)) = field_of(&tag) else {
        return;
    };
    let set = match field {
        RecordField::Authors => {
            let name = first_name_first(&value);
            if !name.is_empty() {
                record.authors[usize::from(rank)].push(name);
            }
            Ok(())
        }
        RecordField::Year => record.draft.set_date(&tag, rank, &value),
        _ => record.draft.set_str(&tag, field, rank, &value),
    };
    if let Err(error) = set {
        record.error.get_or_insert_with(|| source.field_error(Location::Line(line), error));
    }
}

fn finish(source: &Source, mut record: Open) -> Result<(Location, Record), RecordError> {
    settle(source, &mut record);
    let location = Location::Line(record.line);
    if let Some(error) = record.error {
        return Err(error);
    }
    let [au, a1] = record.authors;
    record.draft.set_authors(0, if au.is_empty() { a1 } else { au });
    record
        .draft
        .finish()
        .map_err(|error| {
            // A record without a title names the tag a person would add.
            let error = if error.field == "title" { FieldError::new("TI", error.reason) } else { error };
            source.field_error(location, error)
        })
        .map(|record| (location, record))
}

fn stray_error(source: &Source, line: usize) -> RecordError {
    source.error(
        Location::Line(line),
        None,
        "text outside a record; RIS records start with a line `TY  - JOUR` (or another type) and end with `ER  - `",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &'static str) -> Vec<Result<(Location, Record), RecordError>> {
        ris_records(Source { name: "t.ris".into(), gzipped: false }, Box::new(text.as_bytes())).collect()
    }

    #[test]
    fn tag_lines_need_two_spaces_and_a_hyphen() {
        assert_eq!(tag_line("TY  - JOUR"), Some(("TY", "JOUR")));
        assert_eq!(tag_line("ER  -"), Some(("ER", "")));
        assert_eq!(tag_line("T1  - A - B  "), Some(("T1", "A - B")));
        assert_eq!(tag_line("TY - JOUR"), None);
        assert_eq!(tag_line("ty  - JOUR"), None);
        assert_eq!(tag_line("An abstract line"), None);
        assert_eq!(tag_line("É"), None);
    }

    #[test]
    fn tags_map_to_fields_with_precedence() {
        let all = records(concat!(
            "TY  - JOUR\r\n",
            "T1  - Secondary title\r\n",
            "TI  - Primary title\r\n",
            "A1  - Ignored, Because\r\n",
            "AU  - Vaswani, Ashish\r\n",
            "AU  - Noam Shazeer\r\n",
            "DA  - 2016/12/01\r\n",
            "PY  - 2017///\r\n",
            "AB  - First half\r\n",
            "  second half.\r\n",
            "JO  - NeurIPS\r\n",
            "T2  - Advances in Neural Information Processing Systems\r\n",
            "DO  - 10.5555/3295222.3295349\r\n",
            "KW  - ignored\r\n",
            "ER  - \r\n",
        ));
        assert_eq!(all.len(), 1);
        let (location, record) = all[0].clone().unwrap();
        assert_eq!(location, Location::Line(1));
        assert_eq!(record.title, "Primary title");
        assert_eq!(record.authors, ["Ashish Vaswani", "Noam Shazeer"]);
        assert_eq!(record.year, Some(2017));
        assert_eq!(record.abstract_text, "First half second half.");
        assert_eq!(record.venue.as_deref(), Some("Advances in Neural Information Processing Systems"));
        assert_eq!(record.url.as_deref(), Some("https://doi.org/10.5555/3295222.3295349"));
    }

    #[test]
    fn errors_name_the_tag_line_and_stray_text_is_reported_once() {
        let all = records(concat!(
            "Provider: Somewhere\n",
            "Database: Papers\n",
            "TY  - JOUR\n",
            "TI  - A\n",
            "PY  - soon\n",
            "ER  - \n",
            "Stray text\n",
            "between records\n",
            "TY  - JOUR\n",
            "AU  - Nobody\n",
            "ER  - \n",
            "TY  - BOOK\n",
            "TI  - Unclosed\n",
        ));
        let messages: Vec<String> = all.iter().map(|item| item.clone().unwrap_err().to_string()).collect();
        assert_eq!(messages.len(), 4, "{messages:#?}");
        assert!(messages[0].starts_with("t.ris:5: PY: \"soon\" is not a year"), "{}", messages[0]);
        assert!(messages[1].starts_with("t.ris:7: text outside a record"), "{}", messages[1]);
        assert!(messages[2].starts_with("t.ris:9: TI: record has neither a title nor an abstract"), "{}", messages[2]);
        assert!(messages[3].starts_with("t.ris:12: record is never closed"), "{}", messages[3]);
    }

    #[test]
    fn text_with_no_record_is_one_error() {
        let all = records("Just a note\nand another line\n");
        assert_eq!(all.len(), 1);
        let message = all[0].clone().unwrap_err().to_string();
        assert!(message.starts_with("t.ris:1: no RIS record found"), "{message}");
    }
}
