//! Bounded memory for any input: hostile inputs, generated here (nothing big is committed), end
//! in an error that names the file, the line and the limit, or build in bounded memory with every
//! record accounted for (read = indexed + skipped).

use std::io::{Read, Write};

use papersift_core::builder::{build_pieces, BuildError, BuildOptions, Source};
use papersift_core::record::{
    read_records, InputFormat, Location, RecordError, GZIP_RATIO_FLOOR, MAX_GZIP_RATIO, MAX_LINE_BYTES,
    MAX_LISTED_ERRORS, MAX_WHOLE_INPUT_BYTES,
};

/// `head`, then `body` repeated until `length` bytes in all, then `tail`: generated as read, so
/// a 100 MB input costs no memory.
struct Generated {
    parts: Vec<(Vec<u8>, u64)>,
    part: usize,
    at: u64,
}

impl Generated {
    fn new(head: &str, body: &str, length: u64, tail: &str) -> Self {
        // Whole repetitions of `body` only, so a generated record is never cut.
        let body_length =
            length.saturating_sub((head.len() + tail.len()) as u64) / body.len() as u64 * body.len() as u64;
        Generated {
            parts: vec![
                (head.as_bytes().to_vec(), head.len() as u64),
                (body.as_bytes().to_vec(), body_length),
                (tail.as_bytes().to_vec(), tail.len() as u64),
            ],
            part: 0,
            at: 0,
        }
    }
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while let Some((pattern, length)) = self.parts.get(self.part) {
            if self.at == *length || pattern.is_empty() {
                self.part += 1;
                self.at = 0;
                continue;
            }
            let n = buf.len().min((length - self.at) as usize);
            for (i, byte) in buf[..n].iter_mut().enumerate() {
                *byte = pattern[((self.at + i as u64) % pattern.len() as u64) as usize];
            }
            self.at += n as u64;
            return Ok(n);
        }
        Ok(0)
    }
}

fn read_all(
    name: &str,
    reader: impl Read + 'static,
    format: Option<InputFormat>,
) -> Vec<Result<Location, RecordError>> {
    read_records(name, Box::new(reader), format).map(|item| item.map(|(location, _)| location)).collect()
}

#[test]
fn a_100_mb_line_stops_the_reading_with_its_file_and_line() {
    let good = "{\"id\":\"a\",\"title\":\"A paper\"}\n{\"id\":\"b\",\"title\":\"Another\"}\n";
    let input = Generated::new(good, "x", 100 << 20, "\n");
    let items = read_all("huge.jsonl", input, None);
    assert_eq!(items.len(), 3, "two records, then the error ends the stream");
    assert_eq!(items[0], Ok(Location::Line(1)));
    let error = items[2].clone().unwrap_err();
    assert_eq!(error.location, Location::Line(3));
    assert!(error.to_string().starts_with("huge.jsonl:3: line is longer than 1 MiB"), "{error}");
}

#[test]
fn every_line_based_format_refuses_a_line_past_the_limit() {
    let long = MAX_LINE_BYTES as u64 + 1_000;
    for (name, head) in [
        ("a.csv", "id,title\n1,"),
        ("a.ris", "TY  - JOUR\nTI  - "),
        ("a.bib", "@article{k, title = {"),
        ("a.xml", "<?xml version=\"1.0\"?>\n<feed><entry><title>"),
        ("a.txt", "Daily Papers\n\n"),
        ("a.jsonl", "{\"title\": \""),
    ] {
        let items = read_all(name, Generated::new(head, "word ", long, "\n"), None);
        let errors: Vec<String> = items.iter().filter_map(|item| item.clone().err()).map(|e| e.to_string()).collect();
        let limit = errors.iter().find(|e| e.contains("longer than 1 MiB"));
        let limit = limit.unwrap_or_else(|| panic!("{name}: {errors:?}"));
        assert!(limit.starts_with(&format!("{name}:")), "{name}: {limit}");
        assert!(items.len() <= 2, "{name}: {} items", items.len());
    }
}

#[test]
fn a_minified_json_array_may_be_one_long_line() {
    let record = "{\"title\": \"A paper about merging models\"},";
    let input = Generated::new("[", record, 2 * MAX_LINE_BYTES as u64, "{\"title\": \"last\"}]");
    let items = read_all("minified.json", input, None);
    assert!(items.len() > 40_000 && items.iter().all(Result::is_ok), "{} items", items.len());
}

#[test]
fn input_read_whole_past_its_limit_is_refused_by_name() {
    let input = Generated::new("[", "{\"title\": \"x\"},\n", MAX_WHOLE_INPUT_BYTES as u64 + 100, "{}]");
    let items = read_all("big.json", input, None);
    assert_eq!(items.len(), 1);
    let error = items[0].clone().unwrap_err().to_string();
    assert!(error.starts_with("big.json:") && error.contains("larger than 256 MiB"), "{error}");
}

#[test]
fn an_unclosed_brace_at_the_top_of_a_bibtex_file_costs_only_its_entry() {
    let entries: String = (0..10_000).map(|i| format!("@misc{{k{i},\n  title = {{Paper {i}}}\n}}\n")).collect();
    let bib = format!("@article{{open,\n  title = {{Never closed\n\n{entries}");
    let options = BuildOptions { skip_invalid: true, ..BuildOptions::default() };
    let (_, report) = build_pieces(vec![Source::from_bytes("refs.bib", bib.as_bytes())], &options).unwrap();
    assert_eq!((report.read, report.indexed, report.skipped.len()), (10_001, 10_000, 1));
    assert_eq!(
        report.skipped.listed()[0].to_string(),
        "refs.bib:1: entry is never closed; add the missing `}` (or remove an extra `{`)"
    );
}

/// Gzip members of `member_bytes` newlines each, `members` of them, concatenated (which gzip
/// allows): inflates a thousand times, compressing only one member.
fn gzip_bomb(member_bytes: usize, members: usize) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![b'\n'; member_bytes]).unwrap();
    encoder.finish().unwrap().repeat(members)
}

#[test]
fn a_gzip_bomb_stops_past_the_inflation_limit() {
    let member = 4 << 20;
    let bomb = gzip_bomb(member, 2 * GZIP_RATIO_FLOOR as usize / member);
    assert!(bomb.len() as u64 * MAX_GZIP_RATIO < 2 * GZIP_RATIO_FLOOR, "the test input is a bomb");
    let items = read_all("bomb.jsonl.gz", std::io::Cursor::new(bomb), None);
    assert_eq!(items.len(), 1, "blank lines are no records; the limit is the one item");
    let error = items[0].clone().unwrap_err().to_string();
    assert!(error.starts_with("bomb.jsonl.gz:") && error.contains("inflates more than 100 times"), "{error}");
}

#[test]
fn gzip_of_ordinary_text_is_read_to_the_end() {
    let jsonl: String = (0..2_000).map(|i| format!("{{\"id\":\"{i}\",\"title\":\"Paper number {i}\"}}\n")).collect();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(jsonl.as_bytes()).unwrap();
    let items = read_all("p.jsonl.gz", std::io::Cursor::new(encoder.finish().unwrap()), None);
    assert_eq!(items.len(), 2_000);
    assert!(items.iter().all(Result::is_ok));
}

#[test]
fn many_records_with_one_id_are_counted_and_their_errors_summarized() {
    let count = 200_000u64;
    let line = "{\"id\":\"same\",\"title\":\"A paper\"}\n";
    let input = Generated::new("", line, count * line.len() as u64, "");
    let options = BuildOptions { skip_invalid: true, ..BuildOptions::default() };
    let source = Source { name: "same.jsonl".into(), reader: Box::new(input), format: None };
    let (_, report) = build_pieces(vec![source], &options).unwrap();
    assert_eq!((report.read, report.indexed, report.skipped.len()), (count as usize, 1, count as usize - 1));
    let lines: Vec<String> = report.skipped.lines().collect();
    assert_eq!(lines.len(), MAX_LISTED_ERRORS + 1);
    assert!(lines[0].starts_with("same.jsonl:2: id: duplicate id `same`"), "{}", lines[0]);
    let rest = count as usize - 1 - MAX_LISTED_ERRORS;
    assert!(lines[MAX_LISTED_ERRORS].starts_with(&format!("… and {rest} more in same.jsonl, field id")), "{lines:?}");

    // Strict, the build fails with the same bounded list.
    let input = Generated::new("", line, 1_000 * line.len() as u64, "");
    let source = Source { name: "same.jsonl".into(), reader: Box::new(input), format: None };
    let Err(BuildError::Records { errors, .. }) = build_pieces(vec![source], &BuildOptions::default()) else {
        panic!("duplicates fail a strict build with their records")
    };
    assert_eq!((errors.len(), errors.lines().count()), (999, MAX_LISTED_ERRORS + 1));
}

#[test]
fn deeply_nested_json_is_an_error_on_its_line_not_a_stack_overflow() {
    // 400 KB: within the line limit, far past the recursion limit.
    let depth = 200_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let jsonl = format!("{{\"title\": \"ok\"}}\n{{\"title\": {nested}}}\n{{\"title\": \"after\"}}\n");
    let items = read_all("deep.jsonl", std::io::Cursor::new(jsonl.into_bytes()), None);
    assert_eq!(items.len(), 3, "the nested line costs only itself");
    let error = items[1].clone().unwrap_err().to_string();
    assert!(error.starts_with("deep.jsonl:2: malformed JSON (recursion limit exceeded"), "{error}");

    for (name, text) in [
        ("deep.json", format!("[{{\"title\": \"ok\"}}, {{\"title\": {nested}}}]")),
        ("deep.csl.json", format!("[{{\"title\": \"ok\", \"issued\": {nested}}}]")),
        ("top.json", format!("[{nested}]")),
    ] {
        let items = read_all(name, std::io::Cursor::new(text.into_bytes()), None);
        let error = items.iter().find_map(|item| item.clone().err()).unwrap_or_else(|| panic!("{name}: no error"));
        assert!(error.to_string().contains("recursion limit"), "{name}: {error}");
    }
}
