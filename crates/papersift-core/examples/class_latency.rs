//! Per-query latency of each query class on one index, natively, as the wasm binding runs
//! queries (each after the one before, through one [`Reuse`]): the quick loop for finding where a
//! query's time goes (run it under `perf record`), where the criterion bench builds scifact and
//! arXiv first. The classes are the core's [`papersift_core::workload`], 50 per class, seed 1 (what
//! `bench/options-cost.mjs` times in Node). docs/BENCHMARKS.md records its output.
//!
//! cargo run --release -p papersift-core --example class_latency -- INDEX [CLASSES] [SECONDS] [--no-highlight]
//! (CLASSES: comma-separated names, e.g. `exact,prefix`; default every class; SECONDS per class, default 1)

use std::hint::black_box;
use std::time::Instant;

use papersift_core::search::{execute_reusing, plan, Reuse};
use papersift_core::{Index, SearchOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let highlight = !args.iter().any(|a| a == "--no-highlight");
    let args: Vec<&String> = args.iter().filter(|a| *a != "--no-highlight").collect();
    let Some(path) = args.first() else {
        eprintln!("usage: class_latency INDEX [CLASSES] [SECONDS] [--no-highlight]");
        std::process::exit(2);
    };
    let wanted: Vec<&str> = args.get(1).map_or(Vec::new(), |list| list.split(',').collect());
    let seconds: f64 = args.get(2).map_or(1.0, |s| s.parse().expect("SECONDS is a number"));
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let index = Index::from_bytes(bytes.as_slice()).unwrap_or_else(|e| panic!("cannot load {path}: {e}"));
    let options = SearchOptions { highlight, ..SearchOptions::default() };
    let mut reuse = Reuse::default();
    println!(
        "| class ({} papers, highlight {highlight}) | p50 | mean | queries run |\n|---|---:|---:|---:|",
        index.doc_count()
    );
    for class in papersift_core::workload::query_classes(&index, 50, 1) {
        if !wanted.is_empty() && !wanted.contains(&class.name) {
            continue;
        }
        let mut micros = Vec::new();
        let started = Instant::now();
        while started.elapsed().as_secs_f64() < seconds {
            for query in &class.queries {
                let start = Instant::now();
                black_box(execute_reusing(&plan(query, &options), &index, &mut reuse));
                micros.push(start.elapsed().as_secs_f64() * 1e6);
            }
        }
        micros.sort_by(f64::total_cmp);
        let mean = micros.iter().sum::<f64>() / micros.len() as f64;
        println!("| {} | {:.1} µs | {:.1} µs | {} |", class.name, micros[micros.len() / 2], mean, micros.len());
    }
}
