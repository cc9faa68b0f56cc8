//! `papersift eval`: ranking quality of an index against relevance judgments.

use std::path::PathBuf;

use clap::Args;
use papersift_core::eval::{self, Run, Summary, RECALL_DEPTH};
use papersift_core::SearchOptions;
use serde::Serialize;

use crate::commands::query::read_queries;
use crate::error::Error;
use crate::{index_file, input};

/// Measure ranking quality (nDCG@10, Recall@100, MRR@10) against relevance judgments.
///
/// Runs every query with the same search as `papersift query` (top 100) and prints the mean
/// nDCG@10, Recall@100 and MRR@10 over the queries with at least one relevant document.
#[derive(Args)]
pub struct EvalArgs {
    /// The index: a papersift.idx file, or the directory holding one.
    #[arg(value_name = "INDEX")]
    index: PathBuf,

    /// Queries, as JSON Lines of {"id": …, "text": …}.
    #[arg(long, value_name = "Q.jsonl")]
    queries: PathBuf,

    /// Judgments, as tab-separated query_id, doc_id, relevance (0 = not relevant), after a header line.
    #[arg(long, value_name = "R.tsv")]
    qrels: PathBuf,

    /// Put one typo into each query (in a word of 5+ letters), chosen reproducibly from seed N,
    /// to measure typo tolerance.
    #[arg(long, value_name = "N")]
    typo_seed: Option<u64>,

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

/// Runs `papersift eval`.
pub fn run(args: EvalArgs) -> Result<(), Error> {
    let index = index_file::load(&args.index)?;
    let mut queries = read_queries(&args.queries)?;
    let qrels_bytes = input::read_all(&args.qrels)?;
    let qrels = eval::parse_qrels(&qrels_bytes)
        .map_err(|e| Error::new(format!("{}:{}: {}", input::display_name(&args.qrels), e.line, e.reason)))?;

    let mut typo_unchanged = None;
    if let Some(seed) = args.typo_seed {
        let typoed = eval::with_typos(&queries, seed);
        queries = typoed.queries;
        typo_unchanged = Some(typoed.unchanged);
    }

    // The product's search, as `papersift query` runs it; only the depth differs.
    let options = SearchOptions { limit: RECALL_DEPTH, highlight: false, ..SearchOptions::default() };
    let runs: Vec<Run> = queries
        .iter()
        .map(|query| Run {
            query_id: query.id.clone(),
            ranking: index.search(&query.text, &options).hits.into_iter().map(|hit| hit.id).collect(),
        })
        .collect();
    let summary = eval::evaluate(&runs, &qrels);
    if summary.queries == 0 {
        return Err(Error::new(format!(
            "none of the {} queries in {} has a relevant document in {}; check that the query ids match the qrels",
            queries.len(),
            input::display_name(&args.queries),
            input::display_name(&args.qrels),
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
