//! Which Levenshtein automaton to search the term dictionary with, at distance 2: the one the
//! engine uses (`levenshtein_automata`, tantivy's: parametric tables built once, then a cheap DFA
//! per word, transpositions count as one edit) or `fst`'s own (`fst::automaton::Levenshtein`:
//! an eager DFA per word, insertions, deletions and substitutions only, 10,000 states at most).
//!
//! Times construction for words of 5, 10, 20 and 30 letters and the search of the arXiv CS term
//! dictionary (scifact's when arXiv is missing), and prints a table of what each construction
//! allocates, counted by the allocator below.
//!
//! `cargo bench -p papersift-core --bench levenshtein`

mod corpus;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, SamplingMode};
use fst::{Automaton, IntoStreamer, Map, Streamer};
use levenshtein_automata::LevenshteinAutomatonBuilder;

/// Counts live and peak heap bytes, to show how much an automaton takes to build.
struct CountingAllocator;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Peak heap growth while `f` runs, and its result.
fn peak_bytes<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed) - before)
}

const DISTANCE: u8 = 2;
/// Word lengths in letters; 64 is the longest term the tokenizer keeps (`text::MAX_TERM_BYTES`).
const LENGTHS: [usize; 6] = [5, 10, 20, 30, 40, papersift_core::text::MAX_TERM_BYTES];

/// `levenshtein_automata`'s DFA as an `fst` automaton: the engine's own adapter.
use papersift_core::termdict::Levenshtein as Tantivy;

fn count_matches<A: Automaton>(terms: &Map<&[u8]>, automaton: A) -> usize {
    let mut stream = terms.search(automaton).into_stream();
    let mut n = 0;
    while stream.next().is_some() {
        n += 1;
    }
    n
}

/// One dictionary word of each length, drawn with a fixed seed, with one typo so the search
/// looks like a user's. Lengths no term has (long compounds are rare) are made by joining terms.
fn words_of(terms: &Map<&[u8]>) -> Vec<String> {
    let mut all = Vec::new();
    let mut stream = terms.stream();
    while let Some((key, _)) = stream.next() {
        if key.len() >= 3 && key.iter().all(u8::is_ascii_lowercase) {
            all.push(String::from_utf8(key.to_vec()).expect("ASCII"));
        }
    }
    let mut rng = corpus::Rng::new(0x1e7e_4517);
    LENGTHS
        .iter()
        .map(|&len| {
            let exact: Vec<&String> = all.iter().filter(|t| t.len() == len).collect();
            let mut word = if exact.is_empty() {
                let mut joined = String::new();
                while joined.len() < len {
                    joined.push_str(&all[rng.below(all.len())]);
                }
                joined.truncate(len);
                joined.into_bytes()
            } else {
                exact[rng.below(exact.len())].clone().into_bytes()
            };
            let at = 1 + rng.below(len - 1);
            word[at] = if word[at] == b'e' { b'a' } else { b'e' };
            String::from_utf8(word).expect("ASCII")
        })
        .collect()
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let Some(corpus) = corpus::load("arxiv_cs_daily").or_else(|| corpus::load("scifact")) else {
        eprintln!("!!! bench levenshtein: NO DATA SET FOUND, nothing was measured.");
        return;
    };
    let dictionary = corpus::terms_fst(&corpus);
    let terms = Map::new(dictionary.as_slice()).expect("the terms chunk is an fst");
    let words = words_of(&terms);

    let (builder, builder_bytes) = peak_bytes(|| LevenshteinAutomatonBuilder::new(DISTANCE, true));
    let started = Instant::now();
    black_box(LevenshteinAutomatonBuilder::new(DISTANCE, true));
    let builder_time = started.elapsed();

    println!(
        "\nLevenshtein automata at distance {DISTANCE}, {} terms of {} ({} papers)",
        terms.len(),
        corpus.name,
        corpus.records.len()
    );
    println!("levenshtein_automata builder (once per process): {builder_time:.1?}, {} KiB\n", builder_bytes / 1024);
    println!("| word (one typo) | letters | levenshtein_automata: heap to build, matches | fst Levenshtein: heap to build, matches |");
    println!("|---|---:|---|---|");
    let mut fst_automata = Vec::new();
    for word in &words {
        let (dfa, dfa_bytes) = peak_bytes(|| builder.build_dfa(word));
        let ours = count_matches(&terms, Tantivy(&dfa));
        let (theirs, fst_bytes) = peak_bytes(|| fst::automaton::Levenshtein::new(word, u32::from(DISTANCE)));
        let theirs_cell = match &theirs {
            Ok(automaton) => format!("{} KiB, {}", fst_bytes / 1024, count_matches(&terms, automaton)),
            Err(error) => format!("{} KiB, **fails**: {error}", fst_bytes / 1024),
        };
        println!("| `{word}` | {} | {} KiB, {ours} | {theirs_cell} |", word.len(), dfa_bytes / 1024);
        fst_automata.push(theirs.ok());
    }
    println!();

    let mut group = c.benchmark_group("levenshtein_build");
    group.sample_size(10).sampling_mode(SamplingMode::Flat).warm_up_time(Duration::from_millis(500));
    for word in &words {
        group.bench_with_input(BenchmarkId::new("levenshtein_automata", word.len()), word, |b, w| {
            b.iter(|| builder.build_dfa(black_box(w)))
        });
        // Timed even when it fails: the time to hit the state limit is what a query would pay.
        group.bench_with_input(BenchmarkId::new("fst", word.len()), word, |b, w| {
            b.iter(|| fst::automaton::Levenshtein::new(black_box(w), u32::from(DISTANCE)).is_ok())
        });
    }
    group.finish();

    let mut group = c.benchmark_group("levenshtein_search");
    group.sample_size(20).warm_up_time(Duration::from_millis(500));
    for (word, fst_automaton) in words.iter().zip(&fst_automata) {
        let dfa = builder.build_dfa(word);
        group.bench_function(BenchmarkId::new("levenshtein_automata", word.len()), |b| {
            b.iter(|| count_matches(&terms, Tantivy(&dfa)))
        });
        if let Some(automaton) = fst_automaton {
            group.bench_function(BenchmarkId::new("fst", word.len()), |b| b.iter(|| count_matches(&terms, automaton)));
        }
    }
    group.finish();
    c.final_summary();
}
