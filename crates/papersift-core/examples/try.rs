use papersift_core::builder::{build_index, BuildOptions, Source};
use papersift_core::{Index, SearchOptions};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&args[1]).unwrap();
    let t = std::time::Instant::now();
    let (idx, report) = build_index(vec![Source { name: args[1].clone(), reader: Box::new(bytes.as_slice()), format: None }], &BuildOptions { skip_invalid: true }).unwrap();
    eprintln!("built {} docs {} terms {} bytes in {:?}; skipped {}", report.indexed, report.terms, report.bytes, t.elapsed(), report.skipped.len());
    let index = Index::from_bytes(idx).unwrap();
    eprintln!("{:?}", index.stats());
    for q in &args[2..] {
        let t = std::time::Instant::now();
        let r = index.search(q, &SearchOptions { facets: true, ..Default::default() });
        eprintln!("== {q:?}: total {} in {:?} suggestion {:?}", r.total, t.elapsed(), r.suggestion);
        for h in r.hits.iter().take(5) {
            let hl: Vec<&str> = h.highlights.iter().map(|s| &h.title[s.start..s.end]).collect();
            let sh: Vec<&str> = h.snippet.highlights.iter().map(|s| &h.snippet.text[s.start..s.end]).collect();
            eprintln!("  {:.3} {} | {:?} | {:?}", h.score, h.title, hl, sh);
        }
    }
}
