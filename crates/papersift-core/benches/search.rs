//! Build throughput and query latency of the engine, by query class, on scifact and arXiv CS.
//!
//! `cargo bench -p papersift-core --bench search`; `scripts/bench-core.sh` runs it and prints the
//! medians as a table. Each index is built once per run, outside the timed loops. A query
//! benchmark runs a whole class ([`corpus::QUERIES_PER_CLASS`] queries) per iteration, with
//! `SearchOptions::default()`: top 10, highlights and snippets on, as users get; each query after
//! the one before, as the binding runs them (`typing` against `typing-scratch` shows what a
//! keystroke reuses from the last).
//!
//! `worst_<set>` times the worst-case classes (a megabyte, 10,000 words or quotes, 1,000-letter
//! words, Unicode soup, the most frequent words and phrase) per query, beside `two-word` as the
//! normal query they are compared with, in the same run.

mod corpus;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput};
use papersift_core::search::{execute_reusing, plan, Reuse};
use papersift_core::{Index, SearchOptions};

use corpus::Corpus;

/// One scifact build per iteration; arXiv (12 s a build) is measured once by scripts/bench-core.sh.
fn build_throughput(c: &mut Criterion, corpus: &Corpus) {
    let mut group = c.benchmark_group("build");
    group.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(15));
    group.throughput(Throughput::ElementsAndBytes {
        elements: corpus.records.len() as u64,
        bytes: corpus.jsonl.len() as u64,
    });
    group.bench_function(corpus.name, |b| b.iter(|| black_box(corpus.build())));
    group.finish();
}

fn query_latency(c: &mut Criterion, corpus: &Corpus) {
    let bytes = corpus.build();
    let classes = corpus::query_classes(&bytes);
    let index = Index::from_bytes(bytes.as_slice()).expect("a fresh index loads");
    let options = SearchOptions::default();
    eprintln!("\nquery classes for {} ({} papers):", corpus.name, index.doc_count());
    for class in &classes {
        let hits: usize = class.queries.iter().map(|q| index.search(q, &options).total).sum();
        eprintln!(
            "  {:<12} {} (mean {} matching papers); e.g. {:?}",
            class.name,
            class.about,
            hits / class.queries.len(),
            &class.queries[..4]
        );
    }

    let mut group = c.benchmark_group(format!("query_{}", corpus.name));
    group.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    for class in &classes {
        group.throughput(Throughput::Elements(class.queries.len() as u64));
        // As the binding runs queries: each after the one before, reusing what it left (which
        // only `typing`'s keystrokes, each extending the last, find much of).
        let mut reuse = Reuse::default();
        group.bench_function(class.name, |b| {
            b.iter(|| {
                for query in &class.queries {
                    black_box(execute_reusing(&plan(black_box(query), &options), &index, &mut reuse));
                }
            })
        });
    }
    group.finish();
}

/// The worst-case classes, per query, beside a normal one: their ratio is what the limits allow.
fn worst_case_latency(c: &mut Criterion, corpus: &Corpus) {
    let bytes = corpus.build();
    let normal = corpus::query_classes(&bytes).into_iter().find(|class| class.name == "two-word");
    let worst = corpus::worst_case_classes(&bytes);
    let index = Index::from_bytes(bytes.as_slice()).expect("a fresh index loads");
    let options = SearchOptions::default();
    let mut group = c.benchmark_group(format!("worst_{}", corpus.name));
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    for class in normal.iter().chain(&worst) {
        let results: Vec<_> = class.queries.iter().map(|q| index.search(q, &options)).collect();
        eprintln!(
            "  {:<14} {} (mean {} matching papers; {} of {} cut by the limits)",
            class.name,
            class.about,
            results.iter().map(|r| r.total).sum::<usize>() / results.len().max(1),
            results.iter().filter(|r| r.ignored_from.is_some()).count(),
            results.len()
        );
        group.throughput(Throughput::Elements(class.queries.len() as u64));
        group.bench_function(class.name, |b| {
            b.iter(|| {
                for query in &class.queries {
                    black_box(index.search(black_box(query), &options));
                }
            })
        });
    }
    group.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let mut ran = false;
    for (name, _) in corpus::SETS {
        let Some(corpus) = corpus::load(name) else { continue };
        ran = true;
        if name == "scifact" {
            build_throughput(&mut c, &corpus);
        }
        query_latency(&mut c, &corpus);
        worst_case_latency(&mut c, &corpus);
    }
    if !ran {
        eprintln!("!!! bench search: NO DATA SET FOUND, nothing was measured.");
    }
    c.final_summary();
}
