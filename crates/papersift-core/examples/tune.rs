//! Ranking parameter sweep over the dev halves of the judged sets, to check the defaults in
//! `Ranking::default()`. Not part of the product.
//!
//! `cargo run --release -p papersift-core --example tune [DATA_DIR]` (default `../shared/data`).
//! Set `FUZZY=0` or `PREFIX=0` to see the effect of typo or prefix matching.

use papersift_core::builder::{build_index, BuildOptions, Source};
use papersift_core::eval::{evaluate, parse_qrels, parse_queries, Qrels, Query, Run};
use papersift_core::{Index, Ranking, SearchOptions};

const SETS: [&str; 4] = ["scifact", "cranfield", "cisi", "med"];

fn load(data: &std::path::Path, set: &str) -> (Index, Vec<Query>, Qrels) {
    let dir = data.join(set);
    let papers = ["papers.jsonl.gz", "papers.jsonl"].iter().map(|f| dir.join(f)).find(|p| p.exists());
    let papers = papers.unwrap_or_else(|| panic!("no papers in {}; is ../shared/data there?", dir.display()));
    let bytes = std::fs::read(&papers).unwrap();
    let source = Source::from_bytes(papers.display().to_string(), &bytes);
    let (index, _) =
        build_index(vec![source], &BuildOptions { skip_invalid: true, ..BuildOptions::default() }).unwrap();
    let queries = parse_queries(&std::fs::read(dir.join("queries.jsonl")).unwrap()).unwrap();
    let qrels = parse_qrels(&std::fs::read(dir.join("qrels.tsv")).unwrap()).unwrap();
    (Index::from_bytes(index).unwrap(), queries, qrels)
}

fn main() {
    let data = std::env::args().nth(1).unwrap_or_else(|| "../shared/data".into());
    let mut sets: Vec<(Index, Vec<Query>, Qrels)> = SETS.iter().map(|s| load(data.as_ref(), s)).collect();
    let flag = |name: &str| std::env::var(name).map_or(true, |v| v != "0");
    let options = SearchOptions {
        limit: 100,
        highlight: false,
        fuzzy: flag("FUZZY"),
        prefix: flag("PREFIX"),
        ..SearchOptions::default()
    };

    let base = Ranking::default();
    let mut variants = vec![("default".to_string(), base)];
    for k1 in [0.9f32, 1.2, 1.5] {
        for title in [1.5f32, 2.0, 3.0] {
            for abstract_b in [0.5f32, 0.75] {
                let mut r = base;
                r.k1 = k1;
                r.field_weights[0] = title;
                r.field_b[1] = abstract_b;
                variants.push((format!("k1={k1} title={title} abstract_b={abstract_b}"), r));
            }
        }
    }
    println!("{:40} {}  mean", "ranking", SETS.map(|s| format!("{s:>9}")).join(" "));
    for (name, ranking) in variants {
        let mut line = format!("{name:40}");
        let mut sum = 0.0;
        for (index, queries, qrels) in sets.iter_mut() {
            index.set_ranking(ranking);
            let runs: Vec<Run> = queries
                .iter()
                .map(|q| Run {
                    query_id: q.id.clone(),
                    ranking: index.search(&q.text, &options).hits.into_iter().map(|h| h.id).collect(),
                })
                .collect();
            let ndcg = evaluate(&runs, qrels).ndcg_at_10;
            line += &format!(" {ndcg:9.4}");
            sum += ndcg;
        }
        println!("{line}  {:.4}", sum / SETS.len() as f64);
    }
}
