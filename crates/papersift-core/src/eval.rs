//! Ranking evaluation: nDCG@10, Recall@100 and MRR@10 over judged queries, and a seeded typo
//! generator to measure how ranking holds up when queries are misspelt.
//!
//! Inputs are the usual IR test-collection files, as bytes: `queries.jsonl` (one
//! `{"id": …, "text": …}` per line) and `qrels.tsv` (`query_id<TAB>doc_id<TAB>relevance`, with a
//! header line). Rankings come from the caller, so the metrics never depend on how they were made.
//!
//! ```
//! use papersift_core::eval::{evaluate, parse_qrels, Run};
//!
//! let qrels = parse_qrels(b"query_id\tdoc_id\trelevance\nq1\td2\t1\n").unwrap();
//! let runs = vec![Run { query_id: "q1".into(), ranking: vec!["d1".into(), "d2".into()] }];
//! let summary = evaluate(&runs, &qrels);
//! assert_eq!(summary.queries, 1);
//! assert_eq!(summary.mrr_at_10, 0.5);
//! ```

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

/// The cut-off of nDCG and MRR.
pub const TOP_RANKED: usize = 10;
/// The cut-off of recall; rankings should be at least this long.
pub const RECALL_DEPTH: usize = 100;

/// One query of a test collection.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Serialize)]
pub struct Query {
    /// The query's id, as used in the qrels.
    pub id: String,
    /// The query text.
    pub text: String,
}

/// A line of a queries or qrels file that cannot be read. Shown as `line N: reason`; callers
/// that know the file name print `file:N: reason` via [`InputError::line`] and [`InputError::reason`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong, and how to fix it.
    pub reason: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for InputError {}

/// Parses `queries.jsonl`: one `{"id": …, "text": …}` object per line; blank lines are ignored.
/// Numeric ids are accepted and read as strings, since qrels files spell ids as text.
///
/// ```
/// let queries = papersift_core::eval::parse_queries(b"{\"id\": 7, \"text\": \"fst index\"}\n").unwrap();
/// assert_eq!(queries[0].id, "7");
/// assert_eq!(queries[0].text, "fst index");
/// ```
pub fn parse_queries(bytes: &[u8]) -> Result<Vec<Query>, InputError> {
    #[derive(serde::Deserialize)]
    struct Line {
        id: serde_json::Value,
        text: String,
    }
    json_lines(bytes, "{\"id\": …, \"text\": …}", |line: Line, line_number| {
        Ok(Query { id: id_text(line.id, line_number, "id")?, text: line.text })
    })
}

/// Parses JSON Lines of `shape` (named in errors), skipping blank lines, through `make`, which
/// gets each parsed line and its 1-based number.
fn json_lines<L: serde::de::DeserializeOwned, T>(
    bytes: &[u8],
    shape: &str,
    mut make: impl FnMut(L, usize) -> Result<T, InputError>,
) -> Result<Vec<T>, InputError> {
    let mut out = Vec::new();
    for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_number = index + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let parsed: L = serde_json::from_slice(line)
            .map_err(|e| InputError { line: line_number, reason: format!("expected a JSON object {shape}: {e}") })?;
        out.push(make(parsed, line_number)?);
    }
    Ok(out)
}

/// An id as text: qrels files spell ids as text, so numeric ids are read as strings too.
fn id_text(value: serde_json::Value, line: usize, what: &str) -> Result<String, InputError> {
    match value {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        other => Err(InputError { line, reason: format!("{what} must be a string or a number, not {other}") }),
    }
}

/// Relevance judgments: for each query id, the judged documents and their grades.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Qrels {
    judgments: HashMap<String, HashMap<String, u32>>,
}

impl Qrels {
    /// The judged documents of a query (relevance 0 included), or `None` when it has none.
    pub fn judgments(&self, query_id: &str) -> Option<&HashMap<String, u32>> {
        self.judgments.get(query_id)
    }

    /// Number of queries with at least one judgment.
    pub fn len(&self) -> usize {
        self.judgments.len()
    }

    /// True when there are no judgments at all.
    pub fn is_empty(&self) -> bool {
        self.judgments.is_empty()
    }
}

/// Parses `qrels.tsv`: a header line, then `query_id<TAB>doc_id<TAB>relevance` rows with a
/// non-negative integer relevance. Blank lines are ignored; a repeated pair keeps the last grade.
///
/// ```
/// let qrels = papersift_core::eval::parse_qrels(b"query_id\tdoc_id\trelevance\n1\t12\t2\n1\t13\t0\n").unwrap();
/// assert_eq!(qrels.judgments("1").unwrap()["12"], 2);
/// ```
pub fn parse_qrels(bytes: &[u8]) -> Result<Qrels, InputError> {
    let text = std::str::from_utf8(bytes).map_err(|e| InputError {
        line: 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count(),
        reason: "not valid UTF-8".to_string(),
    })?;
    let mut qrels = Qrels::default();
    // The first line is the header, whatever it says.
    for (index, line) in text.lines().enumerate().skip(1) {
        let line_number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let columns: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        let [query_id, doc_id, relevance] = columns[..] else {
            return Err(InputError {
                line: line_number,
                reason: format!(
                    "expected 3 tab-separated columns (query_id, doc_id, relevance), found {}",
                    columns.len()
                ),
            });
        };
        let relevance: u32 = relevance.trim().parse().map_err(|_| InputError {
            line: line_number,
            reason: format!("relevance must be a non-negative integer, not {relevance:?}"),
        })?;
        qrels.judgments.entry(query_id.trim().to_string()).or_default().insert(doc_id.trim().to_string(), relevance);
    }
    Ok(qrels)
}

/// The ranking a system returned for one query, best first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The query's id.
    pub query_id: String,
    /// Document ids, best first. At least [`RECALL_DEPTH`] long when that many matched.
    pub ranking: Vec<String>,
}

/// Parses rankings made elsewhere, as JSON Lines in the shape `papersift query --queries`
/// prints: `{"query_id": …, "hits": [{"id": …}, …]}` per query, best hit first (other keys,
/// such as `score`, are ignored). Blank lines are ignored; numeric ids are read as strings.
///
/// ```
/// let runs = papersift_core::eval::parse_runs(b"{\"query_id\": 1, \"hits\": [{\"id\": \"d2\", \"score\": 3.5}]}\n").unwrap();
/// assert_eq!((runs[0].query_id.as_str(), runs[0].ranking.as_slice()), ("1", &["d2".to_string()][..]));
/// ```
pub fn parse_runs(bytes: &[u8]) -> Result<Vec<Run>, InputError> {
    #[derive(serde::Deserialize)]
    struct Hit {
        id: serde_json::Value,
    }
    #[derive(serde::Deserialize)]
    struct Line {
        query_id: serde_json::Value,
        hits: Vec<Hit>,
    }
    json_lines(bytes, "{\"query_id\": …, \"hits\": [{\"id\": …}, …]}", |line: Line, line_number| {
        let ranking =
            line.hits.into_iter().map(|hit| id_text(hit.id, line_number, "a hit's id")).collect::<Result<_, _>>()?;
        Ok(Run { query_id: id_text(line.query_id, line_number, "query_id")?, ranking })
    })
}

/// Mean scores over the evaluated queries.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Queries with at least one relevant judgment: the ones the means are over.
    pub queries: usize,
    /// Queries left out of the means because no document is judged relevant for them.
    pub skipped_no_relevant: usize,
    /// Mean nDCG@10.
    pub ndcg_at_10: f64,
    /// Mean Recall@100.
    pub recall_at_100: f64,
    /// Mean MRR@10.
    pub mrr_at_10: f64,
}

/// Scores every run against the judgments and averages over the queries that have at least one
/// relevant document. Queries with no relevant judgment (none, or all with relevance 0) cannot
/// be scored and are counted in [`Summary::skipped_no_relevant`].
pub fn evaluate(runs: &[Run], qrels: &Qrels) -> Summary {
    let mut summary = Summary::default();
    for run in runs {
        let judgments = match qrels.judgments(&run.query_id) {
            Some(judgments) if judgments.values().any(|&rel| rel > 0) => judgments,
            _ => {
                summary.skipped_no_relevant += 1;
                continue;
            }
        };
        summary.queries += 1;
        summary.ndcg_at_10 += ndcg(&run.ranking, judgments, TOP_RANKED);
        summary.recall_at_100 += recall(&run.ranking, judgments, RECALL_DEPTH);
        summary.mrr_at_10 += reciprocal_rank(&run.ranking, judgments, TOP_RANKED);
    }
    if summary.queries > 0 {
        let n = summary.queries as f64;
        summary.ndcg_at_10 /= n;
        summary.recall_at_100 /= n;
        summary.mrr_at_10 /= n;
    }
    summary
}

/// Gain of a relevance grade: `2^rel - 1`, so a grade-2 document is worth three grade-1 ones.
fn gain(relevance: u32) -> f64 {
    2f64.powi(relevance.min(30) as i32) - 1.0
}

/// Discount of a 1-based rank: `log2(rank + 1)`.
fn discount(rank: usize) -> f64 {
    ((rank + 1) as f64).log2()
}

/// nDCG@k: the discounted gain of the top `k` of `ranking`, over that of the best possible
/// ordering of all judged documents. Unjudged documents have gain 0. Returns 0 when nothing is
/// relevant.
pub fn ndcg(ranking: &[String], judgments: &HashMap<String, u32>, k: usize) -> f64 {
    let dcg: f64 = ranking
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, doc)| gain(judgments.get(doc).copied().unwrap_or(0)) / discount(i + 1))
        .sum();
    let mut ideal: Vec<u32> = judgments.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let ideal_dcg: f64 = ideal.iter().take(k).enumerate().map(|(i, &rel)| gain(rel) / discount(i + 1)).sum();
    if ideal_dcg == 0.0 {
        0.0
    } else {
        dcg / ideal_dcg
    }
}

/// Recall@k: the fraction of relevant documents (relevance > 0) found in the top `k`.
/// Returns 0 when nothing is relevant.
pub fn recall(ranking: &[String], judgments: &HashMap<String, u32>, k: usize) -> f64 {
    let relevant = judgments.values().filter(|&&rel| rel > 0).count();
    if relevant == 0 {
        return 0.0;
    }
    let found = ranking.iter().take(k).filter(|doc| judgments.get(*doc).is_some_and(|&rel| rel > 0)).count();
    found as f64 / relevant as f64
}

/// Reciprocal rank@k: `1 / rank` of the first relevant document in the top `k`, else 0.
pub fn reciprocal_rank(ranking: &[String], judgments: &HashMap<String, u32>, k: usize) -> f64 {
    ranking
        .iter()
        .take(k)
        .position(|doc| judgments.get(doc).is_some_and(|&rel| rel > 0))
        .map_or(0.0, |i| 1.0 / (i + 1) as f64)
}

/// Queries with one typo each, from [`with_typos`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypoQueries {
    /// The queries, in input order, ids unchanged.
    pub queries: Vec<Query>,
    /// How many queries were left as they were because they have no word of
    /// [`TYPO_MIN_LETTERS`] letters or more.
    pub unchanged: usize,
}

/// The shortest word [`with_typos`] misspells; shorter words are too easy to turn into another word.
pub const TYPO_MIN_LETTERS: usize = 5;

/// Puts exactly one typo into each query: in one word of [`TYPO_MIN_LETTERS`]+ letters chosen at
/// random, one deletion, insertion, substitution, or transposition of two adjacent different
/// letters. The choices depend only on `seed` and the query's id and text, so the same seed gives
/// the same queries on every machine, whatever else is in the set.
///
/// ```
/// use papersift_core::eval::{with_typos, Query};
///
/// let queries = vec![
///     Query { id: "1".into(), text: "gradient descent".into() },
///     Query { id: "2".into(), text: "a b c".into() },
/// ];
/// let typoed = with_typos(&queries, 42);
/// assert_ne!(typoed.queries[0].text, "gradient descent");
/// assert_eq!(typoed.queries[1].text, "a b c");
/// assert_eq!(typoed.unchanged, 1);
/// assert_eq!(typoed, with_typos(&queries, 42));
/// ```
pub fn with_typos(queries: &[Query], seed: u64) -> TypoQueries {
    let mut unchanged = 0;
    let queries = queries
        .iter()
        .map(|query| {
            let mut rng =
                SplitMix64::new(seed ^ fnv1a(query.id.as_bytes()) ^ fnv1a(query.text.as_bytes()).rotate_left(32));
            match misspell_one_word(&query.text, &mut rng) {
                Some(text) => Query { id: query.id.clone(), text },
                None => {
                    unchanged += 1;
                    query.clone()
                }
            }
        })
        .collect();
    TypoQueries { queries, unchanged }
}

/// `text` with one edit in one long word, or `None` when it has no long word.
fn misspell_one_word(text: &str, rng: &mut SplitMix64) -> Option<String> {
    // Words are maximal runs of letters, as char index ranges.
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in chars.iter().chain(std::iter::once(&' ')).enumerate() {
        match (c.is_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if i - s >= TYPO_MIN_LETTERS {
                    words.push(s..i);
                }
                start = None;
            }
            _ => {}
        }
    }
    if words.is_empty() {
        return None;
    }
    let word = words[rng.below(words.len())].clone();
    let mut letters: Vec<char> = chars[word.clone()].to_vec();
    edit(&mut letters, rng);
    let mut out: String = chars[..word.start].iter().collect();
    out.extend(letters);
    out.extend(&chars[word.end..]);
    Some(out)
}

/// Applies one random edit that always changes `word` (at least two letters long). The one typo
/// model of papersift: evaluation and the benchmark query classes both use it.
pub(crate) fn edit(word: &mut Vec<char>, rng: &mut SplitMix64) {
    let swappable: Vec<usize> = (0..word.len() - 1).filter(|&i| word[i] != word[i + 1]).collect();
    match rng.below(4) {
        0 => {
            word.remove(rng.below(word.len()));
        }
        1 => {
            let letter = random_letter(rng);
            word.insert(rng.below(word.len() + 1), letter);
        }
        // Swapping two equal letters would change nothing, so such a word gets a substitution.
        3 if !swappable.is_empty() => {
            let i = swappable[rng.below(swappable.len())];
            word.swap(i, i + 1);
        }
        _ => {
            let i = rng.below(word.len());
            let original = word[i].to_ascii_lowercase();
            let mut letter = random_letter(rng);
            while letter == original {
                letter = random_letter(rng);
            }
            word[i] = letter;
        }
    }
}

fn random_letter(rng: &mut SplitMix64) -> char {
    (b'a' + rng.below(26) as u8) as char
}

/// FNV-1a, to fold a query's id and text into the seed.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// SplitMix64 (Steele, Lea and Flood, 2014): tiny, fast, and the same on every platform, which is
/// all a reproducible typo set needs.
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (Lemire's multiply-shift; the bias is negligible for small `n`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judgments(pairs: &[(&str, u32)]) -> HashMap<String, u32> {
        pairs.iter().map(|&(doc, rel)| (doc.to_string(), rel)).collect()
    }

    fn ranking(docs: &[&str]) -> Vec<String> {
        docs.iter().map(|d| d.to_string()).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn ndcg_of_a_three_document_ranking_matches_the_hand_computation() {
        // Ranking [a, b, c] with a: 0, b: 2, c: 1 judged; d: 3 judged but not retrieved.
        // DCG  = 0/log2(2) + (2^2-1)/log2(3) + (2^1-1)/log2(4) = 0 + 3/1.5849625 + 1/2 = 2.3927893
        // IDCG = ideal order d(3), b(2), c(1), a(0):
        //        7/log2(2) + 3/log2(3) + 1/log2(4) + 0 = 7 + 1.8927893 + 0.5 = 9.3927893
        // nDCG = 2.3927893 / 9.3927893 = 0.2547475
        let j = judgments(&[("a", 0), ("b", 2), ("c", 1), ("d", 3)]);
        let got = ndcg(&ranking(&["a", "b", "c"]), &j, 10);
        let dcg = 3.0 / 3f64.log2() + 0.5;
        let idcg = 7.0 + 3.0 / 3f64.log2() + 0.5;
        assert!(close(got, dcg / idcg), "{got}");
        assert!((got - 0.2547475).abs() < 1e-6, "{got}");
    }

    #[test]
    fn ndcg_is_one_for_the_ideal_ranking_and_ignores_ranks_past_k() {
        let j = judgments(&[("a", 2), ("b", 1)]);
        assert!(close(ndcg(&ranking(&["a", "b", "x"]), &j, 10), 1.0));
        // b at rank 2 is past k = 1: DCG = 3, IDCG = 3 (only the top 1 of the ideal counts).
        assert!(close(ndcg(&ranking(&["a", "b"]), &j, 1), 1.0));
        assert!(close(ndcg(&ranking(&["x", "a"]), &j, 1), 0.0));
        assert_eq!(ndcg(&ranking(&["a"]), &judgments(&[("a", 0)]), 10), 0.0);
    }

    #[test]
    fn recall_counts_only_positive_relevance() {
        let j = judgments(&[("a", 1), ("b", 0), ("c", 2), ("d", 1)]);
        // Relevant: a, c, d. Retrieved: b, c → 1 of 3.
        assert!(close(recall(&ranking(&["b", "c"]), &j, 100), 1.0 / 3.0));
        // c is past k = 1.
        assert_eq!(recall(&ranking(&["b", "c"]), &j, 1), 0.0);
    }

    #[test]
    fn reciprocal_rank_is_that_of_the_first_relevant_document_within_k() {
        let j = judgments(&[("a", 0), ("c", 1)]);
        assert!(close(reciprocal_rank(&ranking(&["a", "b", "c"]), &j, 10), 1.0 / 3.0));
        assert_eq!(reciprocal_rank(&ranking(&["a", "b", "c"]), &j, 2), 0.0);
    }

    #[test]
    fn evaluate_averages_over_queries_with_relevant_documents_and_counts_the_rest() {
        let qrels = parse_qrels(b"query_id\tdoc_id\trelevance\nq1\ta\t1\nq1\tb\t1\nq2\tc\t1\nq3\td\t0\n").unwrap();
        let runs = vec![
            // q1: a at rank 2, b not retrieved. nDCG = (1/log2 3) / (1 + 1/log2 3) = 0.3868528;
            // recall 1/2; RR 1/2.
            Run { query_id: "q1".into(), ranking: ranking(&["x", "a"]) },
            // q2: perfect. nDCG 1, recall 1, RR 1.
            Run { query_id: "q2".into(), ranking: ranking(&["c"]) },
            // q3: only a relevance-0 judgment; q4: no judgment at all. Both are skipped.
            Run { query_id: "q3".into(), ranking: ranking(&["d"]) },
            Run { query_id: "q4".into(), ranking: ranking(&["d"]) },
        ];
        let summary = evaluate(&runs, &qrels);
        assert_eq!(summary.queries, 2);
        assert_eq!(summary.skipped_no_relevant, 2);
        let q1_ndcg = (1.0 / 3f64.log2()) / (1.0 + 1.0 / 3f64.log2());
        assert!(close(summary.ndcg_at_10, (q1_ndcg + 1.0) / 2.0), "{}", summary.ndcg_at_10);
        assert!(close(summary.recall_at_100, 0.75));
        assert!(close(summary.mrr_at_10, 0.75));
    }

    #[test]
    fn evaluate_with_no_scorable_query_gives_zeros() {
        let summary = evaluate(&[], &Qrels::default());
        assert_eq!(summary, Summary::default());
    }

    #[test]
    fn queries_parse_with_string_or_numeric_ids_and_skip_blank_lines() {
        let queries = parse_queries(b"{\"id\": \"a\", \"text\": \"one\"}\n\n{\"id\": 2, \"text\": \"two\"}\n").unwrap();
        assert_eq!(
            queries,
            vec![Query { id: "a".into(), text: "one".into() }, Query { id: "2".into(), text: "two".into() }]
        );
    }

    #[test]
    fn a_bad_query_line_is_reported_with_its_line_number() {
        let err = parse_queries(b"{\"id\": \"a\", \"text\": \"one\"}\n{\"id\": \"b\"}\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.reason.contains("text"), "{}", err.reason);
        let err = parse_queries(b"not json\n").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.to_string().starts_with("line 1: "));
    }

    #[test]
    fn qrels_skip_the_header_keep_zero_grades_and_report_bad_rows() {
        let qrels = parse_qrels(b"query_id\tdoc_id\trelevance\r\n1\t12\t2\r\n1\t13\t0\r\n2\t5\t1\n").unwrap();
        assert_eq!(qrels.len(), 2);
        assert_eq!(qrels.judgments("1").unwrap(), &judgments(&[("12", 2), ("13", 0)]));
        assert!(qrels.judgments("query_id").is_none());

        let err = parse_qrels(b"h\n1\t12\t2\n1 12 2\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.reason.contains("3 tab-separated columns"));
        let err = parse_qrels(b"h\n1\t12\t-1\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.reason.contains("non-negative integer"));
    }

    #[test]
    fn every_typo_is_exactly_one_edit_in_one_long_word() {
        let texts = [
            "0-dimensional biomaterials show inductive properties.",
            "what similarity laws must be obeyed when constructing aeroelastic models",
            "aaaaa",
            "Schrödinger équation",
            "short words only here",
        ];
        let queries: Vec<Query> =
            texts.iter().enumerate().map(|(i, t)| Query { id: i.to_string(), text: t.to_string() }).collect();
        for seed in 0..200 {
            let typoed = with_typos(&queries, seed);
            assert_eq!(typoed.unchanged, 0);
            for (before, after) in queries.iter().zip(&typoed.queries) {
                assert_eq!(before.id, after.id);
                assert_eq!(
                    crate::termdict::tests::osa_distance(&before.text, &after.text),
                    1,
                    "seed {seed}: {:?} → {:?}",
                    before.text,
                    after.text
                );
                let changed_words = before
                    .text
                    .split(|c: char| !c.is_alphabetic())
                    .zip(after.text.split(|c: char| !c.is_alphabetic()))
                    .filter(|(b, a)| b != a)
                    .collect::<Vec<_>>();
                assert_eq!(changed_words.len(), 1, "{:?} → {:?}", before.text, after.text);
                assert!(changed_words[0].0.chars().count() >= TYPO_MIN_LETTERS);
            }
        }
    }

    #[test]
    fn queries_without_a_long_word_are_left_alone_and_counted() {
        let queries = vec![
            Query { id: "1".into(), text: "fst".into() },
            Query { id: "2".into(), text: "".into() },
            Query { id: "3".into(), text: "GPT-4 on 1/2000 cats".into() },
        ];
        let typoed = with_typos(&queries, 7);
        assert_eq!(typoed.queries, queries);
        assert_eq!(typoed.unchanged, 3);
    }

    #[test]
    fn typos_are_deterministic_per_seed_and_vary_across_seeds() {
        let queries = vec![Query { id: "1".into(), text: "retrieval augmented generation".into() }];
        assert_eq!(with_typos(&queries, 1), with_typos(&queries, 1));
        let distinct: std::collections::HashSet<String> =
            (0..50).map(|seed| with_typos(&queries, seed).queries[0].text.clone()).collect();
        assert!(distinct.len() > 10, "{distinct:?}");
    }

    #[test]
    fn all_four_kinds_of_edit_occur() {
        let queries = vec![Query { id: "1".into(), text: "abcdefgh".into() }];
        let mut lengths = std::collections::HashSet::new();
        let mut transposed = false;
        for seed in 0..200 {
            let text = with_typos(&queries, seed).queries[0].text.clone();
            lengths.insert(text.len());
            let mut sorted: Vec<char> = text.chars().collect();
            sorted.sort_unstable();
            transposed |= text.len() == 8 && sorted.iter().collect::<String>() == "abcdefgh";
        }
        // 7: deletion, 9: insertion, 8: substitution or transposition.
        assert_eq!(lengths, [7, 8, 9].into_iter().collect());
        assert!(transposed);
    }
}
