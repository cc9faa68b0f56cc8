//! JSON Lines (streamed, one object per line) and JSON arrays (read whole, each element located
//! by its line), holding papersift's own objects or CSL-JSON items.
//!
//! CSL-JSON (what Zotero, Mendeley and pandoc export) differs in three fields: `author` is an
//! array of `{family, given}` or `{literal}` objects, the year sits in `issued` (`date-parts`,
//! `raw` or `literal`), and the venue is `container-title`. An object showing any of these is
//! read as CSL, whatever the file was detected as; the other names are the shared ones.

use std::io::BufRead;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::input::{line_of, peek, read_to_string, Line, LineReader, Source};
use super::validate::{expected_type, field_named, Draft, FieldError, RecordField};
use super::{Location, Record, RecordStream};

/// One JSON object per line; blank lines are skipped.
/// With `csl`, every object is read as a CSL item.
pub(crate) fn jsonl_records<'a>(source: Source, reader: Box<dyn BufRead + 'a>, csl: bool) -> RecordStream<'a> {
    let mut lines = LineReader::new(reader);
    let mut ended = false;
    Box::new(std::iter::from_fn(move || loop {
        if ended {
            return None;
        }
        let next_line_number = lines.line() + 1;
        match lines.next_line()? {
            Err(error) => {
                ended = true;
                return Some(Err(source.read_error(Location::Line(next_line_number), &error)));
            }
            Ok(Line::NotUtf8(line)) => return Some(Err(source.utf8_error(line))),
            Ok(Line::Text(line, text)) => {
                if text.trim().is_empty() {
                    continue;
                }
                let location = Location::Line(line);
                return Some(match serde_json::from_str::<Value>(text) {
                    Ok(value) => record_from_value(&value, "each line must hold one JSON object", csl)
                        .map(|record| (location, record))
                        .map_err(|error| source.field_error(location, error)),
                    Err(error) => Err(source.error(
                        location,
                        None,
                        format!(
                            "malformed JSON ({} at column {}); each line must hold one complete JSON object",
                            serde_message(&error),
                            error.column()
                        ),
                    )),
                });
            }
        }
    }))
}

/// CSL-JSON: an array (what Zotero and Mendeley write) or JSON Lines of CSL items.
pub(crate) fn csl_records<'a>(source: Source, reader: Box<dyn BufRead + 'a>) -> RecordStream<'a> {
    let (head, whole) = match peek(Box::new(reader), 4096) {
        Ok(peeked) => peeked,
        Err(error) => return Box::new(std::iter::once(Err(source.read_error(Location::Line(1), &error)))),
    };
    let reader = Box::new(std::io::BufReader::new(whole));
    let head = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&head);
    match head.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => json_array_records(source, reader, true),
        _ => jsonl_records(source, reader, true),
    }
}

/// A JSON array of objects. The array is read whole; records are converted one at a time.
/// With `csl`, every object is read as a CSL item.
pub(crate) fn json_array_records<'a>(source: Source, reader: Box<dyn BufRead + 'a>, csl: bool) -> RecordStream<'a> {
    let text = match read_to_string(&source, reader) {
        Ok(text) => text,
        Err(error) => return Box::new(std::iter::once(Err(error))),
    };
    // Byte ranges of the elements, so the iterator can own the text without borrowing from it.
    let elements: Vec<(usize, usize)> = match serde_json::from_str::<Vec<&RawValue>>(&text) {
        Ok(raw) => raw
            .iter()
            .map(|element| {
                let start = element.get().as_ptr() as usize - text.as_ptr() as usize;
                (start, start + element.get().len())
            })
            .collect(),
        Err(error) => {
            let reason = format!(
                "malformed JSON array ({} at column {}); the file must be one JSON array of objects, like [{{\"title\": \"...\"}}]",
                serde_message(&error),
                error.column()
            );
            return Box::new(std::iter::once(Err(source.error(Location::Line(error.line().max(1)), None, reason))));
        }
    };
    let mut line = 1;
    let mut counted_to = 0;
    Box::new(elements.into_iter().map(move |(start, end)| {
        line += line_of(&text[counted_to..start], start - counted_to) - 1;
        counted_to = start;
        let location = Location::Line(line);
        let value: Value = serde_json::from_str(&text[start..end])
            .map_err(|error| source.error(location, None, format!("malformed JSON ({})", serde_message(&error))))?;
        record_from_value(&value, "each element of the array must be a JSON object", csl)
            .map(|record| (location, record))
            .map_err(|error| source.field_error(location, error))
    }))
}

/// serde_json's message without its ` at line L column C` suffix, which we report our way.
fn serde_message(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(end) => message[..end].to_string(),
        None => message,
    }
}

fn record_from_value(value: &Value, must: &str, csl: bool) -> Result<Record, FieldError> {
    match value {
        Value::Object(object) if csl || is_csl_item(object) => record_from_csl(object),
        Value::Object(object) => record_from_object(object),
        other => Err(FieldError { field: String::new(), reason: format!("found {}; {must}", describe(other)) }),
    }
}

fn record_from_object(object: &Map<String, Value>) -> Result<Record, FieldError> {
    let mut draft = Draft::default();
    for (name, value) in object {
        set_shared(&mut draft, name, value)?;
    }
    draft.finish()
}

/// Sets a field under one of the shared names; other names are ignored.
fn set_shared(draft: &mut Draft, name: &str, value: &Value) -> Result<(), FieldError> {
    let Some((field, rank)) = field_named(name) else {
        return Ok(());
    };
    match value {
        Value::Null => {}
        Value::String(text) => draft.set_str(name, field, rank, text)?,
        Value::Number(number) => match number.as_i64() {
            Some(integer) => draft.set_int(name, field, rank, integer)?,
            None => return Err(type_error(name, field, value)),
        },
        Value::Array(items) if field == RecordField::Authors => {
            let names = items
                .iter()
                .enumerate()
                .map(|(index, item)| match item {
                    Value::String(author) => Ok(author.clone()),
                    other => Err(FieldError::new(
                        name,
                        format!("element {} is {}; expected every author to be a string", index + 1, describe(other)),
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?;
            draft.set_authors(rank, names);
        }
        _ => return Err(type_error(name, field, value)),
    }
    Ok(())
}

/// Whether an object uses CSL's own field shapes.
fn is_csl_item(object: &Map<String, Value>) -> bool {
    object.contains_key("issued")
        || object.contains_key("container-title")
        || matches!(object.get("author"), Some(Value::Array(items)) if items.iter().any(Value::is_object))
}

/// A CSL item: `author`, `issued` and `container-title` in CSL's shapes, the rest shared.
fn record_from_csl(object: &Map<String, Value>) -> Result<Record, FieldError> {
    let mut draft = Draft::default();
    for (name, value) in object {
        match (name.as_str(), value) {
            (_, Value::Null) => {}
            ("author", Value::Array(items)) => draft.set_authors(0, csl_names(name, items)?),
            ("issued", _) => csl_date(&mut draft, name, value)?,
            ("container-title", _) => match value {
                Value::String(text) => draft.set_str(name, RecordField::Venue, 0, text)?,
                _ => return Err(type_error(name, RecordField::Venue, value)),
            },
            // `type` is CSL's entry type, not a field of ours; `year` is not CSL.
            ("type", _) => {}
            _ => set_shared(&mut draft, name, value)?,
        }
    }
    draft.finish()
}

/// CSL names: `{"family": "Vaswani", "given": "Ashish"}`, with optional particles and suffix,
/// or `{"literal": "OpenAI"}` for an organization.
fn csl_names(name: &str, items: &[Value]) -> Result<Vec<String>, FieldError> {
    fn part<'v>(person: &'v Map<String, Value>, key: &str) -> Option<&'v str> {
        person.get(key).and_then(Value::as_str).map(str::trim)
    }
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let person = match item {
                Value::Object(person) => person,
                Value::String(literal) => return Ok(literal.clone()),
                other => {
                    return Err(FieldError::new(
                        name,
                        format!(
                            "element {} is {}; expected {{\"family\": ..., \"given\": ...}} or {{\"literal\": ...}}",
                            index + 1,
                            describe(other)
                        ),
                    ))
                }
            };
            if let Some(literal) = part(person, "literal").filter(|text| !text.is_empty()) {
                return Ok(literal.to_string());
            }
            let words: Vec<&str> = ["given", "dropping-particle", "non-dropping-particle", "family"]
                .iter()
                .filter_map(|key| part(person, key))
                .filter(|text| !text.is_empty())
                .collect();
            if part(person, "family").is_none_or(str::is_empty) {
                return Err(FieldError::new(
                    name,
                    format!(
                        "element {} has no \"family\" or \"literal\" name; write {{\"family\": \"Vaswani\", \"given\": \"Ashish\"}}",
                        index + 1
                    ),
                ));
            }
            let mut full = words.join(" ");
            if let Some(suffix) = part(person, "suffix").filter(|text| !text.is_empty()) {
                full = format!("{full} {suffix}");
            }
            Ok(full)
        })
        .collect()
}

/// CSL dates: `{"date-parts": [[2020, 5, 1]]}` (parts may be strings), or `{"raw": "2020-05-01"}`,
/// or `{"literal": "Spring 2020"}`.
fn csl_date(draft: &mut Draft, name: &str, value: &Value) -> Result<(), FieldError> {
    let expected = "expected a CSL date, like {\"date-parts\": [[2020, 5]]} or {\"raw\": \"2020-05\"}";
    let Value::Object(date) = value else {
        return Err(FieldError::new(name, format!("found {}; {expected}", describe(value))));
    };
    if let Some(parts) = date.get("date-parts") {
        let year = parts
            .as_array()
            .and_then(|ranges| ranges.first())
            .and_then(Value::as_array)
            .and_then(|parts| parts.first());
        return match year {
            Some(Value::Number(number)) => match number.as_i64() {
                Some(year) => draft.set_int(name, RecordField::Year, 0, year),
                None => Err(FieldError::new(name, format!("year {number} is not an integer; {expected}"))),
            },
            Some(Value::String(text)) => draft.set_str(name, RecordField::Year, 0, text),
            _ => Err(FieldError::new(name, format!("\"date-parts\" holds no year; {expected}"))),
        };
    }
    for key in ["raw", "literal"] {
        match date.get(key) {
            Some(Value::String(text)) => return draft.set_date(name, 0, text),
            Some(Value::Null) | None => {}
            Some(other) => return Err(FieldError::new(name, format!("\"{key}\" is {}; {expected}", describe(other)))),
        }
    }
    Ok(())
}

fn type_error(name: &str, field: RecordField, value: &Value) -> FieldError {
    FieldError::new(name, format!("found {}; expected {}", describe(value), expected_type(field)))
}

/// A JSON value's type in words, with the value itself when it is short.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(flag) => format!("a boolean ({flag})"),
        Value::Number(number) => format!("a number ({number})"),
        Value::String(_) => "a string".to_string(),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::RecordError;

    fn source() -> Source {
        Source { name: "t.jsonl".into(), gzipped: false }
    }

    fn records(text: &'static str) -> Vec<Result<(Location, Record), RecordError>> {
        jsonl_records(source(), Box::new(text.as_bytes()), false).collect()
    }

    #[test]
    fn types_are_checked_with_evidence() {
        let all = records(concat!(
            "{\"title\": \"T\", \"id\": 7, \"year\": \"2020\", \"authors\": \"A and B\", \"extra\": [1]}\n",
            "\n",
            "{\"title\": 5}\n",
            "{\"title\": \"T\", \"authors\": [\"A\", 3]}\n",
            "{\"title\": \"T\", \"id\": 1.5}\n",
            "[1]\n",
        ));
        let (location, first) = all[0].clone().unwrap();
        assert_eq!(location, Location::Line(1));
        assert_eq!((first.id.as_str(), first.year, first.authors.len()), ("7", Some(2020), 2));
        let messages: Vec<String> = all[1..].iter().map(|item| item.clone().unwrap_err().to_string()).collect();
        assert_eq!(messages[0], "t.jsonl:3: title: found a number (5); expected a string");
        assert_eq!(messages[1], "t.jsonl:4: authors: element 2 is a number (3); expected every author to be a string");
        assert_eq!(messages[2], "t.jsonl:5: id: found a number (1.5); expected a string or an integer");
        assert!(messages[3].starts_with("t.jsonl:6: found an array"), "{}", messages[3]);
    }

    #[test]
    fn malformed_lines_name_the_column_and_the_stream_goes_on() {
        let all = records("{\"title\": \"T\",}\n{\"title\": \"U\"}\n");
        let message = all[0].clone().unwrap_err().to_string();
        assert!(message.starts_with("t.jsonl:1: malformed JSON (trailing comma at column 15)"), "{message}");
        assert_eq!(all[1].clone().unwrap().1.title, "U");
    }

    #[test]
    fn array_elements_are_located_by_line() {
        let text = "[\n  {\"title\": \"A\"},\n\n  {\"title\": \"B\"},\n  {\"abstract\": \" \"}\n]";
        let all: Vec<_> = json_array_records(source(), Box::new(text.as_bytes()), false).collect();
        assert_eq!(all[0].clone().unwrap().0, Location::Line(2));
        assert_eq!(all[1].clone().unwrap().0, Location::Line(4));
        assert_eq!(all[2].clone().unwrap_err().location, Location::Line(5));
    }
}
