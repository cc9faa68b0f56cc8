//! Every record parser, through the entry point `papersift build` uses (`build_pieces`: format
//! detection, gzip, parsing, validation, duplicate ids), then the index it builds. Input: a mode
//! byte, then the file. The mode's low four bits pick the format: detected from the content,
//! from a file name's extension, or given explicitly (`--format`); bit 7 is `--skip-invalid`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use papersift_core::builder::{build_pieces, BuildError, BuildOptions, Source};
use papersift_core::record::{InputFormat, Location, RecordError};
use papersift_core::{cite, Index};
use papersift_fuzz::exercise;

const SOURCES: [(&str, Option<InputFormat>); 16] = [
    ("input", None),
    ("papers.jsonl", None),
    ("papers.json", None),
    ("papers.csv", None),
    ("papers.bib", None),
    ("papers.ris", None),
    ("papers.xml", None),
    ("papers.txt", None),
    ("input", Some(InputFormat::Jsonl)),
    ("input", Some(InputFormat::Json)),
    ("input", Some(InputFormat::CslJson)),
    ("input", Some(InputFormat::Csv)),
    ("input", Some(InputFormat::Bibtex)),
    ("input", Some(InputFormat::Ris)),
    ("input", Some(InputFormat::Atom)),
    ("input", Some(InputFormat::DailyPapers)),
];

/// Every error names its source and a 1-based line or record.
fn check_located(name: &str, error: &RecordError) {
    assert_eq!(error.source, name, "{error}");
    let (Location::Line(at) | Location::Record(at)) = error.location;
    assert!(at >= 1, "location 0 in {error}");
    assert!(!error.reason.is_empty(), "{error}");
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, content)) = data.split_first() else { return };
    let (name, format) = SOURCES[usize::from(mode & 0x0f)];
    let options = BuildOptions { skip_invalid: mode & 0x80 != 0, ..BuildOptions::default() };
    let source = Source { name: name.to_string(), reader: Box::new(content), format };
    match build_pieces(vec![source], &options) {
        Ok((built, report)) => {
            assert_eq!(report.read, report.indexed + report.skipped.len(), "records read = indexed + skipped");
            report.skipped.listed().iter().for_each(|error| check_located(name, error));
            let file = built.single_file().expect("an in-memory build reads its pieces back");
            let index = Index::from_bytes(file).expect("a built index loads");
            assert_eq!(index.doc_count(), report.indexed);
            for doc in 0..index.doc_count().min(8) as u32 {
                let record = index.record(doc).expect("a single file holds every record");
                let _ = cite::bibtex(&record);
                let found = index.record_by_id(&record.id).expect("every record is found by its id");
                assert_eq!(found.id, record.id);
            }
            exercise(&index);
        }
        Err(BuildError::Records { errors, .. }) => {
            assert!(!errors.is_empty(), "a failed build names at least one bad record");
            errors.listed().iter().for_each(|e| check_located(name, e));
            let _ = errors.lines().count();
        }
        Err(BuildError::Scratch(error)) => panic!("an in-memory build failed: {error}"),
    }
});
