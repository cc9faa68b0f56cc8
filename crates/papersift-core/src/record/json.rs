//! JSON Lines (streamed, one object per line) and JSON arrays (read whole, each element located
//! by its line).

use std::io::BufRead;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::input::{line_of, read_to_string, Line, LineReader, Source};
use super::validate::{expected_type, field_named, Draft, Field, FieldError};
use super::{Location, Record, RecordStream};

/// One JSON object per line; blank lines are skipped.
pub(crate) fn jsonl_records<'a>(source: Source, reader: Box<dyn BufRead + 'a>) -> RecordStream<'a> {
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
                    Ok(value) => record_from_value(&value, "each line must hold one JSON object")
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

/// A JSON array of objects. The array is read whole; records are converted one at a time.
pub(crate) fn json_array_records<'a>(source: Source, reader: Box<dyn BufRead + 'a>) -> RecordStream<'a> {
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
            return Box::new(std::iter::once(Err(source.error(
                Location::Line(error.line().max(1)),
                None,
                reason,
            ))));
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
        record_from_value(&value, "each element of the array must be a JSON object")
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

fn record_from_value(value: &Value, must: &str) -> Result<Record, FieldError> {
    match value {
        Value::Object(object) => record_from_object(object),
        other => Err(FieldError {
            field: String::new(),
            reason: format!("found {}; {must}", describe(other)),
        }),
    }
}

fn record_from_object(object: &Map<String, Value>) -> Result<Record, FieldError> {
    let mut draft = Draft::default();
    for (name, value) in object {
        let Some((field, rank)) = field_named(name) else {
            continue;
        };
        match value {
            Value::Null => {}
            Value::String(text) => draft.set_str(name, field, rank, text)?,
            Value::Number(number) => match number.as_i64() {
                Some(integer) => draft.set_int(name, field, rank, integer)?,
                None => return Err(type_error(name, field, value)),
            },
            Value::Array(items) if field == Field::Authors => {
                let names = items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| match item {
                        Value::String(author) => Ok(author.clone()),
                        other => Err(FieldError::new(
                            name,
                            format!(
                                "element {} is {}; expected every author to be a string",
                                index + 1,
                                describe(other)
                            ),
                        )),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                draft.set_authors(rank, names);
            }
            _ => return Err(type_error(name, field, value)),
        }
    }
    draft.finish()
}

fn type_error(name: &str, field: Field, value: &Value) -> FieldError {
    FieldError::new(
        name,
        format!("found {}; expected {}", describe(value), expected_type(field)),
    )
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
        Source {
            name: "t.jsonl".into(),
            gzipped: false,
        }
    }

    fn records(text: &'static str) -> Vec<Result<(Location, Record), RecordError>> {
        jsonl_records(source(), Box::new(text.as_bytes())).collect()
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
        assert_eq!(
            (first.id.as_str(), first.year, first.authors.len()),
            ("7", Some(2020), 2)
        );
        let messages: Vec<String> = all[1..]
            .iter()
            .map(|item| item.clone().unwrap_err().to_string())
            .collect();
        assert_eq!(messages[0], "t.jsonl:3: title: found a number (5); expected a string");
        assert_eq!(
            messages[1],
            "t.jsonl:4: authors: element 2 is a number (3); expected every author to be a string"
        );
        assert_eq!(
            messages[2],
            "t.jsonl:5: id: found a number (1.5); expected a string or an integer"
        );
        assert!(messages[3].starts_with("t.jsonl:6: found an array"), "{}", messages[3]);
    }

    #[test]
    fn malformed_lines_name_the_column_and_the_stream_goes_on() {
        let all = records("{\"title\": \"T\",}\n{\"title\": \"U\"}\n");
        let message = all[0].clone().unwrap_err().to_string();
        assert!(
            message.starts_with("t.jsonl:1: malformed JSON (trailing comma at column 15)"),
            "{message}"
        );
        assert_eq!(all[1].clone().unwrap().1.title, "U");
    }

    #[test]
    fn array_elements_are_located_by_line() {
        let text = "[\n  {\"title\": \"A\"},\n\n  {\"title\": \"B\"},\n  {\"abstract\": \" \"}\n]";
        let all: Vec<_> = json_array_records(source(), Box::new(text.as_bytes())).collect();
        assert_eq!(all[0].clone().unwrap().0, Location::Line(2));
        assert_eq!(all[1].clone().unwrap().0, Location::Line(4));
        assert_eq!(all[2].clone().unwrap_err().location, Location::Line(5));
    }
}
