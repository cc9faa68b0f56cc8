//! `papersift eval`: ranking quality of an index against relevance judgments, and the inputs
//! other benchmarks need from the same code (typo'd queries, query classes, metrics of rankings
//! made by another engine).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use papersift_core::eval::{self, Run, Summary, RECALL_DEPTH};
use papersift_core::{workload, SearchOptions};
use serde::Serialize;

use crate::commands::query::read_queries;
use crate::error::Error;
use crate::{index_file, input};

/// Measure ranking quality (nDCG@10, Recall@100, MRR@10) against relevance judgments.
///
/// Runs every query with the same search as `papersift query` (top 100) and prints the mean
/// nDCG@10, Recall@100 and MRR@10 over the queries with at least one relevant document.
///
/// Benchmarks of other engines use the same code through three more forms:
///   papersift eval --queries Q.jsonl --typo-seed N --write-queries OUT.jsonl
///   papersift eval --qrels R.tsv --rankings RUNS.jsonl [--json]
///   papersift eval INDEX --write-classes OUT.jsonl [--per-class N] [--seed N]
#[derive(Args)]
pub struct EvalArgs {
    /// The index: a papersift.idx file, or the directory holding one.
    #[arg(value_name = "INDEX")]
    index: Option<PathBuf>,

    /// Queries, as JSON Lines of {"id": …, "text": …}.
    #[arg(long, value_name = "Q.jsonl")]
    queries: Option<PathBuf>,

    /// Judgments, as tab-separated query_id, doc_id, relevance (0 = not relevant), after a header line.
    #[arg(long, value_name = "R.tsv")]
    qrels: Option<PathBuf>,

    /// Put one typo into each query (in a word of 5+ letters), chosen reproducibly from seed N,
    /// to measure typo tolerance.
    #[arg(long, value_name = "N")]
    typo_seed: Option<u64>,

    /// Write the queries (with their typos, given --typo-seed) to FILE as JSON Lines of
    /// {"id": …, "text": …} instead of evaluating; needs only --queries.
    #[arg(long, value_name = "FILE")]
    write_queries: Option<PathBuf>,

    /// Score rankings made by another engine instead of searching an index: JSON Lines of
    /// {"query_id": …, "hits": [{"id": …}, …]}, as `papersift query --queries` prints them.
    #[arg(long, value_name = "RUNS.jsonl", conflicts_with = "index")]
    rankings: Option<PathBuf>,

    /// Write benchmark query classes drawn from INDEX's titles (exact, two-word, prefix, typo,
    /// typo-typing, phrase) to FILE, one JSON object {"name", "about", "queries"} per line.
    #[arg(long, value_name = "FILE")]
    write_classes: Option<PathBuf>,

    /// Queries per class, with --write-classes.
    #[arg(long, value_name = "N", default_value_t = 20)]
    per_class: usize,

    /// Seed of the query classes, with --write-classes.
    #[arg(long, value_name = "N", default_value_t = 1)]
    seed: u64,

    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

/// `--json` output: the summary, and how the queries were altered.
#[derive(Serialize)]
struct JsonOutput<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    typo_seed: Option<u64>,
    /// Queries left without a typo, when `--typo-seed` is given.
    typo_unchanged: Option<usize>,
}

/// The value of a flag the chosen form of the command needs.
fn required<'a>(value: &'a Option<PathBuf>, flag: &str, form: &str) -> Result<&'a Path, Error> {
    value.as_deref().ok_or_else(|| Error::new(format!("{form} needs {flag}; see `papersift eval --help`")))
}

/// Writes `items` to `path` as JSON Lines.
fn write_json_lines<T: Serialize>(path: &Path, items: &[T]) -> Result<(), Error> {
    let file = std::fs::File::create(path).map_err(|e| Error::io("create", path, e))?;
    let mut out = std::io::BufWriter::new(file);
    for item in items {
        let line = serde_json::to_string(item).map_err(|e| Error::new(format!("cannot encode JSON: {e}")))?;
        writeln!(out, "{line}").map_err(|e| Error::io("write", path, e))?;
    }
    out.flush().map_err(|e| Error::io("write", path, e))
}

/// Runs `papersift eval`.
pub fn run(args: EvalArgs) -> Result<(), Error> {
    if let Some(path) = &args.write_classes {
        let index_path = required(&args.index, "INDEX", "--write-classes")?;
        let index = index_file::load(index_path)?;
        return write_json_lines(path, &workload::query_classes(&index, args.per_class, args.seed));
    }

    let mut typo_unchanged = None;
    let mut queries = Vec::new();
    if args.rankings.is_none() || args.write_queries.is_some() {
        queries = read_queries(required(&args.queries, "--queries", "evaluating an index")?)?;
        if let Some(seed) = args.typo_seed {
            let typoed = eval::with_typos(&queries, seed);
            queries = typoed.queries;
            typo_unchanged = Some(typoed.unchanged);
        }
    }
    if let Some(path) = &args.write_queries {
        return write_json_lines(path, &queries);
    }

    let qrels_path = required(&args.qrels, "--qrels", "scoring rankings")?;
    let qrels_bytes = input::read_all(qrels_path)?;
    let qrels = eval::parse_qrels(&qrels_bytes)
        .map_err(|e| Error::new(format!("{}:{}: {}", input::display_name(qrels_path), e.line, e.reason)))?;

    let runs: Vec<Run> = match &args.rankings {
        Some(path) => {
            let bytes = input::read_all(path)?;
            eval::parse_runs(&bytes)
                .map_err(|e| Error::new(format!("{}:{}: {}", input::display_name(path), e.line, e.reason)))?
        }
        None => {
            let index = index_file::load(required(&args.index, "INDEX", "evaluating an index")?)?;
            // The product's search, as `papersift query` runs it; only the depth differs.
            let options = SearchOptions { limit: RECALL_DEPTH, highlight: false, ..SearchOptions::default() };
            queries
                .iter()
                .map(|query| Run {
                    query_id: query.id.clone(),
                    ranking: index.search(&query.text, &options).hits.into_iter().map(|hit| hit.id).collect(),
                })
                .collect()
        }
    };
    let summary = eval::evaluate(&runs, &qrels);
    if summary.queries == 0 {
        let source = args.rankings.as_deref().or(args.queries.as_deref()).map(input::display_name).unwrap_or_default();
        return Err(Error::new(format!(
            "none of the {} queries in {source} has a relevant document in {}; check that the query ids match the qrels",
            runs.len(),
            input::display_name(qrels_path),
        )));
    }

    if args.json {
        let output = JsonOutput { summary: &summary, typo_seed: args.typo_seed, typo_unchanged };
        let json =
            serde_json::to_string(&output).map_err(|e| Error::new(format!("cannot encode results as JSON: {e}")))?;
        println!("{json}");
        return Ok(());
    }
    println!("queries evaluated: {}", summary.queries);
    if summary.skipped_no_relevant > 0 {
        println!("queries skipped:   {} (no relevant judgment)", summary.skipped_no_relevant);
    }
    if let (Some(seed), Some(unchanged)) = (args.typo_seed, typo_unchanged) {
        println!(
            "typos:             one per query, seed {seed} ({unchanged} queries unchanged: no word of {}+ letters)",
            eval::TYPO_MIN_LETTERS
        );
    }
    println!("nDCG@10:           {:.4}", summary.ndcg_at_10);
    println!("Recall@100:        {:.4}", summary.recall_at_100);
    println!("MRR@10:            {:.4}", summary.mrr_at_10);
    Ok(())
}
