//! A build's memory is bounded by construction: whatever it holds past its budget goes to
//! scratch as sorted runs, merged at the end, and the index is byte for byte the same however
//! many runs there were.

use std::sync::Arc;

use papersift_core::builder::scratch::InMemory;
use papersift_core::builder::{build_pieces, BuildMemory, BuildOptions, BuiltIndex, IndexBuilder, PieceSizes, Source};
use papersift_core::record::read_records;

const DAILY: &[u8] = include_bytes!("../../../data/daily_papers.txt");
const FIXTURE: &[u8] = include_bytes!("../../../tests/fixtures/papers.jsonl");

fn build(sizes: PieceSizes, run_bytes: usize) -> BuiltIndex {
    let sources = vec![Source::from_bytes("daily_papers.txt", DAILY), Source::from_bytes("papers.jsonl", FIXTURE)];
    let memory = BuildMemory { scratch: Arc::new(InMemory), run_bytes };
    let options = BuildOptions { skip_invalid: true, sizes, memory };
    build_pieces(sources, &options).unwrap().0
}

fn pieces(built: &BuiltIndex) -> Vec<(String, Vec<u8>)> {
    built.named_pieces().collect::<std::io::Result<_>>().unwrap()
}

#[test]
fn a_run_per_document_gives_the_same_index_as_one_run() {
    for sizes in [PieceSizes::default(), PieceSizes::tiny()] {
        let one_run = build(sizes, usize::MAX);
        // A budget of one byte: every document's postings pass it, so each is written as a run.
        let many_runs = build(sizes, 1);
        assert_eq!(many_runs.root, one_run.root, "{sizes:?}");
        assert_eq!(pieces(&many_runs), pieces(&one_run), "{sizes:?}");
        assert_eq!(many_runs.single_file().unwrap(), one_run.single_file().unwrap(), "{sizes:?}");
    }
}

#[test]
fn the_builder_holds_no_more_than_its_budget_between_documents() {
    let records: Vec<_> = read_records("daily_papers.txt", Box::new(DAILY), None).map(|item| item.unwrap().1).collect();
    assert!(records.len() > 50);
    for (run_bytes, expect_runs) in [(1usize, records.len()), (usize::MAX, 0)] {
        let memory = BuildMemory { scratch: Arc::new(InMemory), run_bytes };
        let mut builder = IndexBuilder::with_memory(memory).unwrap();
        for (i, record) in records.iter().enumerate() {
            builder.add(record).unwrap();
            if run_bytes == 1 {
                assert_eq!(builder.runs(), i + 1, "every document's postings went out as a run");
            }
        }
        assert_eq!(builder.runs(), expect_runs);
        let whole =
            build_pieces(vec![Source::from_bytes("daily_papers.txt", DAILY)], &BuildOptions::default()).unwrap().0;
        assert_eq!(builder.finish().unwrap(), whole.single_file().unwrap());
    }
}
