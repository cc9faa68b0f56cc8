// Corpora, judged query sets and the generated query classes. Everything here is deterministic:
// the same files and seed give the same records and queries on every machine.
import { readFileSync, existsSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { join } from "node:path";

/** Reads `papers.jsonl` or `papers.jsonl.gz` (or any path) into `{ id, title, abstract }` records. */
export function readJsonl(path) {
  let bytes = readFileSync(path);
  if (path.endsWith(".gz")) bytes = gunzipSync(bytes);
  const records = [];
  for (const line of bytes.toString("utf8").split("\n")) {
    if (!line.trim()) continue;
    const row = JSON.parse(line);
    // A record without an id gets one from its line (papersift derives another: such records
    // are never judged). `summary` is papersift's alias for `abstract`.
    records.push({ id: row.id != null ? String(row.id) : `line-${records.length + 1}`, title: row.title ?? "", abstract: row.abstract ?? row.summary ?? "" });
  }
  return records;
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

// ---- seeded randomness: SplitMix64 and FNV-1a, bit-for-bit as in crates/papersift-core/src/eval.rs

const MASK = (1n << 64n) - 1n;

/** SplitMix64 over BigInt, the same sequence as the Rust one. */
export class SplitMix64 {
  constructor(seed) { this.state = BigInt.asUintN(64, BigInt(seed)); }
  next() {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    return z ^ (z >> 31n);
  }
  /** A number in 0..n (Lemire's multiply-shift, as in Rust). */
  below(n) { return Number((this.next() * BigInt(n)) >> 64n); }
}

/** FNV-1a over the UTF-8 bytes of a string. */
export function fnv1a(text) {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, "utf8")) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & MASK;
  return hash;
}

const rotl64 = (x, k) => ((x << BigInt(k)) | (x >> BigInt(64 - k))) & MASK;
const isAlphabetic = (c) => /\p{Alphabetic}/u.test(c);
const randomLetter = (rng) => String.fromCharCode(97 + rng.below(26));

/** One random edit that always changes `letters` (an array of chars, 2+ long); eval.rs `edit`. */
function edit(letters, rng) {
  const swappable = [];
  for (let i = 0; i + 1 < letters.length; i++) if (letters[i] !== letters[i + 1]) swappable.push(i);
  const kind = rng.below(4);
  if (kind === 0) {
    letters.splice(rng.below(letters.length), 1);
  } else if (kind === 1) {
    const letter = randomLetter(rng);
    letters.splice(rng.below(letters.length + 1), 0, letter);
  } else if (kind === 3 && swappable.length > 0) {
    const i = swappable[rng.below(swappable.length)];
    [letters[i], letters[i + 1]] = [letters[i + 1], letters[i]];
  } else {
    const i = rng.below(letters.length);
    // Rust's to_ascii_lowercase leaves non-ASCII letters alone.
    const original = /^[A-Z]$/.test(letters[i]) ? letters[i].toLowerCase() : letters[i];
    let letter = randomLetter(rng);
    while (letter === original) letter = randomLetter(rng);
    letters[i] = letter;
  }
}

/** The shortest word with_typos misspells. */
export const TYPO_MIN_LETTERS = 5;

/** eval.rs `misspell_one_word`: the text with one edit in one word of 5+ letters, or null. */
export function misspellOneWord(text, rng) {
  const chars = Array.from(text);
  const words = [];
  let start = null;
  for (let i = 0; i <= chars.length; i++) {
    const alpha = i < chars.length && isAlphabetic(chars[i]);
    if (alpha && start === null) start = i;
    else if (!alpha && start !== null) {
      if (i - start >= TYPO_MIN_LETTERS) words.push([start, i]);
      start = null;
    }
  }
  if (words.length === 0) return null;
  const [s, e] = words[rng.below(words.length)];
  const letters = chars.slice(s, e);
  edit(letters, rng);
  return chars.slice(0, s).join("") + letters.join("") + chars.slice(e).join("");
}

/** A port of eval.rs `with_typos`: one seeded typo per query; queries without a long word stay. */
export function withTypos(queries, seed) {
  let unchanged = 0;
  const out = queries.map((query) => {
    const rng = new SplitMix64(BigInt(seed) ^ fnv1a(query.id) ^ rotl64(fnv1a(query.text), 32));
    const text = misspellOneWord(query.text, rng);
    if (text === null) { unchanged++; return query; }
    return { id: query.id, text };
  });
  return { queries: out, unchanged };
}

// ---- the four latency classes, drawn from the corpus's own titles

const STOPWORDS = new Set(("a an and are as at be by for from has in is it its of on or that the this to was were " +
  "with via using towards toward into over under we our can not no vs").split(" "));

/** Title words: lowercase letter runs of 3+ letters that are not stopwords. */
function titleWords(title) {
  return (title.toLowerCase().match(/\p{L}+/gu) ?? []).filter((w) => w.length >= 3 && !STOPWORDS.has(w));
}

/**
 * `n` queries of each class from the titles of `records`, with a seeded PRNG:
 * exact (one title word), twoWord (two adjacent title words), prefix (a 3–5 letter stub of a
 * longer title word) and typo (a title word of 5+ letters with one edit, as in with_typos).
 */
export function queryClasses(records, n, seed = 1) {
  const rng = new SplitMix64(seed);
  const titles = records.map((r) => titleWords(r.title)).filter((w) => w.length > 0);
  const pick = (filter) => {
    for (let tries = 0; tries < 10000; tries++) {
      const words = titles[rng.below(titles.length)];
      const got = filter(words);
      if (got) return got;
    }
    throw new Error(`bench: could not draw a query from ${titles.length} titles`);
  };
  const classes = { exact: [], twoWord: [], prefix: [], typo: [] };
  for (let i = 0; i < n; i++) {
    classes.exact.push(pick((w) => w[rng.below(w.length)]));
    classes.twoWord.push(pick((w) => { if (w.length < 2) return null; const j = rng.below(w.length - 1); return `${w[j]} ${w[j + 1]}`; }));
    classes.prefix.push(pick((w) => {
      const word = w[rng.below(w.length)];
      if (word.length < 4) return null;
      const len = 3 + rng.below(Math.min(3, word.length - 3));
      return word.slice(0, len);
    }));
    classes.typo.push(pick((w) => {
      const long = w.filter((x) => x.length >= TYPO_MIN_LETTERS);
      if (long.length === 0) return null;
      const letters = Array.from(long[rng.below(long.length)]);
      edit(letters, rng);
      return letters.join("");
    }));
  }
  return classes;
}

/** nDCG@k (gain 2^rel − 1, log2 discount), Recall@k and MRR@k, as in eval.rs. */
export function ndcg(ranking, judgments, k) {
  let dcg = 0;
  ranking.slice(0, k).forEach((doc, i) => { dcg += (2 ** (judgments.get(doc) ?? 0) - 1) / Math.log2(i + 2); });
  const ideal = [...judgments.values()].sort((a, b) => b - a).slice(0, k);
  let idcg = 0;
  ideal.forEach((rel, i) => { idcg += (2 ** rel - 1) / Math.log2(i + 2); });
  return idcg === 0 ? 0 : dcg / idcg;
}

export function recall(ranking, judgments, k) {
  const relevant = [...judgments.values()].filter((r) => r > 0).length;
  if (relevant === 0) return 0;
  return ranking.slice(0, k).filter((d) => (judgments.get(d) ?? 0) > 0).length / relevant;
}

export function reciprocalRank(ranking, judgments, k) {
  const i = ranking.slice(0, k).findIndex((d) => (judgments.get(d) ?? 0) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}
