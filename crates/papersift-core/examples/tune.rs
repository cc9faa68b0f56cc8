//! Ranking parameter sweep over the dev sets (tuning aid; not part of the product).
use papersift_core::eval::{evaluate, parse_qrels, parse_queries, Run};
use papersift_core::{Index, Ranking, SearchOptions};
fn main() {
    let sets = ["scifact", "cranfield", "cisi", "med"];
    let mut loaded = Vec::new();
    for s in sets {
        let idx = std::fs::read(format!("/tmp/ev/{s}/papersift.idx")).unwrap();
        let q = parse_queries(&std::fs::read(format!("/work/shared/data/{s}/queries.jsonl")).unwrap()).unwrap();
        let r = parse_qrels(&std::fs::read(format!("/work/shared/data/{s}/qrels.tsv")).unwrap()).unwrap();
        loaded.push((s, Index::from_bytes(idx).unwrap(), q, r));
    }
    let fz = std::env::var("FUZZY").map(|v| v == "1").unwrap_or(true); let px = std::env::var("PREFIX").map(|v| v == "1").unwrap_or(true);
    let opts = SearchOptions { limit: 100, highlight: false, fuzzy: fz, prefix: px, ..SearchOptions::default() };
    let base = Ranking::default();
    let mut variants: Vec<(String, Ranking)> = vec![("default".into(), base)];
    let spec = std::env::args().nth(1).unwrap_or_default();
    for k1 in [0.9f32, 1.2, 1.5] { for tw in [1.5f32, 2.0, 3.0] { for bab in [0.5f32, 0.75] { for sw in [0.5f32, 0.7, 0.9] {
        if spec == "none" { continue; } if spec == "quick" && (sw != 0.7) { continue; }
        let mut r = base; r.k1 = k1; r.field_weights[0] = tw; r.field_b[1] = bab; r.stem_weight = sw;
        variants.push((format!("k1={k1} title={tw} b_abs={bab} stem={sw}"), r));
    }}}}
    for (name, r) in variants {
        let mut line = format!("{name:45}");
        let mut sum = 0.0;
        for (_, index, queries, qrels) in loaded.iter_mut() {
            index.set_ranking(r);
            let runs: Vec<Run> = queries.iter().map(|q| Run { query_id: q.id.clone(), ranking: index.search(&q.text, &opts).hits.into_iter().map(|h| h.id).collect() }).collect();
            let s = evaluate(&runs, qrels);
            line += &format!(" {:.4}", s.ndcg_at_10);
            sum += s.ndcg_at_10;
        }
        println!("{line}  mean {:.4}", sum / 4.0);
    }
}
