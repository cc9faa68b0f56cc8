// Corpora, judged query sets, and what papersift's CLI computes for the harness (typo'd
// queries, query classes, metrics). Everything here is deterministic: the same files and seed
// give the same records and queries on every machine.
import { readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { papersiftBin } from "./paths.mjs";

/**
 * The records of `papers.jsonl` or `papers.jsonl.gz` (or any path) as `{ id, title, abstract }`,
 * one at a time. Lines are decoded one by one: a million papers are more text than V8's largest
 * string, so the file is never one string.
 */
export function* jsonlRecords(path) {
  let bytes = readFileSync(path);
  if (path.endsWith(".gz")) bytes = gunzipSync(bytes);
  let n = 0;
  for (let start = 0; start < bytes.length;) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    const line = bytes.toString("utf8", start, end);
    start = end + 1;
    if (!line.trim()) continue;
    const row = JSON.parse(line);
    n++;
    // A record without an id gets one from its line (papersift derives another: such records
    // are never judged). `summary` is papersift's alias for `abstract`.
    yield { id: row.id != null ? String(row.id) : `line-${n}`, title: row.title ?? "", abstract: row.abstract ?? row.summary ?? "" };
  }
}

/** Reads `papers.jsonl` or `papers.jsonl.gz` (or any path) into `{ id, title, abstract }` records. */
export function readJsonl(path) {
  return [...jsonlRecords(path)];
}

// The Daily Papers dump, with papersift's rules (crates/papersift-core/src/record/daily.rs):
// page chrome skipped at the top; a line over 300 characters is an abstract, a shorter one a
// title; a title followed by an abstract is one paper. Ids are `daily-N` (papersift derives
// hashes instead; this set has no judgments, so ids never meet).
const CHROME = new Set(["new", "Get trending papers in your email inbox!", "Subscribe", "Daily Papers", "by AK and the research community"]);
const LONGEST_TITLE = 300;

/** Parses a Daily Papers text dump into records. */
export function parseDailyPapers(text) {
  const records = [];
  const push = (title, abstract) => records.push({ id: `daily-${records.length + 1}`, title, abstract });
  let inChrome = true;
  let pending = null;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    if (inChrome) {
      if (CHROME.has(line)) continue;
      inChrome = false;
    }
    const isAbstract = [...line].length > LONGEST_TITLE;
    if (pending !== null && isAbstract) { push(pending, line); pending = null; }
    else if (pending !== null) { push(pending, ""); pending = line; }
    else if (isAbstract) push("", line);
    else pending = line;
  }
  if (pending !== null) push(pending, "");
  return records;
}

/** The records file of a corpus directory: papers.jsonl(.gz) or daily_papers.txt. */
export function recordsFile(dir) {
  for (const name of ["papers.jsonl", "papers.jsonl.gz", "daily_papers.txt"]) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** Loads any records file the harness knows. */
export function loadRecords(path) {
  return path.endsWith(".txt") ? parseDailyPapers(readFileSync(path, "utf8")) : readJsonl(path);
}

/** Queries (`{ id, text }`) and judgments (`Map<queryId, Map<docId, rel>>`) of an IR set. */
export function loadJudged(dir) {
  const queries = readFileSync(join(dir, "queries.jsonl"), "utf8").split("\n").filter((l) => l.trim())
    .map((l) => { const q = JSON.parse(l); return { id: String(q.id), text: q.text }; });
  const qrels = new Map();
  const lines = readFileSync(join(dir, "qrels.tsv"), "utf8").split("\n").slice(1);
  for (const line of lines) {
    if (!line.trim()) continue;
    const [qid, doc, rel] = line.split("\t");
    if (!qrels.has(qid)) qrels.set(qid, new Map());
    qrels.get(qid).set(doc, Number(rel));
  }
  return { queries, qrels };
}

// ---- typo'd queries, query classes and metrics: papersift's own code, through its CLI, so the
// harness never carries a second copy of the typo generator, the classes or the IR metrics.

/** Runs the papersift CLI and returns its stdout; a failure throws with the CLI's message. */
function cli(args) {
  try {
    return execFileSync(papersiftBin(), args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 28 });
  } catch (e) {
    throw new Error(`bench: papersift ${args.join(" ")} failed: ${(e.stderr || e.message).toString().trim()}`);
  }
}

const readJsonLines = (path) => readFileSync(path, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));

/** In a fresh temp folder: `fn(dir)`, then the folder is removed. */
function withTempDir(fn) {
  const dir = mkdtempSync(join(tmpdir(), "papersift-bench-cli-"));
  try { return fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
}

/** The judged set's queries with one seeded typo each: `papersift eval --typo-seed N --write-queries`. */
export function typoQueries(queriesFile, seed) {
  return withTempDir((dir) => {
    const out = join(dir, "typos.jsonl");
    cli(["eval", "--queries", queriesFile, "--typo-seed", String(seed), "--write-queries", out]);
    return readJsonLines(out).map((q) => ({ id: String(q.id), text: q.text }));
  });
}

/** The harness's names for the CLI's query classes (the rest are for the criterion benches). */
const CLASS_KEYS = { exact: "exact", "two-word": "twoWord", prefix: "prefix", typo: "typo", typing: "typing", "typing-scratch": "typingScratch" };

/**
 * `n` queries of each class, drawn by `papersift eval --write-classes` from the titles of a built
 * index (`papersift.idx`) with `seed`: `{ exact, twoWord, prefix, typo, typing, typingScratch }`.
 * A trailing space marks a finished word, as a person types it. `typing` is keystrokes in typing
 * order (each query extends the one before); `typingScratch` the same keystrokes, none after its own prefix.
 */
export function queryClasses(indexFile, n, seed = 1) {
  return withTempDir((dir) => {
    const out = join(dir, "classes.jsonl");
    cli(["eval", indexFile, "--write-classes", out, "--per-class", String(n), "--seed", String(seed)]);
    const classes = {};
    for (const { name, queries } of readJsonLines(out)) if (CLASS_KEYS[name]) classes[CLASS_KEYS[name]] = queries;
    return classes;
  });
}

/**
 * nDCG@10, Recall@100 and MRR@10 of `runs` (`[{ id, ranking: [docId, ...] }]`, best first)
 * against the judgments in `qrelsFile`: `papersift eval --rankings --json`.
 */
export function scoreRankings(qrelsFile, runs) {
  return withTempDir((dir) => {
    const file = join(dir, "runs.jsonl");
    writeFileSync(file, runs.map((r) => JSON.stringify({ query_id: r.id, hits: r.ranking.map((id) => ({ id })) })).join("\n") + "\n");
    const summary = JSON.parse(cli(["eval", "--qrels", qrelsFile, "--rankings", file, "--json"]));
    return { queries: summary.queries, ndcg10: summary.ndcg_at_10, recall100: summary.recall_at_100, mrr10: summary.mrr_at_10 };
  });
}
