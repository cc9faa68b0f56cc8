//! Atom feeds as the arXiv API returns them, streamed entry by entry with `quick-xml`.
//!
//! Each `feed/entry` is one record: `title`, `summary` (the abstract), `author/name`,
//! `published` (its year), `id` (`http://arxiv.org/abs/2303.08774v2` gives the arXiv id
//! `2303.08774`, which is also the record id), `arxiv:doi`, `arxiv:journal_ref` (the venue) and
//! the `alternate` link. Other elements are ignored.

use std::io::{BufRead, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::input::Source;
use super::validate::{Draft, FieldError, RecordField};
use super::{Location, Record, RecordError, RecordStream};

/// A reader that counts the line breaks it has handed out, so events can be located by line:
/// `quick-xml` consumes input up to the end of each event it returns.
struct LineCounting<'a> {
    inner: Box<dyn BufRead + 'a>,
    newlines: usize,
}

impl Read for LineCounting<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.newlines += buffer[..read].iter().filter(|&&b| b == b'\n').count();
        Ok(read)
    }
}

impl BufRead for LineCounting<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        // The buffer is already filled, so this does no I/O and cannot fail in practice.
        if let Ok(buffer) = self.inner.fill_buf() {
            let amount = amount.min(buffer.len());
            self.newlines += buffer[..amount].iter().filter(|&&b| b == b'\n').count();
        }
        self.inner.consume(amount);
    }
}

/// The entry being read.
#[derive(Default)]
struct Entry {
    line: usize,
    title: String,
    summary: String,
    authors: Vec<String>,
    published: Option<(usize, String)>,
    id: String,
    doi: String,
    journal_ref: String,
    link: Option<String>,
}

/// Which entry element's text is being collected.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Title,
    Summary,
    AuthorName,
    Published,
    Id,
    Doi,
    JournalRef,
}

pub(crate) fn atom_records<'a>(source: Source, reader: Box<dyn BufRead + 'a>) -> RecordStream<'a> {
    let mut xml = Reader::from_reader(LineCounting { inner: reader, newlines: 0 });
    xml.config_mut().trim_text(false);
    let mut buffer = Vec::new();
    // Element names from the root down, as local names (`arxiv:doi` is `doi`).
    let mut path: Vec<Vec<u8>> = Vec::new();
    let mut entry: Option<Entry> = None;
    let mut target: Option<Target> = None;
    let mut ended = false;
    Box::new(std::iter::from_fn(move || loop {
        if ended {
            return None;
        }
        buffer.clear();
        let event = xml.read_event_into(&mut buffer);
        let line = 1 + xml.get_ref().newlines;
        let event = match event {
            Ok(event) => event,
            Err(error) => {
                ended = true;
                return Some(Err(xml_error(&source, line, &error)));
            }
        };
        match event {
            Event::Start(start) => {
                let name = start.local_name().as_ref().to_vec();
                if path.is_empty() && name != b"feed" {
                    ended = true;
                    return Some(Err(source.error(
                        Location::Line(line),
                        None,
                        format!(
                            "the root element is <{}>, not an Atom <feed>; expected a feed like the arXiv API returns (http://export.arxiv.org/api/query?search_query=...)",
                            String::from_utf8_lossy(&name)
                        ),
                    )));
                }
                path.push(name);
                match (path.len(), entry.as_mut()) {
                    (2, _) if path[1] == b"entry" => {
                        entry = Some(Entry { line, ..Entry::default() });
                    }
                    (3, Some(current)) => {
                        target = match path[2].as_slice() {
                            b"title" => Some(Target::Title),
                            b"summary" => Some(Target::Summary),
                            b"published" => {
                                current.published = Some((line, String::new()));
                                Some(Target::Published)
                            }
                            b"id" => Some(Target::Id),
                            b"doi" => Some(Target::Doi),
                            b"journal_ref" => Some(Target::JournalRef),
                            b"link" => {
                                take_link(current, &start);
                                None
                            }
                            _ => None,
                        };
                    }
                    (4, Some(current)) if path[2] == b"author" && path[3] == b"name" => {
                        current.authors.push(String::new());
                        target = Some(Target::AuthorName);
                    }
                    _ => target = None,
                }
            }
            Event::Empty(start) if path.len() == 2 && start.local_name().as_ref() == b"link" => {
                if let Some(current) = entry.as_mut() {
                    take_link(current, &start);
                }
            }
            Event::Text(text) => {
                if let (Some(target), Some(current)) = (target, entry.as_mut()) {
                    match text.unescape() {
                        Ok(text) => text_of(current, target).push_str(&text),
                        Err(error) => {
                            ended = true;
                            return Some(Err(xml_error(&source, line, &error)));
                        }
                    }
                }
            }
            Event::CData(data) => {
                if let (Some(target), Some(current)) = (target, entry.as_mut()) {
                    text_of(current, target).push_str(&String::from_utf8_lossy(&data));
                }
            }
            Event::End(_) => {
                let closed = path.pop();
                target = None;
                if path.len() == 1 && closed.as_deref() == Some(b"entry") {
                    if let Some(done) = entry.take() {
                        return Some(finish(&source, done));
                    }
                }
            }
            Event::Eof => {
                ended = true;
                if !path.is_empty() {
                    return Some(Err(source.error(
                        Location::Line(line),
                        None,
                        format!(
                            "the feed ends inside <{}>; the file is truncated, download it again",
                            String::from_utf8_lossy(path.last().map_or(&b"feed"[..], Vec::as_slice))
                        ),
                    )));
                }
                return None;
            }
            _ => {}
        }
    }))
}

fn text_of(entry: &mut Entry, target: Target) -> &mut String {
    match target {
        Target::Title => &mut entry.title,
        Target::Summary => &mut entry.summary,
        Target::AuthorName => entry.authors.last_mut().expect("a name element pushed its author"),
        Target::Published => &mut entry.published.get_or_insert_with(Default::default).1,
        Target::Id => &mut entry.id,
        Target::Doi => &mut entry.doi,
        Target::JournalRef => &mut entry.journal_ref,
    }
}

/// The `alternate` link (the abstract page) is the record's link; `pdf` and `doi` links are not.
fn take_link(entry: &mut Entry, link: &BytesStart<'_>) {
    let mut rel = None;
    let mut href = None;
    for attribute in link.attributes().flatten() {
        let value = attribute.unescape_value().map(|value| value.into_owned()).ok();
        match attribute.key.local_name().as_ref() {
            b"rel" => rel = value,
            b"href" => href = value,
            _ => {}
        }
    }
    // Atom's default `rel` is `alternate`.
    if rel.as_deref().is_none_or(|rel| rel == "alternate") && entry.link.is_none() {
        entry.link = href;
    }
}

fn finish(source: &Source, entry: Entry) -> Result<(Location, Record), RecordError> {
    let location = Location::Line(entry.line);
    // The arXiv API answers a bad query with a feed whose one entry describes the error.
    if entry.id.trim().starts_with("http://arxiv.org/api/errors") {
        return Err(source.error(
            location,
            None,
            format!(
                "the arXiv API returned an error, not a paper: {}; fix the query and download the feed again",
                entry.summary.trim()
            ),
        ));
    }
    let mut draft = Draft::default();
    let filled = (|| -> Result<(), FieldError> {
        draft.set_str("title", RecordField::Title, 0, &entry.title)?;
        draft.set_str("summary", RecordField::Abstract, 0, &entry.summary)?;
        draft.set_authors(0, entry.authors);
        let id = entry.id.trim();
        match arxiv_id(id) {
            Some(arxiv) => {
                draft.set_str("id", RecordField::Id, 0, arxiv)?;
                draft.set_str("id", RecordField::Arxiv, 0, arxiv)?;
            }
            None => draft.set_str("id", RecordField::Id, 0, id)?,
        }
        draft.set_str("arxiv:doi", RecordField::Doi, 0, &entry.doi)?;
        draft.set_str("arxiv:journal_ref", RecordField::Venue, 0, &entry.journal_ref)?;
        if let Some(link) = &entry.link {
            draft.set_str("link", RecordField::Url, 0, link)?;
        }
        Ok(())
    })();
    let dated = match &entry.published {
        Some((line, published)) => {
            draft.set_date("published", 0, published).map_err(|error| source.field_error(Location::Line(*line), error))
        }
        None => Ok(()),
    };
    filled.map_err(|error| source.field_error(location, error))?;
    dated?;
    draft.finish().map(|record| (location, record)).map_err(|error| source.field_error(location, error))
}

/// `2303.08774` from `http://arxiv.org/abs/2303.08774v2` (old ids like `hep-th/9901001v1` too):
/// the version is dropped, so the id and link name the paper, not one revision of it.
fn arxiv_id(id: &str) -> Option<&str> {
    let rest = id.strip_prefix("http://arxiv.org/abs/").or_else(|| id.strip_prefix("https://arxiv.org/abs/"))?;
    let without_version = match rest.rfind('v') {
        Some(at) if at > 0 && rest[at + 1..].bytes().all(|b| b.is_ascii_digit()) && at + 1 < rest.len() => &rest[..at],
        _ => rest,
    };
    (!without_version.is_empty()).then_some(without_version)
}

fn xml_error(source: &Source, line: usize, error: &quick_xml::Error) -> RecordError {
    match error {
        quick_xml::Error::Io(io) => source.read_error(Location::Line(line), io),
        other => source.error(
            Location::Line(line),
            None,
            format!("malformed XML ({other}); the feed must be well-formed Atom, as the arXiv API returns it"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arxiv_ids_lose_their_version() {
        assert_eq!(arxiv_id("http://arxiv.org/abs/2303.08774v2"), Some("2303.08774"));
        assert_eq!(arxiv_id("https://arxiv.org/abs/hep-th/9901001v1"), Some("hep-th/9901001"));
        assert_eq!(arxiv_id("http://arxiv.org/abs/2303.08774"), Some("2303.08774"));
        assert_eq!(arxiv_id("urn:uuid:1225c695"), None);
    }

    fn records(text: &'static str) -> Vec<Result<(Location, Record), RecordError>> {
        atom_records(Source { name: "t.xml".into(), gzipped: false }, Box::new(text.as_bytes())).collect()
    }

    #[test]
    fn an_arxiv_api_error_entry_is_an_error_not_a_paper() {
        let all = records(concat!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
            "<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id>\n",
            "<title>Error</title><summary>incorrect id format for 1234</summary></entry></feed>",
        ));
        let message = all[0].clone().unwrap_err().to_string();
        assert!(
            message.starts_with("t.xml:2: the arXiv API returned an error, not a paper: incorrect id format for 1234"),
            "{message}"
        );
    }

    #[test]
    fn a_root_that_is_not_a_feed_is_fatal() {
        let all = records("<?xml version=\"1.0\"?>\n<rss><item/></rss>");
        assert_eq!(all.len(), 1);
        let message = all[0].clone().unwrap_err().to_string();
        assert!(message.starts_with("t.xml:2: the root element is <rss>"), "{message}");
    }

    #[test]
    fn entries_are_located_and_malformed_xml_ends_the_stream() {
        let all = records(concat!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
            "  <title>query results</title>\n",
            "  <entry>\n",
            "    <title>A &amp; B</title>\n",
            "    <link href=\"http://arxiv.org/abs/1234.5678v1\"/>\n",
            "  </entry>\n",
            "  <entry>\n",
            "    <title>Broken</titel>\n",
            "  </entry>\n",
            "</feed>\n",
        ));
        assert_eq!(all.len(), 2);
        let (location, record) = all[0].clone().unwrap();
        assert_eq!((location, record.title.as_str()), (Location::Line(3), "A & B"));
        assert_eq!(record.url.as_deref(), Some("http://arxiv.org/abs/1234.5678v1"));
        let message = all[1].clone().unwrap_err().to_string();
        assert!(message.starts_with("t.xml:8: malformed XML"), "{message}");
    }
}
