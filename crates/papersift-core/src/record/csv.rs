//! CSV with a header row, streamed row by row. Column names are matched case-insensitively;
//! unknown columns are ignored.
//!
//! Zotero's CSV export is recognized by its header (`Key`, `Item Type`, `Publication Year`)
//! and read with its own column names: `Key` (the id), `Title`, `Author` (`Last, First; Last,
//! First`, shown as `First Last`), `Publication Year`, `Publication Title` (the venue),
//! `Abstract Note`, `DOI` and `Url`. Its other columns (`Date`, `Editor`, `Manual Tags`, ...)
//! are ignored.

use std::io::BufRead;

use super::input::Source;
use super::validate::{field_named, first_name_first, Draft, FieldError, RecordField};

/// Zotero's column names for the record fields; any other Zotero column is ignored.
const ZOTERO_COLUMNS: &[(&str, RecordField)] = &[
    ("Key", RecordField::Id),
    ("Title", RecordField::Title),
    ("Author", RecordField::Authors),
    ("Publication Year", RecordField::Year),
    ("Publication Title", RecordField::Venue),
    ("Abstract Note", RecordField::Abstract),
    ("DOI", RecordField::Doi),
    ("Url", RecordField::Url),
];

/// Columns only Zotero's export has together.
fn is_zotero_header(names: &[String]) -> bool {
    ["Key", "Item Type", "Publication Year"].iter().all(|column| names.iter().any(|name| name == column))
}
use super::{Location, Record, RecordError, RecordStream};

pub(crate) fn csv_records<'a>(source: Source, reader: Box<dyn BufRead + 'a>) -> RecordStream<'a> {
    let mut rows = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(reader);
    let header = match rows.byte_headers() {
        Ok(header) => header.clone(),
        Err(error) => return Box::new(std::iter::once(Err(csv_fatal(&source, &error)))),
    };
    let names: Vec<String> = header.iter().map(|name| String::from_utf8_lossy(name).trim().to_string()).collect();
    let zotero = is_zotero_header(&names);
    let columns: Vec<Option<(RecordField, u8)>> = if zotero {
        names
            .iter()
            .map(|name| ZOTERO_COLUMNS.iter().find(|(column, _)| column == name).map(|&(_, field)| (field, 0)))
            .collect()
    } else {
        names.iter().map(|name| field_named(name)).collect()
    };
    let has_text_column =
        columns.iter().flatten().any(|(field, _)| matches!(field, RecordField::Title | RecordField::Abstract));
    if !has_text_column {
        let reason = format!(
            "the header row ({}) has no `title` or `abstract` column; the first row must name the columns, like `id,title,abstract,authors,year`",
            names.join(",")
        );
        return Box::new(std::iter::once(Err(source.error(Location::Line(1), None, reason))));
    }

    let mut row = csv::ByteRecord::new();
    let mut ended = false;
    Box::new(std::iter::from_fn(move || {
        if ended {
            return None;
        }
        match rows.read_byte_record(&mut row) {
            Ok(false) => None,
            Ok(true) => {
                let location = Location::Line(row.position().map_or(0, |position| position.line() as usize));
                Some(
                    record_from_row(&row, &names, &columns, zotero)
                        .map(|record| (location, record))
                        .map_err(|error| source.field_error(location, error)),
                )
            }
            Err(error) => match error.kind() {
                csv::ErrorKind::UnequalLengths { pos, expected_len, len } => {
                    let line = pos.as_ref().map_or(0, |position| position.line() as usize);
                    let reason = format!(
                        "row has {len} fields but the header has {expected_len}; quote fields that contain commas, like \"Smith, J.\""
                    );
                    Some(Err(source.error(Location::Line(line), None, reason)))
                }
                _ => {
                    ended = true;
                    Some(Err(csv_fatal(&source, &error)))
                }
            },
        }
    }))
}

fn record_from_row(
    row: &csv::ByteRecord,
    names: &[String],
    columns: &[Option<(RecordField, u8)>],
    zotero: bool,
) -> Result<Record, FieldError> {
    let mut draft = Draft::default();
    for ((cell, name), column) in row.iter().zip(names).zip(columns) {
        let Some((field, rank)) = *column else {
            continue;
        };
        let text = std::str::from_utf8(cell)
            .map_err(|_| FieldError::new(name, "value is not valid UTF-8; re-save the file as UTF-8"))?;
        if zotero && field == RecordField::Authors {
            // `Last, First; Last, First`: the commas are inside names, so split on `;` only.
            let names = text.split(';').map(first_name_first).collect();
            draft.set_authors(rank, names);
        } else {
            draft.set_str(name, field, rank, text)?;
        }
    }
    draft.finish()
}

/// An error the CSV reader cannot continue after (I/O).
fn csv_fatal(source: &Source, error: &csv::Error) -> RecordError {
    let line = error.position().map_or(1, |position| position.line() as usize);
    match error.kind() {
        csv::ErrorKind::Io(io_error) => source.read_error(Location::Line(line), io_error),
        _ => source.error(Location::Line(line), None, format!("unreadable CSV ({error}); check the file's quoting")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &'static str) -> Vec<Result<(Location, Record), RecordError>> {
        csv_records(Source { name: "t.csv".into(), gzipped: false }, Box::new(text.as_bytes())).collect()
    }

    #[test]
    fn columns_are_case_insensitive_and_rows_are_located() {
        let all = records("ID,Title,Summary,Author,Notes\n1,\"Multi\nline\",Abs,\"A; B\",x\n2,T,,C and D,y\n");
        let (location, first) = all[0].clone().unwrap();
        assert_eq!(location, Location::Line(2));
        assert_eq!((first.id.as_str(), first.title.as_str(), first.abstract_text.as_str()), ("1", "Multi line", "Abs"));
        assert_eq!(first.authors, ["A", "B"]);
        assert_eq!(all[1].clone().unwrap().0, Location::Line(4));
        assert_eq!(all[1].clone().unwrap().1.authors, ["C", "D"]);
    }

    #[test]
    fn a_short_row_is_an_error_and_the_stream_goes_on() {
        let all = records("title,year\nA,2020\nB\nC,2021\n");
        assert_eq!(all.len(), 3);
        assert_eq!(
            all[1].clone().unwrap_err().to_string(),
            "t.csv:3: row has 1 fields but the header has 2; quote fields that contain commas, like \"Smith, J.\""
        );
        assert_eq!(all[2].clone().unwrap().1.year, Some(2021));
    }

    #[test]
    fn a_byte_order_mark_does_not_hide_the_first_column() {
        let all = records("\u{feff}title,year\nA,2020\n");
        assert_eq!(all[0].clone().unwrap().1.title, "A");
    }

    #[test]
    fn zotero_columns_are_mapped_by_their_own_names() {
        let all = records(concat!(
            "\u{feff}\"Key\",\"Item Type\",\"Publication Year\",\"Author\",\"Title\",\"Publication Title\",\"DOI\",\"Url\",\"Abstract Note\",\"Date\"\n",
            "\"ABCD1234\",\"journalArticle\",\"2017\",\"Vaswani, Ashish; Shazeer, Noam\",\"Attention\",\"NeurIPS\",\"\",\"https://x.org/a\",\"Abs\",\"2017-06-12\"\n",
        ));
        let (_, record) = all[0].clone().unwrap();
        assert_eq!(record.id, "ABCD1234");
        assert_eq!(record.authors, ["Ashish Vaswani", "Noam Shazeer"]);
        assert_eq!((record.year, record.venue.as_deref()), (Some(2017), Some("NeurIPS")));
        assert_eq!((record.abstract_text.as_str(), record.url.as_deref()), ("Abs", Some("https://x.org/a")));
        assert!(is_zotero_header(&["Key".into(), "Item Type".into(), "Publication Year".into()]));
        assert!(!is_zotero_header(&["key".into(), "title".into()]));
    }

    #[test]
    fn a_header_without_text_columns_is_fatal() {
        let all = records("a,b\n1,2\n");
        assert_eq!(all.len(), 1);
        assert!(all[0].clone().unwrap_err().to_string().starts_with("t.csv:1: the header row (a,b)"));
    }
}
