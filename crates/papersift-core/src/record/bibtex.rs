//! BibTeX, read whole. The file is first cut into top-level `@type{...}` blocks here, so each
//! entry is located by its line and a malformed entry costs only itself; each block is then
//! parsed by the `biblatex` crate, which resolves `@string` macros and decodes LaTeX accents.

use std::io::BufRead;

use biblatex::{Bibliography, ChunksExt, ParseError, ParseErrorKind, Person, RawBibliography};

use super::input::{read_to_string, Source};
use super::validate::{field_named, Draft, Field, FieldError};
use super::{Location, Record, RecordError, RecordStream};

/// One top-level `@type{...}` block.
#[derive(Debug, PartialEq, Eq)]
struct Block {
    /// The entry type, lowercased: `article`, `string`, `comment`, ...
    kind: String,
    /// Byte range from the `@` to the closing delimiter, inclusive.
    start: usize,
    end: usize,
    /// The 1-based line of the `@`.
    line: usize,
}

/// A block that cannot be cut out, with the line of its `@`.
#[derive(Debug, PartialEq, Eq)]
enum BadBlock {
    /// No matching `}` before the end of the file.
    Unclosed { line: usize },
    /// A line starting with `@` but no `name{`.
    NoBrace { line: usize },
}

pub(crate) fn bibtex_records<'a>(source: Source, reader: Box<dyn BufRead + 'a>) -> RecordStream<'a> {
    let text = match read_to_string(&source, reader) {
        Ok(text) => text,
        Err(error) => return Box::new(std::iter::once(Err(error))),
    };
    // Entries are converted eagerly: `biblatex` borrows the text, and a bibliography is small.
    let mut items = Vec::new();
    let mut macros = Vec::new();
    for block in blocks(&text) {
        let block = match block {
            Ok(block) => block,
            Err(BadBlock::Unclosed { line }) => {
                items.push(Err(source.error(
                    Location::Line(line),
                    None,
                    "entry is never closed; add the missing `}` (or remove an extra `{`)",
                )));
                continue;
            }
            Err(BadBlock::NoBrace { line }) => {
                items.push(Err(source.error(
                    Location::Line(line),
                    None,
                    "`@` starts no entry; write entries as `@article{key, title = {...}}`, or remove the `@`",
                )));
                continue;
            }
        };
        let body = &text[block.start..block.end];
        let location = Location::Line(block.line);
        match block.kind.as_str() {
            "comment" | "preamble" => {}
            "string" => match RawBibliography::parse(body) {
                Ok(raw) => macros.extend(raw.abbreviations),
                Err(error) => items.push(Err(parse_error(&source, &block, body, &error))),
            },
            _ => {
                let raw = match RawBibliography::parse(body) {
                    Ok(raw) => raw,
                    Err(error) => {
                        items.push(Err(parse_error(&source, &block, body, &error)));
                        continue;
                    }
                };
                let raw = RawBibliography {
                    preamble: String::new(),
                    entries: raw.entries,
                    abbreviations: macros.clone(),
                };
                let item = match Bibliography::from_raw(raw) {
                    Ok(bibliography) => match bibliography.into_vec().into_iter().next() {
                        Some(entry) => record_from_entry(&entry)
                            .map(|record| (location, record))
                            .map_err(|error| source.field_error(location, error)),
                        None => Err(source.error(
                            location,
                            None,
                            "entry has no key and no fields; remove it or complete it",
                        )),
                    },
                    Err(error) => Err(parse_error(&source, &block, body, &error)),
                };
                items.push(item);
            }
        }
    }
    Box::new(items.into_iter())
}

fn parse_error(source: &Source, block: &Block, body: &str, error: &ParseError) -> RecordError {
    let offset = error.span.start.min(body.len());
    let line = block.line + body.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count();
    let reason = match &error.kind {
        ParseErrorKind::UnknownAbbreviation(name) => format!(
            "`{name}` is not a defined @string macro; define it with @string{{{name} = \"...\"}}, or put the value in braces"
        ),
        kind => format!(
            "malformed @{} entry ({kind}); check the braces, quotes and commas, and that each field reads `name = {{value}},`",
            block.kind
        ),
    };
    source.error(Location::Line(line), None, reason)
}

fn record_from_entry(entry: &biblatex::Entry) -> Result<Record, FieldError> {
    let mut draft = Draft::default();
    draft.set_str("key", Field::Id, 0, &entry.key)?;
    for (name, chunks) in &entry.fields {
        let Some((field, rank)) = field_named(name) else {
            continue;
        };
        if field == Field::Authors {
            let people: Vec<Person> = chunks.parse().map_err(|error| {
                FieldError::new(
                    name,
                    format!("cannot read the names ({error}); write them as `Last, First and First Last`"),
                )
            })?;
            // `and others` is BibTeX for "et al.", not a person.
            let names = people
                .iter()
                .filter(|person| person.name != "others")
                .map(Person::to_string)
                .collect();
            draft.set_authors(rank, names);
        } else {
            draft.set_str(name, field, rank, &chunks.format_verbatim())?;
        }
    }
    draft.finish()
}

/// Cuts `text` into top-level blocks. Text between blocks is a comment, as in BibTeX. An `@` that
/// is not followed by `name{` or `name(` is comment text too (an e-mail address), unless it
/// starts a line, where it was surely meant as an entry.
fn blocks(text: &str) -> Vec<Result<Block, BadBlock>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut position = 0;
    let mut line = 1;
    let mut counted_to = 0;
    while let Some(at) = text[position..].find('@').map(|offset| position + offset) {
        line += bytes[counted_to..at].iter().filter(|&&b| b == b'\n').count();
        counted_to = at;
        let name_end = at
            + 1
            + bytes[at + 1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
        let open = name_end + bytes[name_end..].iter().take_while(|b| b.is_ascii_whitespace()).count();
        let starts_line = text[..at]
            .rsplit('\n')
            .next()
            .is_some_and(|before| before.trim().is_empty());
        let delimiter = bytes.get(open).copied();
        if name_end == at + 1 || !matches!(delimiter, Some(b'{' | b'(')) {
            if starts_line {
                found.push(Err(BadBlock::NoBrace { line }));
            }
            position = at + 1;
            continue;
        }
        let kind = text[at + 1..name_end].to_ascii_lowercase();
        match closing(bytes, open) {
            Some(close) => {
                found.push(Ok(Block {
                    kind,
                    start: at,
                    end: close + 1,
                    line,
                }));
                position = close + 1;
            }
            None => {
                found.push(Err(BadBlock::Unclosed { line }));
                // Resume at the next line that starts with `@`: most likely the next entry.
                position = text[open..]
                    .match_indices('\n')
                    .map(|(offset, _)| open + offset + 1)
                    .find(|&start| text[start..].trim_start_matches([' ', '\t']).starts_with('@'))
                    .unwrap_or(text.len());
            }
        }
    }
    found
}

/// The index of the delimiter closing the one at `open`, counting braces.
fn closing(bytes: &[u8], open: usize) -> Option<usize> {
    let parenthesized = bytes[open] == b'(';
    let mut depth = 0usize;
    for (index, &byte) in bytes.iter().enumerate().skip(open + 1) {
        match byte {
            b'{' => depth += 1,
            b'}' if depth == 0 && !parenthesized => return Some(index),
            b'}' => depth = depth.saturating_sub(1),
            b')' if depth == 0 && parenthesized => return Some(index),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_cut_at_top_level_braces() {
        let text = "% a@b.c wrote this\n@string{x = \"y\"}\n@article{k,\n title = {A {B} C}}\n@misc(k2, title = {)})\n";
        let found = blocks(text);
        let kinds: Vec<(&str, usize)> = found
            .iter()
            .map(|block| block.as_ref().map(|b| (b.kind.as_str(), b.line)).unwrap())
            .collect();
        assert_eq!(kinds, [("string", 2), ("article", 3), ("misc", 5)]);
        let article = found[1].as_ref().unwrap();
        assert!(text[article.start..article.end].ends_with("C}}"));
    }

    #[test]
    fn an_unclosed_entry_costs_only_itself() {
        let text = "@article{a,\n title = {Open\n\n@article{b, title = {Closed}}\n";
        let found = blocks(text);
        assert_eq!(found[0], Err(BadBlock::Unclosed { line: 1 }));
        assert_eq!(found[1].as_ref().map(|block| block.line), Ok(4));
    }

    fn records(text: &'static str) -> Vec<Result<(Location, Record), RecordError>> {
        bibtex_records(
            Source {
                name: "t.bib".into(),
                gzipped: false,
            },
            Box::new(text.as_bytes()),
        )
        .collect()
    }

    #[test]
    fn macros_accents_and_names_are_resolved() {
        let all = records(concat!(
            "@string{nips = \"Advances in Neural Information Processing Systems\"}\n",
            "@inproceedings{vaswani2017,\n",
            "  title = {Attention Is All You Need for {Schr{\\\"o}dinger} and {BERT}},\n",
            "  author = {Vaswani, Ashish and Noam Shazeer and others},\n",
            "  booktitle = nips # \" 30\",\n",
            "  year = 2017,\n",
            "}\n",
        ));
        let (location, record) = all[0].clone().unwrap();
        assert_eq!(location, Location::Line(2));
        assert_eq!(record.id, "vaswani2017");
        assert_eq!(record.title, "Attention Is All You Need for Schrödinger and BERT");
        assert_eq!(record.authors, ["Ashish Vaswani", "Noam Shazeer"]);
        assert_eq!(
            record.venue.as_deref(),
            Some("Advances in Neural Information Processing Systems 30")
        );
        assert_eq!(record.year, Some(2017));
    }

    #[test]
    fn errors_point_at_their_line() {
        let all = records("@article{a,\n  title = {A},\n  year = {soon}\n}\n@article{b,\n  title = {B}\n  year = 2020\n}\n@article{c, title = undefined}\n");
        let messages: Vec<String> = all.iter().map(|item| item.clone().unwrap_err().to_string()).collect();
        assert!(
            messages[0].starts_with("t.bib:1: year: \"soon\" is not a year"),
            "{}",
            messages[0]
        );
        assert!(
            messages[1].starts_with("t.bib:7: malformed @article entry"),
            "{}",
            messages[1]
        );
        assert!(
            messages[2].starts_with("t.bib:9: `undefined` is not a defined @string macro"),
            "{}",
            messages[2]
        );
    }
}
