//! End-to-end tests of the `papersift` binary: build, query, eval and stats, as a user runs them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

// ---- helpers ----

/// What one run of the binary did.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    #[track_caller]
    fn assert_success(&self) -> &Run {
        assert_eq!(self.code, Some(0), "expected success\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    #[track_caller]
    fn assert_failure(&self) -> &Run {
        assert_eq!(self.code, Some(1), "expected exit code 1\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        assert!(self.stderr.contains("papersift: "), "errors start with `papersift: `:\n{}", self.stderr);
        self
    }

    /// The number after `label:` in the output, e.g. `records read: 78`.
    #[track_caller]
    fn count(&self, label: &str) -> usize {
        let line = self
            .stdout
            .lines()
            .find(|line| line.starts_with(&format!("{label}:")))
            .unwrap_or_else(|| panic!("no `{label}:` line in:\n{}", self.stdout));
        line[label.len() + 1..].trim().parse().unwrap_or_else(|_| panic!("`{line}` does not end in a number"))
    }

    /// Every stdout line, parsed as JSON.
    #[track_caller]
    fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
            .collect()
    }
}

fn papersift<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    papersift_with_stdin(args, None)
}

fn papersift_with_stdin<S: AsRef<std::ffi::OsStr>>(args: &[S], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_papersift"))
        .args(args)
        .current_dir(repo_root())
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the papersift binary runs");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    Run::from(child.wait_with_output().unwrap())
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// A file under the repository's `tests/fixtures/`.
fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

fn default_corpus() -> PathBuf {
    repo_root().join("data/daily_papers.txt")
}

/// Builds an index of `inputs` into a new temporary directory and checks the summary adds up.
fn build(inputs: &[PathBuf]) -> TempDir {
    let dir = TempDir::new().unwrap();
    let mut args: Vec<std::ffi::OsString> = vec!["build".into()];
    args.extend(inputs.iter().map(|p| p.clone().into_os_string()));
    args.extend(["-o".into(), dir.path().as_os_str().to_owned()]);
    let run = papersift(&args);
    run.assert_success();
    assert_eq!(run.count("records read"), run.count("records indexed") + run.count("records skipped"));
    assert!(dir.path().join("papersift.idx").is_file());
    dir
}

fn index_of(dir: &TempDir) -> PathBuf {
    dir.path().join("papersift.idx")
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

// ---- build ----

#[test]
fn build_default_corpus_indexes_all_78_papers() {
    let dir = build(&[default_corpus()]);
    let run = papersift(&["stats".as_ref(), dir.path().as_os_str()]);
    run.assert_success();
    assert_eq!(run.count("documents"), 78);
    // The index is renamed into place: no temporary file is left behind.
    let files = files_in(dir.path());
    assert!(files.contains(&"papersift.idx".to_string()), "{files:?}");
    assert!(!files.iter().any(|name| name.starts_with('.') || name.ends_with(".tmp")), "{files:?}");
}

#[test]
fn build_summary_shows_read_indexed_skipped_terms_bytes_and_time() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("new/nested");
    let run = papersift(&["build".as_ref(), default_corpus().as_os_str(), "-o".as_ref(), out.as_os_str()]);
    run.assert_success();
    assert_eq!(run.count("records read"), 78);
    assert_eq!(run.count("records indexed"), 78);
    assert_eq!(run.count("records skipped"), 0);
    assert!(run.count("terms") > 100);
    let bytes = run.count("index bytes");
    assert_eq!(bytes as u64, std::fs::metadata(out.join("papersift.idx")).unwrap().len());
    assert!(run.stdout.contains("time:"), "{}", run.stdout);
}

#[test]
fn build_each_fixture_format() {
    for name in [
        "papers.jsonl",
        "papers.bib",
        "papers.csv",
        "papers.csl.json",
        "papers.ris",
        "zotero.csv",
        "arxiv.xml",
        "papers_real.bib",
    ] {
        let dir = TempDir::new().unwrap();
        let run = papersift(&["build".as_ref(), fixture(name).as_os_str(), "-o".as_ref(), dir.path().as_os_str()]);
        run.assert_success();
        assert_eq!(run.count("records read"), run.count("records indexed") + run.count("records skipped"), "{name}");
        assert!(run.count("records indexed") > 0, "{name}: {}", run.stdout);
        assert!(dir.path().join("papersift.idx").is_file(), "{name}");
    }
}

#[test]
fn build_several_inputs_into_one_index() {
    let dir = build(&[default_corpus(), fixture("cli/tiny.jsonl")]);
    let run = papersift(&["stats".as_ref(), dir.path().as_os_str()]);
    assert_eq!(run.count("documents"), 78 + 4);
}

#[test]
fn build_reads_standard_input_with_an_explicit_format() {
    let dir = TempDir::new().unwrap();
    let tiny = std::fs::read(fixture("cli/tiny.jsonl")).unwrap();
    let run = papersift_with_stdin(
        &["build".as_ref(), "-".as_ref(), "--format".as_ref(), "jsonl".as_ref(), "-o".as_ref(), dir.path().as_os_str()],
        Some(&tiny),
    );
    run.assert_success();
    assert_eq!(run.count("records indexed"), 4);
}

#[test]
fn build_rejects_an_unknown_format_name() {
    let dir = TempDir::new().unwrap();
    let run = papersift(&[
        "build".as_ref(),
        fixture("cli/tiny.jsonl").as_os_str(),
        "--format".as_ref(),
        "yaml".as_ref(),
        "-o".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_ne!(run.code, Some(0));
    assert!(run.stderr.contains("yaml"), "{}", run.stderr);
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn build_format_flag_reads_ris_from_standard_input() {
    let dir = TempDir::new().unwrap();
    let ris = std::fs::read(fixture("papers.ris")).unwrap();
    let run = papersift_with_stdin(
        &["build".as_ref(), "-".as_ref(), "--format".as_ref(), "ris".as_ref(), "-o".as_ref(), dir.path().as_os_str()],
        Some(&ris),
    );
    run.assert_success();
    assert_eq!(run.count("records indexed"), 3);
    let run = papersift(&["query".as_ref(), dir.path().as_os_str(), "short-term memory".as_ref()]);
    run.assert_success();
    assert!(run.stdout.contains("Sepp Hochreiter, Jürgen Schmidhuber · 1997"), "{}", run.stdout);
}

#[test]
fn build_format_flag_overrides_the_extension() {
    let dir = TempDir::new().unwrap();
    let misnamed = dir.path().join("export.txt");
    std::fs::copy(fixture("arxiv.xml"), &misnamed).unwrap();
    let out = dir.path().join("out");
    let run = papersift(&[
        "build".as_ref(),
        misnamed.as_os_str(),
        "--format".as_ref(),
        "atom".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    run.assert_success();
    assert_eq!(run.count("records indexed"), 3);
}

#[test]
fn build_rejects_input_of_no_known_format_and_names_the_formats() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let run = papersift(&["build".as_ref(), fixture("bad/notes.dat").as_os_str(), "-o".as_ref(), out.as_os_str()]);
    run.assert_failure();
    assert!(run.stderr.contains("notes.dat:1: cannot tell the format"), "{}", run.stderr);
    for name in ["jsonl", "csl-json", "bibtex", "ris", "atom", "daily-papers"] {
        assert!(run.stderr.contains(name), "the error names {name}: {}", run.stderr);
    }
    assert!(!out.join("papersift.idx").exists());
}

#[test]
fn build_help_lists_every_input_format() {
    let run = papersift(&["build", "--help"]);
    run.assert_success();
    for name in ["jsonl", "csl-json", "csv", "bibtex", "ris", "atom", "daily-papers"] {
        assert!(run.stdout.contains(name), "--help names {name}: {}", run.stdout);
    }
}

#[test]
fn strict_build_failure_writes_no_index_and_names_every_bad_record() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let run = papersift(&["build".as_ref(), fixture("cli/bad.jsonl").as_os_str(), "-o".as_ref(), out.as_os_str()]);
    run.assert_failure();
    assert!(run.stderr.contains("bad.jsonl:2: year: "), "{}", run.stderr);
    assert!(run.stderr.contains("bad.jsonl:4: "), "{}", run.stderr);
    assert!(run.stderr.contains("--skip-invalid"), "the message says how to go on:\n{}", run.stderr);
    assert!(!out.join("papersift.idx").exists());
    if out.exists() {
        assert!(files_in(&out).is_empty(), "{:?}", files_in(&out));
    }
}

#[test]
fn strict_build_failure_keeps_an_existing_index() {
    let dir = build(&[fixture("cli/tiny.jsonl")]);
    let before = std::fs::read(index_of(&dir)).unwrap();
    let files_before = files_in(dir.path());
    let run =
        papersift(&["build".as_ref(), fixture("cli/bad.jsonl").as_os_str(), "-o".as_ref(), dir.path().as_os_str()]);
    run.assert_failure();
    assert_eq!(std::fs::read(index_of(&dir)).unwrap(), before);
    assert_eq!(files_in(dir.path()), files_before);
}

#[test]
fn every_format_fails_strictly_and_skips_with_read_equal_to_indexed_plus_skipped() {
    let cases = [
        ("bad/bad_author.csl.json", "bad_author.csl.json:3: author: "),
        ("bad/bad_year.ris", "bad_year.ris:9: PY: "),
        ("bad/bad_year_zotero.csv", "bad_year_zotero.csv:3: Publication Year: "),
        ("bad/bad_published.xml", "bad_published.xml:10: published: "),
        ("bad/missing_crossref.bib", "missing_crossref.bib:6: crossref: "),
    ];
    for (name, error) in cases {
        let dir = TempDir::new().unwrap();
        let out = dir.path().join("out");
        let strict = papersift(&["build".as_ref(), fixture(name).as_os_str(), "-o".as_ref(), out.as_os_str()]);
        strict.assert_failure();
        assert!(strict.stderr.contains(error), "{name}: {}", strict.stderr);
        assert!(!out.join("papersift.idx").exists(), "{name}");

        let skipping = papersift(&[
            "build".as_ref(),
            fixture(name).as_os_str(),
            "--skip-invalid".as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
        ]);
        skipping.assert_success();
        assert_eq!(skipping.count("records skipped"), 1, "{name}");
        assert!(skipping.count("records indexed") >= 1, "{name}");
        assert_eq!(
            skipping.count("records read"),
            skipping.count("records indexed") + skipping.count("records skipped"),
            "{name}"
        );
        assert!(skipping.stdout.contains(error), "{name}: {}", skipping.stdout);
    }
}

#[test]
fn skip_invalid_indexes_the_rest_and_lists_every_skipped_record() {
    let dir = TempDir::new().unwrap();
    let run = papersift(&[
        "build".as_ref(),
        fixture("cli/bad.jsonl").as_os_str(),
        "--skip-invalid".as_ref(),
        "-o".as_ref(),
        dir.path().as_os_str(),
    ]);
    run.assert_success();
    assert_eq!(run.count("records read"), 4);
    assert_eq!(run.count("records indexed"), 2);
    assert_eq!(run.count("records skipped"), 2);
    assert!(run.stdout.contains("bad.jsonl:2: year: "), "{}", run.stdout);
    assert!(run.stdout.contains("bad.jsonl:4: "), "{}", run.stdout);
    assert!(index_of(&dir).is_file());
}

#[test]
fn build_of_a_missing_file_fails_naming_it() {
    let dir = TempDir::new().unwrap();
    let run = papersift(&["build".as_ref(), "no/such/papers.jsonl".as_ref(), "-o".as_ref(), dir.path().as_os_str()]);
    run.assert_failure();
    assert!(run.stderr.contains("no/such/papers.jsonl"), "{}", run.stderr);
}

// ---- query ----

#[test]
fn query_json_finds_model_merging_papers_first() {
    let dir = build(&[default_corpus()]);
    let run = papersift(&["query".as_ref(), dir.path().as_os_str(), "model merging".as_ref(), "--json".as_ref()]);
    run.assert_success();
    let hits = run.json_lines();
    assert!(!hits.is_empty() && hits.len() <= 10, "{}", run.stdout);
    for key in ["id", "score", "title", "authors", "year", "venue", "url", "snippet"] {
        assert!(hits[0].get(key).is_some(), "hit has no `{key}`: {}", hits[0]);
    }
    assert!(hits[0]["title"].as_str().unwrap().contains("Merging"), "top hit: {}", hits[0]["title"]);
    let scores: Vec<f64> = hits.iter().map(|hit| hit["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|pair| pair[0] >= pair[1]), "best first: {scores:?}");
}

#[test]
fn query_limit_caps_the_hits() {
    let dir = build(&[default_corpus()]);
    let run = papersift(&[
        "query".as_ref(),
        dir.path().as_os_str(),
        "model".as_ref(),
        "--json".as_ref(),
        "--limit".as_ref(),
        "3".as_ref(),
    ]);
    run.assert_success();
    assert_eq!(run.json_lines().len(), 3);
}

#[test]
fn query_accepts_the_index_file_or_its_directory() {
    let dir = build(&[default_corpus()]);
    let by_dir = papersift(&["query".as_ref(), dir.path().as_os_str(), "model merging".as_ref(), "--json".as_ref()]);
    let by_file =
        papersift(&["query".as_ref(), index_of(&dir).as_os_str(), "model merging".as_ref(), "--json".as_ref()]);
    by_dir.assert_success();
    assert_eq!(by_dir.stdout, by_file.stdout);
}

#[test]
fn query_human_output_ranks_and_marks_highlights() {
    let dir = build(&[default_corpus()]);
    let run = papersift(&["query".as_ref(), dir.path().as_os_str(), "model merging".as_ref()]);
    run.assert_success();
    assert!(run.stdout.starts_with(" 1. ") || run.stdout.starts_with("1. "), "{}", run.stdout);
    // Not a terminal, so highlights are bracketed.
    assert!(run.stdout.contains("[[Merging]]") || run.stdout.contains("[[merging]]"), "{}", run.stdout);
    assert!(run.stdout.contains("matching papers"), "{}", run.stdout);
}

#[test]
fn query_tolerates_a_typo_unless_told_not_to() {
    let dir = build(&[default_corpus()]);
    let fuzzy = papersift(&["query".as_ref(), dir.path().as_os_str(), "merbing".as_ref(), "--json".as_ref()]);
    fuzzy.assert_success();
    let hits = fuzzy.json_lines();
    assert!(!hits.is_empty());
    assert!(hits[0]["title"].as_str().unwrap().contains("Merging"), "{}", hits[0]);

    let exact = papersift(&[
        "query".as_ref(),
        dir.path().as_os_str(),
        "merbing".as_ref(),
        "--json".as_ref(),
        "--no-fuzzy".as_ref(),
    ]);
    exact.assert_success();
    assert!(exact.stdout.is_empty(), "{}", exact.stdout);
}

#[test]
fn query_filters_by_year_and_author() {
    let dir = build(&[fixture("cli/tiny.jsonl")]);
    let ids = |extra: &[&str]| -> Vec<String> {
        let mut args: Vec<std::ffi::OsString> =
            vec!["query".into(), dir.path().into(), "quokka narwhal axolotl pangolin".into(), "--json".into()];
        args.extend(extra.iter().map(Into::into));
        let run = papersift(&args);
        run.assert_success();
        let mut ids: Vec<String> = run.json_lines().iter().map(|hit| hit["id"].as_str().unwrap().to_string()).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&[]), ["d1", "d2", "d3", "d4"]);
    assert_eq!(ids(&["--year-min", "2021", "--year-max", "2022"]), ["d2", "d3"]);
    assert_eq!(ids(&["--author", "Hopper"]), ["d2"]);
}

#[test]
fn query_batch_prints_one_line_per_query() {
    let dir = build(&[fixture("cli/tiny.jsonl")]);
    let run = papersift(&[
        "query".as_ref(),
        dir.path().as_os_str(),
        "--queries".as_ref(),
        fixture("cli/tiny_queries.jsonl").as_os_str(),
    ]);
    run.assert_success();
    let lines = run.json_lines();
    let query_ids: Vec<&str> = lines.iter().map(|line| line["query_id"].as_str().unwrap()).collect();
    assert_eq!(query_ids, ["q1", "q2", "q3", "q4"]);
    let top: Vec<&str> = lines.iter().map(|line| line["hits"][0]["id"].as_str().unwrap()).collect();
    assert_eq!(top, ["d1", "d2", "d3", "d4"]);
    for line in &lines {
        for hit in line["hits"].as_array().unwrap() {
            let keys: Vec<&String> = hit.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["id", "score"], "{hit}");
            assert!(hit["score"].is_number());
        }
    }
}

#[test]
fn query_batch_reads_queries_from_standard_input() {
    let dir = build(&[fixture("cli/tiny.jsonl")]);
    let run = papersift_with_stdin(
        &[
            "query".as_ref(),
            dir.path().as_os_str(),
            "--queries".as_ref(),
            "-".as_ref(),
            "--limit".as_ref(),
            "1".as_ref(),
        ],
        Some(b"{\"id\": 7, \"text\": \"axolotl\"}\n"),
    );
    run.assert_success();
    let lines = run.json_lines();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["query_id"], "7");
    assert_eq!(lines[0]["hits"].as_array().unwrap().len(), 1);
}

#[test]
fn query_batch_names_the_bad_line() {
    let dir = build(&[fixture("cli/tiny.jsonl")]);
    let run = papersift(&[
        "query".as_ref(),
        dir.path().as_os_str(),
        "--queries".as_ref(),
        fixture("cli/bad_queries.jsonl").as_os_str(),
    ]);
    run.assert_failure();
    assert!(run.stderr.contains("bad_queries.jsonl:2: "), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "nothing is printed for a bad file: {}", run.stdout);
}

#[test]
fn query_needs_text_or_queries() {
    let dir = build(&[fixture("cli/tiny.jsonl")]);
    let run = papersift(&["query".as_ref(), dir.path().as_os_str()]);
    assert_ne!(run.code, Some(0));
}

// ---- eval ----

fn eval_tiny(extra: &[&str]) -> Run {
    let dir = build(&[fixture("cli/tiny.jsonl")]);
    let mut args: Vec<std::ffi::OsString> = vec![
        "eval".into(),
        dir.path().into(),
        "--queries".into(),
        fixture("cli/tiny_queries.jsonl").into(),
        "--qrels".into(),
        fixture("cli/tiny_qrels.tsv").into(),
    ];
    args.extend(extra.iter().map(Into::into));
    papersift(&args)
}

#[test]
fn eval_on_tiny_qrels_gives_the_hand_computed_scores() {
    // Each query matches exactly one paper: q1 → d1, q2 → d2, q3 → d3, q4 → d4.
    // q1: d1 (rel 1) at rank 1; d2 (rel 2) judged but not retrieved.
    //     DCG = (2^1-1)/log2(2) = 1; IDCG = (2^2-1)/log2(2) + (2^1-1)/log2(3) = 3.6309298
    //     nDCG = 0.2754144; recall = 1/2; RR = 1.
    // q2: d2 (rel 2) at rank 1, the only relevant one: nDCG 1, recall 1, RR 1.
    // q3: only a relevance-0 judgment: skipped.
    // q4: d4 retrieved but unjudged; d1 (rel 1) missed: nDCG 0, recall 0, RR 0.
    // Means over q1, q2, q4: nDCG 0.4251381, recall 0.5, MRR 0.6666667.
    let run = eval_tiny(&["--json"]);
    run.assert_success();
    let result = &run.json_lines()[0];
    assert_eq!(result["queries"], 3);
    assert_eq!(result["skipped_no_relevant"], 1);
    let q1_ndcg = 1.0 / (3.0 + 1.0 / 3f64.log2());
    let close = |key: &str, want: f64| {
        let got = result[key].as_f64().unwrap();
        assert!((got - want).abs() < 1e-6, "{key}: got {got}, want {want}");
    };
    close("ndcg_at_10", (q1_ndcg + 1.0) / 3.0);
    close("ndcg_at_10", 0.4251381);
    close("recall_at_100", 0.5);
    close("mrr_at_10", 2.0 / 3.0);
}

#[test]
fn eval_prints_a_readable_table() {
    let run = eval_tiny(&[]);
    run.assert_success();
    assert_eq!(run.count("queries evaluated"), 3);
    assert!(run.stdout.contains("nDCG@10:           0.4251"), "{}", run.stdout);
    assert!(run.stdout.contains("Recall@100:        0.5000"), "{}", run.stdout);
    assert!(run.stdout.contains("MRR@10:            0.6667"), "{}", run.stdout);
    assert!(run.stdout.contains("queries skipped:   1"), "{}", run.stdout);
}

#[test]
fn eval_with_a_typo_seed_is_reproducible() {
    let first = eval_tiny(&["--json", "--typo-seed", "3"]);
    first.assert_success();
    let second = eval_tiny(&["--json", "--typo-seed", "3"]);
    assert_eq!(first.stdout, second.stdout);
    let result = &first.json_lines()[0];
    assert_eq!(result["typo_seed"], 3);
    // Every tiny query is one word of 6+ letters, so every query gets a typo.
    assert_eq!(result["typo_unchanged"], 0);
    assert_eq!(result["queries"], 3);
}

#[test]
fn eval_names_a_bad_qrels_line() {
    let dir = TempDir::new().unwrap();
    let qrels = dir.path().join("qrels.tsv");
    std::fs::write(&qrels, "query_id\tdoc_id\trelevance\nq1\td1\tvery\n").unwrap();
    let index = build(&[fixture("cli/tiny.jsonl")]);
    let run = papersift(&[
        "eval".as_ref(),
        index.path().as_os_str(),
        "--queries".as_ref(),
        fixture("cli/tiny_queries.jsonl").as_os_str(),
        "--qrels".as_ref(),
        qrels.as_os_str(),
    ]);
    run.assert_failure();
    assert!(run.stderr.contains("qrels.tsv:2: "), "{}", run.stderr);
}

/// The JS benchmark harness takes its typo'd queries from here rather than porting the generator.
#[test]
fn eval_writes_the_typod_queries_it_evaluates() {
    let dir = TempDir::new().unwrap();
    let written = dir.path().join("typos.jsonl");
    let run = papersift(&[
        "eval".as_ref(),
        "--queries".as_ref(),
        fixture("cli/tiny_queries.jsonl").as_os_str(),
        "--typo-seed".as_ref(),
        "3".as_ref(),
        "--write-queries".as_ref(),
        written.as_os_str(),
    ]);
    run.assert_success();
    let lines: Vec<serde_json::Value> =
        std::fs::read_to_string(&written).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let original: Vec<serde_json::Value> = std::fs::read_to_string(fixture("cli/tiny_queries.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), original.len());
    for (typoed, query) in lines.iter().zip(&original) {
        assert_eq!(typoed["id"], query["id"]);
        assert_ne!(typoed["text"], query["text"], "every tiny query has a word of 5+ letters");
    }

    let with_seed = eval_tiny(&["--json", "--typo-seed", "3"]);
    let index = build(&[fixture("cli/tiny.jsonl")]);
    let from_file = papersift(&[
        "eval".as_ref(),
        index.path().as_os_str(),
        "--queries".as_ref(),
        written.as_os_str(),
        "--qrels".as_ref(),
        fixture("cli/tiny_qrels.tsv").as_os_str(),
        "--json".as_ref(),
    ]);
    from_file.assert_success();
    assert_eq!(with_seed.json_lines()[0]["ndcg_at_10"], from_file.json_lines()[0]["ndcg_at_10"]);
}

/// Another engine's rankings, in `papersift query --queries`'s shape, score as papersift's own do.
#[test]
fn eval_scores_rankings_made_elsewhere() {
    let index = build(&[fixture("cli/tiny.jsonl")]);
    let batch = papersift(&[
        "query".as_ref(),
        index.path().as_os_str(),
        "--queries".as_ref(),
        fixture("cli/tiny_queries.jsonl").as_os_str(),
        "--limit".as_ref(),
        "100".as_ref(),
    ]);
    batch.assert_success();
    let dir = TempDir::new().unwrap();
    let rankings = dir.path().join("runs.jsonl");
    std::fs::write(&rankings, &batch.stdout).unwrap();
    let run = papersift(&[
        "eval".as_ref(),
        "--qrels".as_ref(),
        fixture("cli/tiny_qrels.tsv").as_os_str(),
        "--rankings".as_ref(),
        rankings.as_os_str(),
        "--json".as_ref(),
    ]);
    run.assert_success();
    let own = eval_tiny(&["--json"]);
    for key in ["queries", "skipped_no_relevant", "ndcg_at_10", "recall_at_100", "mrr_at_10"] {
        assert_eq!(run.json_lines()[0][key], own.json_lines()[0][key], "{key}");
    }

    std::fs::write(&rankings, "{\"query_id\": \"q1\", \"hits\": [{\"score\": 1}]}\n").unwrap();
    let bad = papersift(&[
        "eval".as_ref(),
        "--qrels".as_ref(),
        fixture("cli/tiny_qrels.tsv").as_os_str(),
        "--rankings".as_ref(),
        rankings.as_os_str(),
    ]);
    bad.assert_failure();
    assert!(bad.stderr.contains("runs.jsonl:1: "), "{}", bad.stderr);
}

#[test]
fn eval_writes_the_benchmark_query_classes() {
    let index = build(&[fixture("papers.jsonl")]);
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("classes.jsonl");
    let run = papersift(&[
        "eval".as_ref(),
        index.path().as_os_str(),
        "--write-classes".as_ref(),
        out.as_os_str(),
        "--per-class".as_ref(),
        "3".as_ref(),
    ]);
    run.assert_success();
    let classes: Vec<serde_json::Value> =
        std::fs::read_to_string(&out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let names: Vec<&str> = classes.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["exact", "two-word", "prefix", "typo", "typo-typing", "phrase", "typing", "typing-scratch"]);
    // Every class has queries; the typing classes hold each keystroke of one typed pair of words.
    let (typing, drawn): (Vec<_>, Vec<_>) =
        classes.iter().partition(|c| c["name"].as_str().is_some_and(|n| n.starts_with("typing")));
    assert!(
        drawn.iter().all(|c| c["queries"].as_array().is_some_and(|q| !q.is_empty() && q.len() <= 3)),
        "{classes:?}"
    );
    assert!(typing.iter().all(|c| c["queries"].as_array().is_some_and(|q| q.len() > 3)), "{classes:?}");

    let missing = papersift(&["eval".as_ref(), "--write-classes".as_ref(), out.as_os_str()]);
    missing.assert_failure();
    assert!(missing.stderr.contains("needs INDEX"), "{}", missing.stderr);
}

// ---- stats ----

#[test]
fn stats_shows_the_version_and_every_section() {
    let dir = build(&[fixture("cli/tiny.jsonl")]);
    let bytes = std::fs::read(index_of(&dir)).unwrap();
    let expected = papersift_core::Index::from_bytes(bytes.clone()).unwrap().stats();

    let run = papersift(&["stats".as_ref(), dir.path().as_os_str()]);
    run.assert_success();
    assert_eq!(run.count("format version"), expected.version as usize);
    assert_eq!(run.count("documents"), 4);
    assert_eq!(run.count("total bytes"), bytes.len());
    assert!(!expected.sections.is_empty());
    assert_eq!(run.count("pieces"), expected.pieces);
    for (name, pieces, size) in &expected.sections {
        let line = run.stdout.lines().find(|line| line.trim_start().starts_with(&format!("{name} ")));
        let line = line.unwrap_or_else(|| panic!("no line for section `{name}`:\n{}", run.stdout));
        assert!(line.contains(&format!("{size} bytes")), "{line}");
        assert!(line.contains(&format!(" {pieces} pieces")), "{line}");
    }
}

#[test]
fn stats_json_has_the_same_numbers() {
    let dir = build(&[fixture("cli/tiny.jsonl")]);
    let run = papersift(&["stats".as_ref(), index_of(&dir).as_os_str(), "--json".as_ref()]);
    run.assert_success();
    let stats = &run.json_lines()[0];
    assert_eq!(stats["docs"], 4);
    assert!(stats["version"].is_number());
    assert!(stats["sections"].as_array().is_some_and(|sections| !sections.is_empty()));
}

// ---- broken indexes ----

#[test]
fn a_garbage_index_file_fails_with_a_message_naming_it() {
    let dir = TempDir::new().unwrap();
    let garbage = dir.path().join("garbage.idx");
    std::fs::write(&garbage, b"this is not a papersift index, just some text").unwrap();
    for args in [vec!["stats"], vec!["query", "model"]] {
        let mut args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
        args.insert(1, garbage.clone().into());
        let run = papersift(&args);
        run.assert_failure();
        assert!(run.stderr.contains("garbage.idx"), "{}", run.stderr);
        assert!(run.stderr.contains("papersift build"), "the message says how to fix it: {}", run.stderr);
    }
}

#[test]
fn a_truncated_index_file_fails_with_a_message_naming_it() {
    let dir = build(&[fixture("cli/tiny.jsonl")]);
    let bytes = std::fs::read(index_of(&dir)).unwrap();
    for cut in [bytes.len() / 2, bytes.len() - 1, 8] {
        std::fs::write(index_of(&dir), &bytes[..cut]).unwrap();
        let run = papersift(&["query".as_ref(), dir.path().as_os_str(), "quokka".as_ref()]);
        run.assert_failure();
        assert!(run.stderr.contains("papersift.idx: "), "cut at {cut}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn a_missing_index_fails_with_a_message_naming_it() {
    let dir = TempDir::new().unwrap();
    let run = papersift(&["stats".as_ref(), dir.path().as_os_str()]);
    run.assert_failure();
    assert!(run.stderr.contains("papersift.idx"), "{}", run.stderr);
}

// ---- help ----

#[test]
fn every_subcommand_documents_its_options() {
    let cases: [(&str, &[&str]); 4] = [
        ("build", &["--output", "--format", "--skip-invalid", "INPUT"]),
        (
            "query",
            &["--limit", "--json", "--year-min", "--year-max", "--author", "--no-fuzzy", "--no-prefix", "--queries"],
        ),
        (
            "eval",
            &["--queries", "--qrels", "--typo-seed", "--json", "--write-queries", "--rankings", "--write-classes"],
        ),
        ("stats", &["INDEX", "--json"]),
    ];
    for (command, options) in cases {
        let run = papersift(&[command, "--help"]);
        run.assert_success();
        for option in options {
            assert!(run.stdout.contains(option), "`papersift {command} --help` lacks {option}:\n{}", run.stdout);
        }
    }
}

// ---- sharded sites ----

/// Builds the default corpus with `--shards on` into a new temporary directory.
fn build_sharded() -> TempDir {
    let dir = TempDir::new().unwrap();
    let run = papersift(&[
        "build".as_ref(),
        default_corpus().as_os_str(),
        "-o".as_ref(),
        dir.path().as_os_str(),
        "--shards".as_ref(),
        "on".as_ref(),
    ]);
    run.assert_success();
    assert!(run.stdout.contains("pieces:"), "{}", run.stdout);
    dir
}

/// Every `.bin` piece under a sharded site, as paths relative to `site/papersift`.
fn pieces_of(dir: &TempDir) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else if path.extension().is_some_and(|e| e == "bin") {
                out.push(path.strip_prefix(base).unwrap().with_extension("").to_string_lossy().into_owned());
            }
        }
    }
    let base = dir.path().join("papersift");
    let mut out = Vec::new();
    walk(&base, &base, &mut out);
    out.sort();
    out
}

#[test]
fn a_sharded_build_writes_a_root_and_pieces_as_bin_and_js() {
    let dir = build_sharded();
    let pieces = pieces_of(&dir);
    assert!(pieces.len() > 5, "{pieces:?}");
    let stats = papersift(&["stats".as_ref(), dir.path().as_os_str(), "--json".as_ref()]);
    stats.assert_success();
    let stats = &stats.json_lines()[0];
    assert_eq!(stats["pieces"], pieces.len());
    assert_eq!(stats["docs"], 78);
    let root = std::fs::metadata(index_of(&dir)).unwrap().len();
    assert_eq!(stats["root_bytes"], root);
    for name in &pieces {
        let bin = std::fs::read(dir.path().join("papersift").join(format!("{name}.bin"))).unwrap();
        let js = std::fs::read_to_string(dir.path().join("papersift").join(format!("{name}.js"))).unwrap();
        assert!(js.starts_with("(globalThis.papersiftPiece)(\""), "{js}");
        assert!(js.contains(&format!("\", \"{name}\", \"")), "{name}: {js}");
        // Base64 of n bytes is 4 * ceil(n / 3) characters.
        let encoded = js.rsplit("\", \"").next().unwrap().trim_end_matches("\");\n");
        assert_eq!(encoded.len(), bin.len().div_ceil(3) * 4, "{name}");
    }
    let text = papersift(&["stats".as_ref(), dir.path().as_os_str()]);
    assert!(text.stdout.contains("layout:         sharded"), "{}", text.stdout);
}

#[test]
fn a_sharded_site_answers_queries_like_a_single_file() {
    let sharded = build_sharded();
    let single = TempDir::new().unwrap();
    papersift(&[
        "build".as_ref(),
        default_corpus().as_os_str(),
        "-o".as_ref(),
        single.path().as_os_str(),
        "--shards".as_ref(),
        "off".as_ref(),
    ])
    .assert_success();
    assert!(!single.path().join("papersift").exists());
    for query in ["model merging", "languge models", "diffusion", "\"large language\" -vision", "title:models"] {
        let run = |dir: &TempDir| {
            let run = papersift(&["query".as_ref(), dir.path().as_os_str(), query.as_ref(), "--json".as_ref()]);
            run.assert_success();
            run.stdout.clone()
        };
        let expected = run(&single);
        assert!(!expected.is_empty(), "{query} finds papers");
        assert_eq!(run(&sharded), expected, "{query}");
    }
}

/// Every file under `dir`, with its bytes, by path relative to `dir`.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push((path.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn a_build_that_spills_to_scratch_writes_the_same_site_and_cleans_up() {
    let spilled = TempDir::new().unwrap();
    // A few KiB of postings at a time: the build writes dozens of runs and merges them.
    let run = papersift(&[
        "build".as_ref(),
        default_corpus().as_os_str(),
        "-o".as_ref(),
        spilled.path().as_os_str(),
        "--shards".as_ref(),
        "on".as_ref(),
        "--memory".as_ref(),
        "0.004".as_ref(),
    ]);
    run.assert_success();
    let runs: usize =
        run.stdout.lines().find_map(|l| l.strip_prefix("postings runs:")).unwrap().trim().parse().unwrap();
    assert!(runs > 20, "{runs} runs:\n{}", run.stdout);
    let whole = build_sharded();
    let (got, expected) = (tree(spilled.path()), tree(whole.path()));
    assert!(expected.len() > 20, "{} files", expected.len());
    assert_eq!(
        got.iter().map(|(path, _)| path).collect::<Vec<_>>(),
        expected.iter().map(|(path, _)| path).collect::<Vec<_>>()
    );
    assert!(got == expected, "the spilled build's files differ");
    assert!(files_in(spilled.path()).iter().all(|name| !name.starts_with(".papersift-scratch")), "scratch is removed");
    let zero = papersift(&[
        "build".as_ref(),
        default_corpus().as_os_str(),
        "-o".as_ref(),
        spilled.path().as_os_str(),
        "--memory".as_ref(),
        "0".as_ref(),
    ]);
    assert_ne!(zero.code, Some(0));
    assert!(zero.stderr.contains("\"0\" is not a positive number of MiB"), "{}", zero.stderr);
}

#[test]
fn explain_pieces_lists_what_a_query_loads() {
    let dir = build_sharded();
    let run =
        papersift(&["query".as_ref(), dir.path().as_os_str(), "model merging".as_ref(), "--explain-pieces".as_ref()]);
    run.assert_success();
    assert!(run.stdout.starts_with("root "), "{}", run.stdout);
    let rounds: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("round ")).collect();
    assert!(rounds.iter().any(|l| l.contains("terms/")), "{rounds:?}");
    assert!(rounds.iter().any(|l| l.contains("postings/")), "{rounds:?}");
    assert!(rounds.iter().any(|l| l.contains("docs/")), "{rounds:?}");
    let total = run.stdout.lines().find(|l| l.starts_with("total: ")).unwrap();
    assert!(total.starts_with(&format!("total: {} pieces", rounds.len())), "{total}");
    assert!(run.stdout.contains("Model"), "the hits follow:\n{}", run.stdout);
}

#[test]
fn a_missing_or_corrupt_piece_is_an_error_naming_it() {
    let dir = build_sharded();
    let needed =
        papersift(&["query".as_ref(), dir.path().as_os_str(), "merging".as_ref(), "--explain-pieces".as_ref()]);
    let first = needed.stdout.lines().find(|l| l.starts_with("round 1 ")).unwrap().split_whitespace().nth(2).unwrap();
    let path = dir.path().join("papersift").join(format!("{first}.bin"));
    let mut bytes = std::fs::read(&path).unwrap();
    *bytes.last_mut().unwrap() ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    let run = papersift(&["query".as_ref(), dir.path().as_os_str(), "merging".as_ref()]);
    run.assert_failure();
    assert!(run.stderr.contains(&format!("{first} failed its checksum")), "{}", run.stderr);
    std::fs::remove_file(&path).unwrap();
    let run = papersift(&["query".as_ref(), dir.path().as_os_str(), "merging".as_ref()]);
    run.assert_failure();
    assert!(run.stderr.contains(&format!("{first}.bin")), "{}", run.stderr);
}

#[test]
fn shards_auto_keeps_a_small_corpus_in_one_file_and_drops_old_pieces() {
    let dir = build_sharded();
    let run = papersift(&["build".as_ref(), default_corpus().as_os_str(), "-o".as_ref(), dir.path().as_os_str()]);
    run.assert_success();
    assert!(!dir.path().join("papersift").exists(), "pieces of the earlier sharded build are gone");
    let stats = papersift(&["stats".as_ref(), dir.path().as_os_str()]);
    assert!(stats.stdout.contains("layout:         single file"), "{}", stats.stdout);
}
