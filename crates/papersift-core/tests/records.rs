//! Record parsing over the committed fixtures in `tests/fixtures/` (repository root).

use papersift_core::record::{read_records, Format, Location, Record, RecordError};

/// The fixture's bytes, by its path under `tests/fixtures/`.
fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/../../tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|error| panic!("cannot read fixture {full}: {error}"))
}

/// Every item of a fixture, read under `name` (which may differ from the file, to test naming).
fn read_as(name: &str, bytes: Vec<u8>, format: Option<Format>) -> Vec<Result<(Location, Record), RecordError>> {
    read_records(name, Box::new(std::io::Cursor::new(bytes)), format).collect()
}

fn items(path: &str) -> Vec<Result<(Location, Record), RecordError>> {
    read_as(path, fixture(path), None)
}

/// The records of a fixture that must parse without a single error.
fn records(path: &str) -> Vec<(Location, Record)> {
    items(path)
        .into_iter()
        .map(|item| item.unwrap_or_else(|error| panic!("{path} should parse cleanly: {error}")))
        .collect()
}

fn only_records(located: Vec<(Location, Record)>) -> Vec<Record> {
    located.into_iter().map(|(_, record)| record).collect()
}

fn lines(located: &[(Location, Record)]) -> Vec<usize> {
    located
        .iter()
        .map(|(location, _)| match location {
            Location::Line(line) => *line,
            Location::Record(n) => panic!("expected a line, got record {n}"),
        })
        .collect()
}

fn errors(path: &str) -> Vec<String> {
    items(path)
        .into_iter()
        .filter_map(Result::err)
        .map(|error| error.to_string())
        .collect()
}

#[test]
fn jsonl_fixture_parses_to_the_expected_records() {
    let located = records("papers.jsonl");
    assert_eq!(lines(&located), [1, 2, 3, 4, 5, 6]);
    let all = only_records(located);

    let first = &all[0];
    assert_eq!(first.id, "2503.11742");
    assert_eq!(
        first.title,
        "Safe Vision-Language Models via Unsafe Weights Manipulation"
    );
    assert!(first
        .abstract_text
        .starts_with("Vision-language models (VLMs) often inherit the biases"));
    assert_eq!(first.authors[0], "Moreno D'Incà");
    assert_eq!(first.authors.len(), 6);
    assert_eq!(first.year, Some(2025));
    assert_eq!(first.url.as_deref(), Some("https://arxiv.org/abs/2503.11742"));
    assert_eq!(
        (first.venue.as_deref(), first.doi.as_deref(), first.arxiv.as_deref()),
        (None, None, None)
    );

    // Aliases, a string year, an unknown field, no id and no url.
    let attention = &all[4];
    assert_eq!(attention.title, "Attention Is All You Need");
    assert!(attention
        .abstract_text
        .starts_with("The dominant sequence transduction models"));
    assert!(
        attention.abstract_text.contains("configuration. The best performing"),
        "whitespace runs collapse"
    );
    assert_eq!(
        attention.authors,
        ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit"]
    );
    assert_eq!(attention.year, Some(2017));
    assert_eq!(
        attention.venue.as_deref(),
        Some("Advances in Neural Information Processing Systems")
    );
    assert_eq!(attention.arxiv.as_deref(), Some("1706.03762"));
    assert_eq!(attention.url.as_deref(), Some("https://arxiv.org/abs/1706.03762"));
    assert_eq!(attention.id.len(), 12);
    assert!(
        attention.id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
        "{}",
        attention.id
    );

    // An integer id, `;`-separated authors, a DOI with its resolver prefix, a null url.
    let bert = &all[5];
    assert_eq!(bert.id, "42");
    assert_eq!(
        bert.authors,
        ["Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"]
    );
    assert_eq!(bert.doi.as_deref(), Some("10.18653/v1/N19-1423"));
    assert_eq!(bert.url.as_deref(), Some("https://doi.org/10.18653/v1/N19-1423"));
    assert_eq!(bert.venue.as_deref(), Some("NAACL-HLT"));
}

#[test]
fn json_array_fixture_equals_the_jsonl_records_and_locates_each_by_line() {
    let located = records("papers.json");
    assert_eq!(lines(&located), [2, 17, 31, 41]);
    assert_eq!(only_records(located), only_records(records("papers.jsonl"))[..4]);
}

#[test]
fn csv_fixture_equals_the_jsonl_records_and_locates_rows_by_line() {
    let located = records("papers.csv");
    // The second row's abstract is a quoted field spanning two lines.
    assert_eq!(lines(&located), [2, 3, 5, 6]);
    assert_eq!(only_records(located), only_records(records("papers.jsonl"))[..4]);
}

#[test]
fn bibtex_fixture_matches_the_jsonl_papers() {
    let located = records("papers.bib");
    assert_eq!(lines(&located), [10, 20, 29, 37]);
    let bib = only_records(located);
    let jsonl = only_records(records("papers.jsonl"));
    for (from_bib, from_jsonl) in bib.iter().zip(&jsonl) {
        assert_eq!(from_bib.id, from_jsonl.id);
        assert_eq!(from_bib.title, from_jsonl.title);
        assert_eq!(from_bib.abstract_text, from_jsonl.abstract_text);
        assert_eq!(
            from_bib.authors, from_jsonl.authors,
            "`Last, First` becomes `First Last`"
        );
        assert_eq!(from_bib.year, from_jsonl.year);
        assert_eq!(from_bib.url, from_jsonl.url, "arXiv links derive from `eprint`");
    }
    assert_eq!(bib[0].arxiv.as_deref(), Some("2503.11742"));
    assert_eq!(bib[2].authors, ["Benoit Thouîn"]);
    assert_eq!(
        bib[3].venue.as_deref(),
        Some("Proceedings of Machine Translation Summit X"),
        "@string macro"
    );
}

#[test]
fn bibtex_latex_accents_and_braces_are_decoded() {
    let all = only_records(records("latex_accents.bib"));
    let ids: Vec<&str> = all.iter().map(|record| record.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "schrodinger1926",
            "godel1931",
            "erdos1959",
            "devlin2019bert",
            "chollet2019measure"
        ]
    );

    assert_eq!(all[0].authors, ["Erwin Schrödinger"]);
    assert_eq!(all[0].venue.as_deref(), Some("Physical Review"));
    assert_eq!(all[0].url.as_deref(), Some("https://doi.org/10.1103/PhysRev.28.1049"));
    assert_eq!(
        all[1].title,
        "Über formal unentscheidbare Sätze der Principia Mathematica und verwandter Systeme I"
    );
    assert_eq!(all[1].authors, ["Kurt Gödel"]);
    assert_eq!(all[1].venue.as_deref(), Some("Monatshefte für Mathematik und Physik"));
    assert_eq!(all[1].doi.as_deref(), Some("10.1007/BF01700692"));
    assert_eq!(all[2].authors, ["Paul Erdős", "Alfréd Rényi"]);
    assert_eq!(all[2].venue.as_deref(), Some("Publicationes Mathematicae Debrecen"));
    assert_eq!(
        all[3].title,
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    );
    assert_eq!(all[3].year, Some(2019));
    assert_eq!(all[4].authors, ["François Chollet"]);
    assert_eq!(all[4].url.as_deref(), Some("https://arxiv.org/abs/1911.01547"));
}

#[test]
fn gzip_fixture_equals_its_plain_twin_whatever_its_name() {
    let plain = records("papers.jsonl");
    assert_eq!(records("papers.jsonl.gz"), plain);
    // Gzip is recognized by its bytes: under the plain name, and under no name at all.
    let as_plain_name: Vec<_> = read_as("papers.jsonl", fixture("papers.jsonl.gz"), None)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(as_plain_name, plain);
    let nameless: Vec<_> = read_as("upload", fixture("papers.jsonl.gz"), None)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(nameless, plain);
}

#[test]
fn format_is_detected_from_the_content_when_the_name_says_nothing() {
    for path in [
        "papers.jsonl",
        "papers.json",
        "papers.csv",
        "papers.bib",
        "latex_accents.bib",
    ] {
        let named = records(path);
        let unnamed: Vec<_> = read_as("stdin", fixture(path), None)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(unnamed, named, "{path} read without a name");
    }
    let corpus = fixture("../../data/daily_papers.txt");
    assert_eq!(read_as("stdin", corpus, None).len(), 78);
}

#[test]
fn an_explicit_format_wins_over_the_name() {
    let csv = read_as("misnamed.json", fixture("papers.csv"), Some(Format::Csv));
    assert_eq!(
        csv.into_iter().map(Result::unwrap).collect::<Vec<_>>(),
        records("papers.csv")
    );
    assert_eq!(Format::from_name("jsonl"), Some(Format::Jsonl));
    assert_eq!(Format::from_name("json"), Some(Format::Json));
    assert_eq!(Format::from_name("csv"), Some(Format::Csv));
    assert_eq!(Format::from_name("bib"), Some(Format::Bibtex));
    assert_eq!(Format::from_name("bibtex"), Some(Format::Bibtex));
    assert_eq!(Format::from_name("daily-papers"), Some(Format::DailyPapers));
    assert_eq!(Format::from_name("xml"), None);
    assert_eq!(Format::from_file_name("x.ndjson.gz"), Some(Format::Jsonl));
    assert_eq!(Format::detect(b"@article{k, title={T}}"), Format::Bibtex);
}

#[test]
fn derived_ids_are_stable_and_follow_the_content() {
    let id_of = |line: &str| {
        let items = read_as("ids.jsonl", line.as_bytes().to_vec(), None);
        items.into_iter().next().unwrap().unwrap().1.id
    };
    let first = id_of("{\"title\": \"Attention Is All You Need\", \"abstract\": \"Transformers.\"}");
    assert_eq!(
        first,
        id_of("{\"abstract\": \" Transformers.\", \"title\": \"Attention  Is All You Need\", \"year\": 2017}")
    );
    assert_ne!(
        first,
        id_of("{\"title\": \"Attention Is All You Need\", \"abstract\": \"Transformers!\"}")
    );
    assert_ne!(first, id_of("{\"title\": \"Attention Is All You Need Transformers.\"}"));
    // The same content gives the same id in every format.
    let csv = read_as(
        "ids.csv",
        b"title,abstract\nAttention Is All You Need,Transformers.\n".to_vec(),
        None,
    );
    assert_eq!(csv[0].as_ref().unwrap().1.id, first);
    // And across runs: pinned, so a change of hash or rendering is a visible decision.
    assert_eq!(first.len(), 12);
    assert_eq!(
        only_records(records("papers.jsonl"))[4].id,
        only_records(records("papers.jsonl.gz"))[4].id
    );
}

#[test]
fn the_default_corpus_gives_78_records() {
    let located = records("../../data/daily_papers.txt");
    assert_eq!(located.len(), 78);
    assert_eq!(located[0].0, Location::Line(11));
    let all = only_records(located);
    assert_eq!(all[0].title, "Unified Model for Image, Video, Audio and Language Tasks");
    assert!(
        all[0]
            .abstract_text
            .ends_with("released here: https://github.com/mshukor/UnIVAL."),
        "the URL stays in the text"
    );
    assert_eq!(all[0].url.as_deref(), Some("https://github.com/mshukor/UnIVAL"));
    assert_eq!(all[1].url.as_deref(), Some("https://github.com/lzw-lzw/UnifiedMLLM"));
    assert_eq!(all[2].url, None);
    assert!(all
        .iter()
        .all(|record| !record.title.is_empty() && record.abstract_text.len() > 1000));
    assert_eq!(
        all[77].title,
        "From Instructions to Intrinsic Human Values -- A Survey of Alignment Goals for Big Models"
    );
    let mut ids: Vec<&str> = all.iter().map(|record| record.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 78, "derived ids are distinct");
    let links = all.iter().filter(|record| record.url.is_some()).count();
    assert_eq!(links, 26);
}

#[test]
fn bad_fixtures_name_the_file_the_line_and_the_field() {
    let cases: &[(&str, &[&str])] = &[
        (
            "bad/wrong_type.jsonl",
            &["bad/wrong_type.jsonl:3: year: found a boolean (true); expected an integer"],
        ),
        (
            "bad/malformed.jsonl",
            &["bad/malformed.jsonl:2: malformed JSON (expected `,` or `}` at column 13)"],
        ),
        (
            "bad/empty_record.jsonl",
            &["bad/empty_record.jsonl:2: title: record has neither a title nor an abstract; add at least one"],
        ),
        (
            "bad/invalid_utf8.jsonl",
            &["bad/invalid_utf8.jsonl:2: line is not valid UTF-8"],
        ),
        (
            "bad/malformed.json",
            &["bad/malformed.json:6: malformed JSON array (expected `,` or `]` at column 3)"],
        ),
        (
            "bad/wrong_type.json",
            &["bad/wrong_type.json:6: authors: found an object; expected an array of strings"],
        ),
        (
            "bad/short_row.csv",
            &["bad/short_row.csv:3: row has 2 fields but the header has 3"],
        ),
        (
            "bad/bad_year.csv",
            &["bad/bad_year.csv:5: year: \"in press\" is not a year"],
        ),
        (
            "bad/bad_field.bib",
            &["bad/bad_field.bib:8: year: \"to appear\" is not a year"],
        ),
        (
            "bad/unclosed.bib",
            &["bad/unclosed.bib:6: entry is never closed; add the missing `}`"],
        ),
        (
            "bad/truncated.jsonl.gz",
            &["bad/truncated.jsonl.gz:", "the gzip data is corrupt or truncated"],
        ),
    ];
    for (path, expected) in cases {
        let found = errors(path);
        assert_eq!(found.len(), 1, "{path}: {found:#?}");
        for part in *expected {
            assert!(
                found[0].contains(part),
                "{path}: {:?} should contain {part:?}",
                found[0]
            );
        }
    }
}

#[test]
fn good_records_around_a_bad_one_still_come_through() {
    let ok_ids = |path: &str| -> Vec<String> {
        items(path)
            .into_iter()
            .filter_map(Result::ok)
            .map(|(_, record)| record.id)
            .collect()
    };
    assert_eq!(ok_ids("bad/wrong_type.jsonl"), ["2503.16910", "p2"]);
    assert_eq!(ok_ids("bad/malformed.jsonl"), ["2503.16910", "p3"]);
    assert_eq!(ok_ids("bad/wrong_type.json"), ["p1", "p2"]);
    assert_eq!(ok_ids("bad/short_row.csv"), ["p1", "p3"]);
    assert_eq!(ok_ids("bad/bad_year.csv"), ["p1", "p2"]);
    assert_eq!(ok_ids("bad/bad_field.bib"), ["hochreiter1997"]);
    assert_eq!(ok_ids("bad/unclosed.bib"), ["hochreiter1997", "hinton2006"]);
    // A malformed array is fatal: nothing is read from it.
    assert!(ok_ids("bad/malformed.json").is_empty());
}

#[test]
fn an_invalid_utf8_line_is_reported_and_the_stream_goes_on() {
    let all = items("bad/invalid_utf8.jsonl");
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].as_ref().unwrap().0, Location::Line(1));
    let error = all[1].as_ref().unwrap_err();
    assert_eq!(
        (error.source.as_str(), error.location),
        ("bad/invalid_utf8.jsonl", Location::Line(2))
    );
    let (location, record) = all[2].as_ref().unwrap();
    assert_eq!(
        (*location, record.title.as_str()),
        (Location::Line(3), "Still parsed after the bad line")
    );
}

#[test]
fn a_corrupt_gzip_stream_ends_the_stream_after_one_error() {
    let all = items("bad/truncated.jsonl.gz");
    let (good, bad): (Vec<_>, Vec<_>) = all.iter().partition(|item| item.is_ok());
    assert!(all.last().unwrap().is_err(), "the error comes last");
    assert_eq!(bad.len(), 1);
    let plain = records("papers.jsonl");
    for (item, expected) in good.iter().zip(&plain) {
        assert_eq!(item.as_ref().unwrap(), expected);
    }
}

#[test]
fn markup_in_a_title_is_kept_verbatim() {
    let all = only_records(records("xss.jsonl"));
    assert_eq!(all[0].title, "<img src=x onerror=alert(1)>");
    assert!(all[0].abstract_text.contains("<script>alert('abstract')</script>"));
    assert_eq!(all[0].authors, ["<b>Mallory</b>"]);
    assert_eq!(all[1].title, "Attention Is All You Need");
}

/// A reader that hands out one byte per `read`, as pipes and sockets may.
struct Trickle(std::io::Cursor<Vec<u8>>);

impl std::io::Read for Trickle {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let end = buffer.len().min(1);
        self.0.read(&mut buffer[..end])
    }
}

#[test]
fn short_reads_do_not_blind_gzip_or_format_detection() {
    // Regression: sniffing once looked at a single `read`, which saw only the first 2 bytes.
    for path in ["papers.csv", "papers.jsonl.gz", "papers.bib"] {
        let trickled: Vec<_> = read_records("stdin", Box::new(Trickle(std::io::Cursor::new(fixture(path)))), None)
            .map(Result::unwrap)
            .collect();
        assert_eq!(trickled, records(path), "{path} read one byte at a time");
    }
}
