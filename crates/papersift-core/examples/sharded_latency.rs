//! A sharded site against the same corpus as one file, natively. Cold: for each query, on a
//! fresh root, the rounds of loading it takes (each a network round trip in the page), the pieces
//! it loads and the time its `needs` calls take (pieces read from the site's `papersift/` folder,
//! as `papersift query` does). Warm: with every piece loaded, the query on the sharded index and
//! on the single file, alternating, as the wasm binding runs queries (each after the one before,
//! through one [`Reuse`] per index). The quick loop for finding where a sharded query's time
//! goes (run it under `perf record`); docs/SHARDS.md records its output.
//!
//! cargo run --release -p papersift-core --example sharded_latency -- SITE SINGLE_FILE LIMIT SECONDS [QUERY...]
//! (SITE: a folder written by `papersift build --shards on`; SINGLE_FILE: the same input built with
//! `--shards off`; LIMIT: hits asked for, 8 as the element's first answer; SECONDS of warm
//! queries per row. Without queries, one row per query class of [`papersift_core::workload`],
//! 50 per class, seed 1, as `class_latency` runs them.)

use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use papersift_core::search::{execute_reusing, plan, Outcome, Reuse};
use papersift_core::{Index, SearchOptions};

/// A site's pieces, each read from disk once.
struct Site {
    folder: PathBuf,
    root: Vec<u8>,
    pieces: HashMap<String, Vec<u8>>,
}

impl Site {
    fn piece(&mut self, name: &str) -> Vec<u8> {
        let folder = &self.folder;
        self.pieces
            .entry(name.to_string())
            .or_insert_with(|| read(&folder.join("papersift").join(format!("{name}.bin"))))
            .clone()
    }
}

/// What loading one query into a fresh root took.
struct Cold {
    rounds: usize,
    pieces: usize,
    needs_ms: f64,
}

/// Loads what `query` needs into `index`, round after round, as the page does.
fn load(site: &mut Site, index: &mut Index, query: &str, options: &SearchOptions) -> Cold {
    let mut reuse = Reuse::default();
    let mut cold = Cold { rounds: 0, pieces: 0, needs_ms: 0.0 };
    loop {
        let started = Instant::now();
        let names = match execute_reusing(&plan(query, options), &*index, &mut reuse) {
            Outcome::Done(_) => Vec::new(),
            Outcome::Missing(missing) => index.missing_piece_names(&missing),
        };
        cold.needs_ms += started.elapsed().as_secs_f64() * 1e3;
        if names.is_empty() {
            return cold;
        }
        cold.rounds += 1;
        cold.pieces += names.len();
        for name in names {
            let bytes = site.piece(&name);
            index.add_piece(&name, bytes).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 4 {
        eprintln!("usage: sharded_latency SITE SINGLE_FILE LIMIT SECONDS [QUERY...]");
        std::process::exit(2);
    }
    let folder = PathBuf::from(&args[0]);
    let mut site = Site { root: read(&folder.join("papersift.idx")), folder, pieces: HashMap::new() };
    let single = Index::from_bytes(read(Path::new(&args[1]))).expect("the single file loads");
    let limit: usize = args[2].parse().expect("LIMIT is a number");
    let seconds: f64 = args[3].parse().expect("SECONDS is a number");
    let options = SearchOptions { limit, ..SearchOptions::default() };
    let rows: Vec<(String, Vec<String>)> = if args.len() > 4 {
        args[4..].iter().map(|query| (format!("`{query}`"), vec![query.clone()])).collect()
    } else {
        papersift_core::workload::query_classes(&single, 50, 1)
            .into_iter()
            .map(|class| (class.name.to_string(), class.queries))
            .collect()
    };
    println!(
        "| queries ({} papers, limit {limit}) | rounds (mean, max) | pieces (mean) | needs, all rounds (median) | warm sharded p50 | warm single file p50 | ratio |",
        single.doc_count()
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (name, queries) in rows {
        let mut warm = Index::from_bytes(site.root.clone()).expect("the root loads");
        let colds: Vec<Cold> = queries
            .iter()
            .map(|query| {
                load(&mut site, &mut warm, query, &options);
                let mut fresh = Index::from_bytes(site.root.clone()).expect("the root loads");
                load(&mut site, &mut fresh, query, &options)
            })
            .collect();
        let (mut sharded_ms, mut single_ms) = (Vec::new(), Vec::new());
        let (mut sharded_reuse, mut single_reuse) = (Reuse::default(), Reuse::default());
        let started = Instant::now();
        // At least one pass, so that SECONDS 0 measures the cold loads alone (for `perf record`).
        while sharded_ms.is_empty() || started.elapsed().as_secs_f64() < seconds {
            for query in &queries {
                let t = Instant::now();
                black_box(execute_reusing(&plan(black_box(query), &options), &warm, &mut sharded_reuse));
                sharded_ms.push(t.elapsed().as_secs_f64() * 1e3);
                let t = Instant::now();
                black_box(execute_reusing(&plan(black_box(query), &options), &single, &mut single_reuse));
                single_ms.push(t.elapsed().as_secs_f64() * 1e3);
            }
        }
        let n = colds.len() as f64;
        let (a, b) = (median(sharded_ms), median(single_ms));
        println!(
            "| {name} | {:.2}, {} | {:.0} | {:.2} ms | {a:.3} ms | {b:.3} ms | {:.2} |",
            colds.iter().map(|c| c.rounds as f64).sum::<f64>() / n,
            colds.iter().map(|c| c.rounds).max().unwrap_or(0),
            colds.iter().map(|c| c.pieces as f64).sum::<f64>() / n,
            median(colds.iter().map(|c| c.needs_ms).collect()),
            a / b
        );
    }
}
