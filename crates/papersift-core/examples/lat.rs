use papersift_core::{Index, SearchOptions};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&args[1]).unwrap();
    let t = std::time::Instant::now();
    let index = Index::from_bytes(bytes.as_slice()).unwrap();
    eprintln!("load {:?}", t.elapsed());
    for q in &args[2..] {
        let o = SearchOptions { highlight: std::env::var("NOHL").is_err(), ..SearchOptions::default() };
        index.search(q, &o);
        let t = std::time::Instant::now();
        let n = 20;
        let mut total = 0;
        for _ in 0..n { total += index.search(q, &o).total; }
        eprintln!("{q:?}: {:?}/query total {}", t.elapsed() / n, total / n as usize);
    }
}
