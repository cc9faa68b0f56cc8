//! Record parsing over the committed fixtures in `tests/fixtures/` (repository root).

use papersift_core::record::{read_records, InputFormat, Location, Record, RecordError};

/// The fixture's bytes, by its path under `tests/fixtures/`.
fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/../../tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|error| panic!("cannot read fixture {full}: {error}"))
}

/// Every item of a fixture, read under `name` (which may differ from the file, to test naming).
fn read_as(name: &str, bytes: Vec<u8>, format: Option<InputFormat>) -> Vec<Result<(Location, Record), RecordError>> {
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
    items(path).into_iter().filter_map(Result::err).map(|error| error.to_string()).collect()
}

#[test]
fn jsonl_fixture_parses_to_the_expected_records() {
    let located = records("papers.jsonl");
    assert_eq!(lines(&located), [1, 2, 3, 4, 5, 6]);
    let all = only_records(located);

    let first = &all[0];
    assert_eq!(first.id, "2503.11742");
    assert_eq!(first.title, "Safe Vision-Language Models via Unsafe Weights Manipulation");
    assert!(first.abstract_text.starts_with("Vision-language models (VLMs) often inherit the biases"));
    assert_eq!(first.authors[0], "Moreno D'Incà");
    assert_eq!(first.authors.len(), 6);
    assert_eq!(first.year, Some(2025));
    assert_eq!(first.url.as_deref(), Some("https://arxiv.org/abs/2503.11742"));
    assert_eq!((first.venue.as_deref(), first.doi.as_deref(), first.arxiv.as_deref()), (None, None, None));

    // Aliases, a string year, an unknown field, no id and no url.
    let attention = &all[4];
    assert_eq!(attention.title, "Attention Is All You Need");
    assert!(attention.abstract_text.starts_with("The dominant sequence transduction models"));
    assert!(attention.abstract_text.contains("configuration. The best performing"), "whitespace runs collapse");
    assert_eq!(attention.authors, ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit"]);
    assert_eq!(attention.year, Some(2017));
    assert_eq!(attention.venue.as_deref(), Some("Advances in Neural Information Processing Systems"));
    assert_eq!(attention.arxiv.as_deref(), Some("1706.03762"));
    assert_eq!(attention.url.as_deref(), Some("https://arxiv.org/abs/1706.03762"));
    assert_eq!(attention.id.len(), 12);
    assert!(attention.id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')), "{}", attention.id);

    // An integer id, `;`-separated authors, a DOI with its resolver prefix, a null url.
    let bert = &all[5];
    assert_eq!(bert.id, "42");
    assert_eq!(bert.authors, ["Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"]);
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
        assert_eq!(from_bib.authors, from_jsonl.authors, "`Last, First` becomes `First Last`");
        assert_eq!(from_bib.year, from_jsonl.year);
        assert_eq!(from_bib.url, from_jsonl.url, "arXiv links derive from `eprint`");
    }
    assert_eq!(bib[0].arxiv.as_deref(), Some("2503.11742"));
    assert_eq!(bib[2].authors, ["Benoit Thouîn"]);
    assert_eq!(bib[3].venue.as_deref(), Some("Proceedings of Machine Translation Summit X"), "@string macro");
}

#[test]
fn bibtex_latex_accents_and_braces_are_decoded() {
    let all = only_records(records("latex_accents.bib"));
    let ids: Vec<&str> = all.iter().map(|record| record.id.as_str()).collect();
    assert_eq!(ids, ["schrodinger1926", "godel1931", "erdos1959", "devlin2019bert", "chollet2019measure"]);

    assert_eq!(all[0].authors, ["Erwin Schrödinger"]);
    assert_eq!(all[0].venue.as_deref(), Some("Physical Review"));
    assert_eq!(all[0].url.as_deref(), Some("https://doi.org/10.1103/PhysRev.28.1049"));
    assert_eq!(all[1].title, "Über formal unentscheidbare Sätze der Principia Mathematica und verwandter Systeme I");
    assert_eq!(all[1].authors, ["Kurt Gödel"]);
    assert_eq!(all[1].venue.as_deref(), Some("Monatshefte für Mathematik und Physik"));
    assert_eq!(all[1].doi.as_deref(), Some("10.1007/BF01700692"));
    assert_eq!(all[2].authors, ["Paul Erdős", "Alfréd Rényi"]);
    assert_eq!(all[2].venue.as_deref(), Some("Publicationes Mathematicae Debrecen"));
    assert_eq!(all[3].title, "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding");
    assert_eq!(all[3].year, Some(2019));
    assert_eq!(all[4].authors, ["François Chollet"]);
    assert_eq!(all[4].url.as_deref(), Some("https://arxiv.org/abs/1911.01547"));
}

#[test]
fn gzip_fixture_equals_its_plain_twin_whatever_its_name() {
    let plain = records("papers.jsonl");
    assert_eq!(records("papers.jsonl.gz"), plain);
    // Gzip is recognized by its bytes: under the plain name, and under no name at all.
    let as_plain_name: Vec<_> =
        read_as("papers.jsonl", fixture("papers.jsonl.gz"), None).into_iter().map(Result::unwrap).collect();
    assert_eq!(as_plain_name, plain);
    let nameless: Vec<_> =
        read_as("upload", fixture("papers.jsonl.gz"), None).into_iter().map(Result::unwrap).collect();
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
        "papers.csl.json",
        "papers.ris",
        "zotero.csv",
        "arxiv.xml",
        "papers_real.bib",
    ] {
        let named = records(path);
        let unnamed: Vec<_> = read_as("stdin", fixture(path), None).into_iter().map(Result::unwrap).collect();
        assert_eq!(unnamed, named, "{path} read without a name");
    }
    let corpus = fixture("../../data/daily_papers.txt");
    assert_eq!(read_as("stdin", corpus, None).len(), 78);
}

#[test]
fn an_explicit_format_wins_over_the_name() {
    let csv = read_as("misnamed.json", fixture("papers.csv"), Some(InputFormat::Csv));
    assert_eq!(csv.into_iter().map(Result::unwrap).collect::<Vec<_>>(), records("papers.csv"));
    let ris = read_as("export.txt", fixture("papers.ris"), Some(InputFormat::Ris));
    assert_eq!(ris.into_iter().map(Result::unwrap).collect::<Vec<_>>(), records("papers.ris"));
    for name in InputFormat::NAMES {
        let format = InputFormat::from_name(name).unwrap();
        assert_eq!(format.name(), *name, "every listed name round-trips");
    }
    assert_eq!(InputFormat::from_name("bib"), Some(InputFormat::Bibtex));
    assert_eq!(InputFormat::from_name("CSL-JSON"), Some(InputFormat::CslJson));
    assert_eq!(InputFormat::from_name("yaml"), None);
    assert_eq!(InputFormat::from_file_name("x.ndjson.gz"), Some(InputFormat::Jsonl));
    assert_eq!(InputFormat::from_file_name("x.ris"), Some(InputFormat::Ris));
    assert_eq!(InputFormat::detect(b"@article{k, title={T}}"), Some(InputFormat::Bibtex));
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
    assert_ne!(first, id_of("{\"title\": \"Attention Is All You Need\", \"abstract\": \"Transformers!\"}"));
    assert_ne!(first, id_of("{\"title\": \"Attention Is All You Need Transformers.\"}"));
    // The same content gives the same id in every format.
    let csv = read_as("ids.csv", b"title,abstract\nAttention Is All You Need,Transformers.\n".to_vec(), None);
    assert_eq!(csv[0].as_ref().unwrap().1.id, first);
    // And across runs: pinned, so a change of hash or rendering is a visible decision.
    assert_eq!(first.len(), 12);
    assert_eq!(only_records(records("papers.jsonl"))[4].id, only_records(records("papers.jsonl.gz"))[4].id);
}

#[test]
fn the_default_corpus_gives_78_records() {
    let located = records("../../data/daily_papers.txt");
    assert_eq!(located.len(), 78);
    assert_eq!(located[0].0, Location::Line(11));
    let all = only_records(located);
    assert_eq!(all[0].title, "Unified Model for Image, Video, Audio and Language Tasks");
    assert!(
        all[0].abstract_text.ends_with("released here: https://github.com/mshukor/UnIVAL."),
        "the URL stays in the text"
    );
    assert_eq!(all[0].url.as_deref(), Some("https://github.com/mshukor/UnIVAL"));
    assert_eq!(all[1].url.as_deref(), Some("https://github.com/lzw-lzw/UnifiedMLLM"));
    assert_eq!(all[2].url, None);
    assert!(all.iter().all(|record| !record.title.is_empty() && record.abstract_text.len() > 1000));
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
        ("bad/wrong_type.jsonl", &["bad/wrong_type.jsonl:3: year: found a boolean (true); expected an integer"]),
        ("bad/malformed.jsonl", &["bad/malformed.jsonl:2: malformed JSON (expected `,` or `}` at column 13)"]),
        (
            "bad/empty_record.jsonl",
            &["bad/empty_record.jsonl:2: title: record has neither a title nor an abstract; add at least one"],
        ),
        ("bad/invalid_utf8.jsonl", &["bad/invalid_utf8.jsonl:2: line is not valid UTF-8"]),
        ("bad/malformed.json", &["bad/malformed.json:6: malformed JSON array (expected `,` or `]` at column 3)"]),
        ("bad/wrong_type.json", &["bad/wrong_type.json:6: authors: found an object; expected an array of strings"]),
        ("bad/short_row.csv", &["bad/short_row.csv:3: row has 2 fields but the header has 3"]),
        ("bad/bad_year.csv", &["bad/bad_year.csv:5: year: \"in press\" is not a year"]),
        ("bad/bad_field.bib", &["bad/bad_field.bib:8: year: \"to appear\" is not a year"]),
        ("bad/unclosed.bib", &["bad/unclosed.bib:6: entry is never closed; add the missing `}`"]),
        (
            "bad/bad_author.csl.json",
            &["bad/bad_author.csl.json:3: author: element 2 has no \"family\" or \"literal\" name"],
        ),
        ("bad/bad_year.ris", &["bad/bad_year.ris:9: PY: \"in press\" is not a year"]),
        ("bad/bad_year_zotero.csv", &["bad/bad_year_zotero.csv:3: Publication Year: \"n.d.\" is not a year"]),
        ("bad/bad_published.xml", &["bad/bad_published.xml:10: published: \"someday\" is not a year"]),
        ("bad/missing_crossref.bib", &["bad/missing_crossref.bib:6: crossref: no entry has the key `nowhere2020`"]),
        (
            "bad/notes.dat",
            &["bad/notes.dat:1: cannot tell the format", "jsonl, json, csl-json, csv, bibtex, ris, atom, daily-papers"],
        ),
        ("bad/truncated.jsonl.gz", &["bad/truncated.jsonl.gz:", "the gzip data is corrupt or truncated"]),
    ];
    for (path, expected) in cases {
        let found = errors(path);
        assert_eq!(found.len(), 1, "{path}: {found:#?}");
        for part in *expected {
            assert!(found[0].contains(part), "{path}: {:?} should contain {part:?}", found[0]);
        }
    }
}

#[test]
fn good_records_around_a_bad_one_still_come_through() {
    let ok_ids = |path: &str| -> Vec<String> {
        items(path).into_iter().filter_map(Result::ok).map(|(_, record)| record.id).collect()
    };
    assert_eq!(ok_ids("bad/wrong_type.jsonl"), ["2503.16910", "p2"]);
    assert_eq!(ok_ids("bad/malformed.jsonl"), ["2503.16910", "p3"]);
    assert_eq!(ok_ids("bad/wrong_type.json"), ["p1", "p2"]);
    assert_eq!(ok_ids("bad/short_row.csv"), ["p1", "p3"]);
    assert_eq!(ok_ids("bad/bad_year.csv"), ["p1", "p2"]);
    assert_eq!(ok_ids("bad/bad_field.bib"), ["hochreiter1997"]);
    assert_eq!(ok_ids("bad/unclosed.bib"), ["hochreiter1997", "hinton2006"]);
    assert_eq!(ok_ids("bad/bad_author.csl.json"), ["good1", "good2"]);
    assert_eq!(ok_ids("bad/bad_year.ris"), ["r1", "r3"]);
    assert_eq!(ok_ids("bad/bad_year_zotero.csv"), ["K1", "K3"]);
    assert_eq!(ok_ids("bad/bad_published.xml"), ["2101.00001", "2101.00003"]);
    assert_eq!(ok_ids("bad/missing_crossref.bib"), ["fine2020"]);
    // A malformed array is fatal: nothing is read from it.
    assert!(ok_ids("bad/malformed.json").is_empty());
}

#[test]
fn an_invalid_utf8_line_is_reported_and_the_stream_goes_on() {
    let all = items("bad/invalid_utf8.jsonl");
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].as_ref().unwrap().0, Location::Line(1));
    let error = all[1].as_ref().unwrap_err();
    assert_eq!((error.source.as_str(), error.location), ("bad/invalid_utf8.jsonl", Location::Line(2)));
    let (location, record) = all[2].as_ref().unwrap();
    assert_eq!((*location, record.title.as_str()), (Location::Line(3), "Still parsed after the bad line"));
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
    for path in ["papers.csv", "papers.jsonl.gz", "papers.bib", "papers.ris", "arxiv.xml"] {
        let trickled: Vec<_> = read_records("stdin", Box::new(Trickle(std::io::Cursor::new(fixture(path)))), None)
            .map(Result::unwrap)
            .collect();
        assert_eq!(trickled, records(path), "{path} read one byte at a time");
    }
}

#[test]
fn csl_json_fixture_maps_names_dates_and_containers() {
    let located = records("papers.csl.json");
    assert_eq!(lines(&located), [2, 17, 30, 38]);
    let all = only_records(located);
    let attention = &all[0];
    assert_eq!(attention.id, "http://zotero.org/users/12345/items/VASWANI1");
    assert_eq!(attention.title, "Attention Is All You Need");
    assert_eq!(attention.authors, ["Ashish Vaswani", "Noam Shazeer", "Google Brain"]);
    assert_eq!(attention.year, Some(2017));
    assert_eq!(
        attention.venue.as_deref(),
        Some("Advances in Neural Information Processing Systems"),
        "container-title wins over publisher"
    );
    assert_eq!(attention.url.as_deref(), Some("https://arxiv.org/abs/1706.03762"));
    assert!(attention.abstract_text.starts_with("The dominant sequence"));

    let tsne = &all[1];
    assert_eq!(tsne.authors, ["Laurens van der Maaten", "Geoffrey Hinton Jr."]);
    assert_eq!(tsne.year, Some(2008), "date parts may be strings");
    assert_eq!(tsne.doi.as_deref(), Some("10.5555/1390681"));
    assert_eq!(tsne.url.as_deref(), Some("https://doi.org/10.5555/1390681"));

    assert_eq!((all[2].id.as_str(), all[2].year, all[2].url.as_deref()), ("42", Some(2015), None));
    assert_eq!((all[3].year, all[3].venue.as_deref()), (Some(2019), None));
}

#[test]
fn csl_json_lines_and_forced_format_read_the_same_items() {
    let array: serde_json::Value = serde_json::from_slice(&fixture("papers.csl.json")).unwrap();
    let jsonl: String = array.as_array().unwrap().iter().map(|item| format!("{item}\n")).collect();
    let from_lines: Vec<Record> =
        read_as("export.jsonl", jsonl.clone().into_bytes(), None).into_iter().map(|item| item.unwrap().1).collect();
    assert_eq!(from_lines, only_records(records("papers.csl.json")));
    let forced: Vec<Record> = read_as("upload", jsonl.into_bytes(), Some(InputFormat::CslJson))
        .into_iter()
        .map(|item| item.unwrap().1)
        .collect();
    assert_eq!(forced, from_lines);
    // A plain papersift object in a CSL file still reads by the shared names.
    let plain =
        read_as("x.json", br#"[{"title": "T", "issued": {"date-parts": [[1999]]}, "authors": ["A"]}]"#.to_vec(), None);
    let (_, record) = plain[0].as_ref().unwrap();
    assert_eq!((record.year, record.authors.clone()), (Some(1999), vec!["A".to_string()]));
}

#[test]
fn ris_fixture_reads_crlf_bom_continuations_and_tag_variants() {
    let located = records("papers.ris");
    assert_eq!(lines(&located), [1, 17, 28]);
    let all = only_records(located);
    let lstm = &all[0];
    assert_eq!(lstm.id, "hochreiter1997");
    assert_eq!(lstm.title, "Long Short-Term Memory");
    assert_eq!(lstm.authors, ["Sepp Hochreiter", "Jürgen Schmidhuber"]);
    assert_eq!(lstm.year, Some(1997));
    assert_eq!(lstm.venue.as_deref(), Some("Neural Computation"), "JF before JO");
    assert_eq!(
        lstm.abstract_text,
        "Learning to store information over extended time intervals by recurrent backpropagation takes a very long time, mostly because of insufficient, decaying error backflow."
    );
    assert_eq!(lstm.url.as_deref(), Some("https://doi.org/10.1162/neco.1997.9.8.1735"));

    let alexnet = &all[1];
    assert_eq!(alexnet.title, "ImageNet Classification with Deep Convolutional Neural Networks");
    assert_eq!(alexnet.authors, ["Alex Krizhevsky", "Ilya Sutskever", "Geoffrey E. Hinton"]);
    assert_eq!(alexnet.year, Some(2012));
    assert_eq!(alexnet.venue.as_deref(), Some("Advances in Neural Information Processing Systems 25"));
    assert!(alexnet.abstract_text.starts_with("We trained a large"));
    assert_eq!(alexnet.url.as_deref(), Some("https://papers.nips.cc/paper/4824"));
    assert_eq!(alexnet.id.len(), 12, "derived id");

    assert_eq!((all[2].year, all[2].venue.as_deref()), (Some(2019), Some("The Book of Examples")));
}

#[test]
fn a_ris_file_without_an_extension_is_not_read_as_the_daily_dump() {
    // Regression: unrecognized input fell back to the dump parser, so each RIS line became a paper.
    let all = read_as("upload", fixture("papers.ris"), None);
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(Result::is_ok));
}

#[test]
fn zotero_csv_fixture_maps_zotero_columns() {
    let located = records("zotero.csv");
    assert_eq!(lines(&located), [2, 3, 5]);
    let all = only_records(located);
    assert_eq!(all[0].id, "H7Q2K9ZX");
    assert_eq!(all[0].title, "Deep learning");
    assert_eq!(all[0].authors, ["Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"]);
    assert_eq!((all[0].year, all[0].venue.as_deref()), (Some(2015), Some("Nature")));
    assert_eq!(all[0].url.as_deref(), Some("https://doi.org/10.1038/nature14539"));
    assert!(all[0].abstract_text.starts_with("Deep learning allows"));
    assert_eq!(all[1].url.as_deref(), Some("https://aclanthology.org/N19-1423"));
    assert!(all[1].abstract_text.contains("BERT, which stands"), "{}", all[1].abstract_text);
    assert_eq!(all[2].authors, ["OpenAI"]);
    assert_eq!((all[2].year, all[2].venue.as_deref()), (None, None));
    assert_eq!(all[2].doi.as_deref(), Some("10.48550/arXiv.2303.08774"));
    // The generic CSV keeps its own names.
    assert_eq!(records("papers.csv").len(), 4);
}

#[test]
fn arxiv_atom_fixture_reads_entries_only() {
    let located = records("arxiv.xml");
    assert_eq!(lines(&located), [8, 33, 46]);
    let all = only_records(located);
    let attention = &all[0];
    assert_eq!(attention.id, "1706.03762");
    assert_eq!(attention.arxiv.as_deref(), Some("1706.03762"));
    assert_eq!(attention.title, "Attention Is All You Need");
    assert!(attention.abstract_text.starts_with("The dominant sequence transduction models"));
    assert!(attention.abstract_text.contains("the Transformer & friends, based solely"));
    assert_eq!(attention.authors, ["Ashish Vaswani", "Noam Shazeer"]);
    assert_eq!(attention.year, Some(2017));
    assert_eq!(attention.venue.as_deref(), Some("Advances in Neural Information Processing Systems 30 (2017)"));
    assert_eq!(attention.url.as_deref(), Some("http://arxiv.org/abs/1706.03762v7"));

    let maldacena = &all[1];
    assert_eq!(maldacena.id, "hep-th/9711200");
    assert_eq!(maldacena.doi.as_deref(), Some("10.1023/A:1026654312961"));
    assert!(maldacena.abstract_text.contains("<in various dimensions>"), "CDATA stays text");
    assert_eq!(maldacena.url.as_deref(), Some("http://arxiv.org/abs/hep-th/9711200v3"));
    assert_eq!(maldacena.year, Some(1997));

    assert_eq!(all[2].url.as_deref(), Some("https://arxiv.org/abs/2303.08774"), "derived from the id");
    assert_eq!(all[2].authors, ["OpenAI"]);
}

#[test]
fn real_bibtex_macros_crossref_math_and_markup() {
    let located = records("papers_real.bib");
    assert_eq!(lines(&located), [10, 20, 28, 35]);
    let all = only_records(located);
    let adam = &all[0];
    assert_eq!(adam.venue.as_deref(), Some("Journal of Machine Learning Research"), "@string");
    assert_eq!(adam.year, Some(2014), "`month = dec` is a known macro");
    assert_eq!(adam.authors, ["Diederik P. Kingma", "Jimmy Ba"]);

    let amari = &all[1];
    assert_eq!(amari.title, "The α-Divergence and Information Geometry of O(n^2) Models");
    assert_eq!(
        amari.venue.as_deref(),
        Some("Proceedings of the 33rd International Conference on Machine Learning"),
        "the parent's title becomes the booktitle"
    );
    assert_eq!(amari.year, Some(2016), "inherited from a parent defined later");

    let bridges = &all[2];
    assert_eq!(bridges.title, "Schrödinger Bridges for GANs: a Case Study");
    assert_eq!(bridges.authors, ["Jérôme Müller", "Anders Ångström"]);
    assert_eq!(bridges.doi.as_deref(), Some("10.5555/example.2016"));

    assert_eq!(all[3].id, "icml2016");
    assert!(all.iter().all(|record| record.title != "Not a paper"), "@comment is skipped");
}

#[test]
fn the_dump_parser_needs_a_txt_name_or_the_dump_shape() {
    let corpus = fixture("../../data/daily_papers.txt");
    assert_eq!(InputFormat::detect(&corpus[..16 * 1024]), Some(InputFormat::DailyPapers));
    let notes = b"Reading list\nAttention is all you need\nBERT\n".to_vec();
    assert_eq!(InputFormat::detect(&notes), None);
    let as_txt = read_as("notes.txt", notes.clone(), None);
    assert_eq!(as_txt.len(), 3, "a .txt name still chooses the dump parser");
    let unnamed = read_as("notes", notes, None);
    assert_eq!(unnamed.len(), 1);
    assert!(unnamed[0].as_ref().unwrap_err().reason.starts_with("cannot tell the format"));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the bytes, reading never panics, and every item is a record or a located error.
        #[test]
        fn any_bytes_read_without_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400), format in 0usize..9) {
            let format = InputFormat::NAMES.get(format).and_then(|name| InputFormat::from_name(name));
            for item in read_as("fuzz", bytes, format).into_iter().take(1000) {
                if let Err(error) = item {
                    prop_assert!(!error.reason.is_empty());
                }
            }
        }

        /// A RIS record's fields come back whatever the line endings and wrapping.
        #[test]
        fn ris_round_trips_titles_and_years(
            title in "[A-Za-z][A-Za-z0-9 ]{0,40}[A-Za-z0-9]",
            year in 1000u16..=2999,
            crlf in any::<bool>(),
        ) {
            let end = if crlf { "\r\n" } else { "\n" };
            let text = format!("TY  - JOUR{end}TI  - {title}{end}PY  - {year}///{end}ER  - {end}");
            let all = read_as("p.ris", text.into_bytes(), None);
            prop_assert_eq!(all.len(), 1);
            let (_, record) = all[0].clone().unwrap();
            prop_assert_eq!(record.title, title.split_whitespace().collect::<Vec<_>>().join(" "));
            prop_assert_eq!(record.year, Some(year));
        }
    }
}

#[test]
fn every_readme_input_example_reads_as_one_record() {
    let readme = std::fs::read_to_string(format!("{}/../../README.md", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let mut seen = Vec::new();
    for part in readme.split("<!-- input-example: ").skip(1) {
        let (name, rest) = part.split_once(" -->").unwrap();
        let block = rest.split_once("```").unwrap().1;
        let body = block.split_once('\n').unwrap().1;
        let example = &body[..body.find("```").unwrap()];
        let all = read_as(name, example.as_bytes().to_vec(), None);
        assert_eq!(all.len(), 1, "{name}: {all:#?}");
        let (_, record) = all[0].as_ref().unwrap_or_else(|error| panic!("{name}: {error}"));
        assert!(record.title.starts_with("Attention Is All You Need"), "{name}: {record:?}");
        seen.push(InputFormat::detect(example.as_bytes()).map(InputFormat::name));
    }
    assert_eq!(seen.len(), 9, "one example per format");
    for format in InputFormat::NAMES {
        assert!(seen.contains(&Some(*format)), "no README example is detected as {format}: {seen:?}");
    }
}

#[test]
fn every_new_format_reads_the_same_gzipped_whatever_its_name() {
    use std::io::Write;
    for path in ["papers.csl.json", "papers.ris", "zotero.csv", "arxiv.xml", "papers_real.bib"] {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(&fixture(path)).unwrap();
        let gz = encoder.finish().unwrap();
        let plain = records(path);
        for name in [format!("{path}.gz"), "upload".to_string()] {
            let read: Vec<_> = read_as(&name, gz.clone(), None)
                .into_iter()
                .map(|item| item.unwrap_or_else(|error| panic!("{name}: {error}")))
                .collect();
            assert_eq!(read, plain, "{name}");
        }
    }
}
