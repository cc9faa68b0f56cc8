//! The query parser and a search over the default corpus (data/daily_papers.txt), built once
//! per process. Input: six option bytes (see `options_from`), then the query text, optionally
//! followed by `RS authors RS venues`. The query runs on the single-file index; when the first
//! byte's top bit is set, also on a sharded build of the same corpus with small pieces, loaded
//! piece by piece as the web loader does, which must answer as that build's single file does.
#![no_main]

use std::collections::HashMap;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use papersift_core::builder::{build_pieces, BuildOptions, BuiltIndex, PieceSizes, Source};
use papersift_core::Index;
use papersift_fuzz::{load_for, options_from, query_and_filters, without_author_facets};

struct Corpus {
    /// The default index, as `build.rs` embeds it.
    whole: Index,
    /// The same corpus cut into small pieces: its single file and its pieces by name.
    small_whole: Index,
    small_root: Vec<u8>,
    small_pieces: HashMap<String, Vec<u8>>,
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let text: &[u8] = include_bytes!("../../data/daily_papers.txt");
        let build = |sizes| {
            let options = BuildOptions { sizes, ..BuildOptions::default() };
            build_pieces(vec![Source::from_bytes("daily_papers.txt", text)], &options)
                .expect("the default corpus builds")
                .0
        };
        let single = |built: &BuiltIndex| built.single_file().expect("an in-memory build reads its pieces back");
        let whole = Index::from_bytes(single(&build(PieceSizes::default()))).expect("the default index loads");
        // Small pieces, so that queries load several of each kind; `PieceSizes::tiny()` cuts
        // this corpus into so many dictionary chunks that typo expansion spends seconds on them.
        let small = build(PieceSizes {
            term_chunk_bytes: 512,
            postings_bytes: 512,
            docs_per_piece: 4,
            authors_per_piece: 4,
            max_pieces: 9_900,
        });
        Corpus {
            whole,
            small_whole: Index::from_bytes(single(&small)).expect("the small-piece index loads"),
            small_root: small.root_file(),
            small_pieces: small
                .named_pieces()
                .collect::<std::io::Result<_>>()
                .expect("an in-memory build reads its pieces back"),
        }
    })
}

// Built before fuzzing starts, so that the build does not count against the first input's time.
fuzz_target!(init: { corpus(); }, |data: &[u8]| {
    let corpus = corpus();
    let (head, text) = data.split_at(data.len().min(6));
    let text = String::from_utf8_lossy(text);
    let (query, options) = query_and_filters(&text, options_from(head));
    let _ = corpus.whole.search(query, &options);
    // Loading piece by piece costs several searches: only inputs with the top flag bit pay it.
    if head.first().is_none_or(|flags| flags & 0x80 == 0) {
        return;
    }
    let expected = corpus.small_whole.search(query, &options);
    let mut sharded = Index::from_bytes(corpus.small_root.clone()).expect("the small root loads");
    load_for(&mut sharded, &corpus.small_pieces, query, &options);
    assert!(sharded.needs(query, &options).is_empty(), "every piece was at hand for {query:?}");
    let got = sharded.search(query, &options);
    assert_eq!(
        without_author_facets(got),
        without_author_facets(expected),
        "sharded and single file differ on {query:?}"
    );
});
