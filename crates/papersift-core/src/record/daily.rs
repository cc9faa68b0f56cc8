//! The Daily Papers page dump: page chrome at the top, then a title line and an abstract line per
//! paper, blank lines between. Streamed line by line.
//!
//! The dump has no markers, so lines are paired by length: a line longer than
//! [`LONGEST_TITLE`] characters can only be an abstract; a shorter one is a title.
//! - a title followed by an abstract is one record;
//! - a title followed by another title is a title-only record (the second title starts the next);
//! - an abstract with no title before it is an abstract-only record;
//! - a title on the last line is a title-only record.
//!
//! A URL ending the abstract (`... code at https://github.com/x/y.`) becomes the record's `url`
//! and stays in the text.

use std::io::BufRead;

use super::input::{Line, LineReader, Source};
use super::validate::{Draft, RecordField};
use super::{Location, Record, RecordError, RecordStream};

/// The page chrome a dump starts with, skipped (in any order, any subset) before the first paper.
const CHROME: &[&str] = &[
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "by AK and the research community",
];

/// Titles in the real dumps stay under 170 characters and abstracts over 1,000; 300 leaves room.
pub(crate) const LONGEST_TITLE: usize = 300;

pub(crate) fn daily_records<'a>(source: Source, reader: Box<dyn BufRead + 'a>) -> RecordStream<'a> {
    let mut lines = LineReader::new(reader);
    let mut in_chrome = true;
    let mut pending_title: Option<(usize, String)> = None;
    let mut ended = false;
    Box::new(std::iter::from_fn(move || loop {
        if ended {
            return None;
        }
        let next_line_number = lines.line() + 1;
        let Some(next) = lines.next_line() else {
            ended = true;
            let (line, title) = pending_title.take()?;
            return Some(record(&source, line, &title, ""));
        };
        match next {
            Err(error) => {
                ended = true;
                return Some(Err(source.read_error(Location::Line(next_line_number), &error)));
            }
            Ok(Line::NotUtf8(line)) => return Some(Err(source.utf8_error(line))),
            Ok(Line::Text(line, text)) => {
                let text = text.trim();
                if text.is_empty() {
                    continue;
                }
                if in_chrome {
                    if CHROME.contains(&text) {
                        continue;
                    }
                    in_chrome = false;
                }
                let is_abstract = text.len() > LONGEST_TITLE && text.chars().count() > LONGEST_TITLE;
                match (pending_title.take(), is_abstract) {
                    (Some((title_line, title)), true) => return Some(record(&source, title_line, &title, text)),
                    (Some((title_line, title)), false) => {
                        pending_title = Some((line, text.to_string()));
                        return Some(record(&source, title_line, &title, ""));
                    }
                    (None, true) => return Some(record(&source, line, "", text)),
                    (None, false) => pending_title = Some((line, text.to_string())),
                }
            }
        }
    }))
}

fn record(source: &Source, line: usize, title: &str, abstract_text: &str) -> Result<(Location, Record), RecordError> {
    let location = Location::Line(line);
    let mut draft = Draft::default();
    let filled = draft
        .set_str("title", RecordField::Title, 0, title)
        .and_then(|()| draft.set_str("abstract", RecordField::Abstract, 0, abstract_text));
    if let Some(url) = trailing_url(abstract_text) {
        let _ = draft.set_str("url", RecordField::Url, 0, &url);
    }
    filled
        .and_then(|()| draft.finish())
        .map(|record| (location, record))
        .map_err(|error| source.field_error(location, error))
}

/// The URL that ends `text`, without the sentence's closing punctuation.
pub(crate) fn trailing_url(text: &str) -> Option<String> {
    let mut words = text.split_whitespace().rev();
    let mut last = words.next()?;
    // "... open-sourced at https://github.com/x/y ." has the full stop as its own word.
    if last.chars().all(|c| c.is_ascii_punctuation()) {
        last = words.next()?;
    }
    let start = last.find("https://").or_else(|| last.find("http://"))?;
    if !last[..start].chars().all(|c| c.is_ascii_punctuation()) {
        return None;
    }
    let mut url = &last[start..];
    // A LaTeX `\href{url}{url}` flattened by the page: `https://x{https://x}`.
    if let Some(brace) = url.find('{') {
        url = &url[..brace];
    }
    loop {
        let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '"', '\'', ']', '}']);
        let trimmed = match trimmed.strip_suffix(')') {
            Some(rest) if trimmed.matches('(').count() < trimmed.matches(')').count() => rest,
            _ => trimmed,
        };
        if trimmed.len() == url.len() {
            break;
        }
        url = trimmed;
    }
    let host = url.split_once("://")?.1;
    host.contains('.').then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_urls_lose_sentence_punctuation() {
        assert_eq!(
            trailing_url("Code: https://github.com/mshukor/UnIVAL.").as_deref(),
            Some("https://github.com/mshukor/UnIVAL")
        );
        assert_eq!(
            trailing_url("(Our code is in https://github.com/LZY-the-boys/Twin-Mergin.)").as_deref(),
            Some("https://github.com/LZY-the-boys/Twin-Mergin")
        );
        assert_eq!(
            trailing_url("at https://github.com/w/OV-DINO{https://github.com/w/OV-DINO}.").as_deref(),
            Some("https://github.com/w/OV-DINO")
        );
        assert_eq!(
            trailing_url("at https://github.com/S/PLeaS-Merging .").as_deref(),
            Some("https://github.com/S/PLeaS-Merging")
        );
        assert_eq!(
            trailing_url("see https://en.wikipedia.org/wiki/X_(y)").as_deref(),
            Some("https://en.wikipedia.org/wiki/X_(y)")
        );
        assert_eq!(trailing_url("https://a.org/x is mid-sentence, not trailing."), None);
        assert_eq!(trailing_url("ends with https://"), None);
        assert_eq!(trailing_url(""), None);
    }

    fn records(text: &'static str) -> Vec<Result<(Location, Record), RecordError>> {
        daily_records(Source { name: "d.txt".into(), gzipped: false }, Box::new(text.as_bytes())).collect()
    }

    #[test]
    fn lines_pair_by_length() {
        let long = "An abstract that is long enough. ".repeat(12);
        let text = format!(
            "Subscribe\n\nnew\n\nTitle one\n\n{long}\n\nTitle two\n\nTitle three\n\n{long}\n\n{long}\n\nLast title"
        );
        let text: &'static str = Box::leak(text.into_boxed_str());
        let all: Vec<(Location, Record)> = records(text).into_iter().map(Result::unwrap).collect();
        let shape: Vec<(Location, &str, bool)> =
            all.iter().map(|(at, r)| (*at, r.title.as_str(), r.abstract_text.is_empty())).collect();
        assert_eq!(
            shape,
            [
                (Location::Line(5), "Title one", false),
                (Location::Line(9), "Title two", true),
                (Location::Line(11), "Title three", false),
                (Location::Line(15), "", false),
                (Location::Line(17), "Last title", true),
            ]
        );
    }

    #[test]
    fn chrome_is_skipped_only_at_the_top() {
        let all = records("Daily Papers\n\nnew\n\nA title\n\nSubscribe\n");
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].clone().unwrap().1.title, "A title");
        assert_eq!(all[1].clone().unwrap(), (Location::Line(7), all[1].clone().unwrap().1));
        assert_eq!(all[1].clone().unwrap().1.title, "Subscribe");
    }
}
