// The harness's smoke test, run by scripts/test.sh: `node bench/run.mjs --tiny` over committed
// data only (data/daily_papers.txt, tests/fixtures/papers.jsonl, bench/fixtures/), into a temp
// dir: both parts, the single-file index against every peer and the sharded site of the daily
// papers against MiniSearch and Pagefind. It checks the shape of what the harness writes and
// what the pages loaded, never a time, so it can't rot or flake.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { typoQueries, parseDailyPapers, queryClasses, scoreRankings } from "./lib/corpus.mjs";
import { papersiftBin } from "./lib/paths.mjs";
import { buildPagefind } from "./lib/sites.mjs";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const PEERS = ["MiniSearch", "FlexSearch", "lunr", "Fuse.js", "Orama", "Pagefind"];

// One tiny run serves the tests that read what it wrote.
let out;
before(() => {
  out = mkdtempSync(join(tmpdir(), "papersift-bench-smoke-"));
  execFileSync(process.execPath, [join(repo, "bench", "run.mjs"), "--tiny", "--out", out], { stdio: ["ignore", "inherit", "inherit"], timeout: 180000 });
});
after(() => { if (out) rmSync(out, { recursive: true, force: true }); });

test("the tiny run writes results, three charts and a report in which every engine has numbers or says why not", () => {
  for (const f of ["results.json", "latency.svg", "bytes.svg", "relevance.svg", "BENCHMARKS.md"]) assert.ok(existsSync(join(out, f)), `${f} is written`);
  for (const f of ["latency.svg", "bytes.svg", "relevance.svg"]) assert.match(readFileSync(join(out, f), "utf8"), /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\s*$/);
  const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
  assert.ok(results.meta.machine.nproc > 0 && results.meta.versions.MiniSearch, "machine and versions are recorded");

  const corpus = results.corpora.daily_papers;
  assert.ok(corpus.records > 50, "the daily papers dump parsed");
  const ps = corpus.engines.papersift;
  assert.ok(ps.bytes.total.gzip > 0 && ps.node.coldMs > 0, "papersift has bytes and a start-up time");
  for (const cls of ["exact", "twoWord", "prefix", "typo", "typing", "typingScratch"]) assert.ok(ps.node.latency[cls].p50 > 0, `papersift has ${cls} latency`);
  for (const peer of PEERS) {
    const x = corpus.engines[peer];
    assert.ok(x, `${peer} is in the results`);
    const numbers = peer === "Pagefind" ? x.chromium?.startup?.ms > 0 || typeof x.chromium?.startup?.failed === "string" : x.node?.latency?.exact?.p50 > 0;
    assert.ok(numbers || (typeof x.failed === "string" && x.failed.length > 0), `${peer} has numbers or a reason: ${JSON.stringify(x).slice(0, 200)}`);
  }

  const rel = results.relevance.fixture;
  for (const engine of ["papersift", ...PEERS]) {
    const r = rel[engine];
    assert.ok(r, `${engine} has relevance results`);
    if (r.failed) { assert.ok(r.failed.length > 0); continue; }
    for (const key of ["relevance", "relevanceTypo"]) {
      if (r[key].failed) continue;
      for (const m of ["ndcg10", "recall100", "mrr10"]) assert.ok(r[key][m] >= 0 && r[key][m] <= 1, `${engine} ${key} ${m} in [0, 1]`);
      assert.equal(r[key].skipped, 1, "the query with no relevant document is skipped");
    }
  }
  const doc = readFileSync(join(out, "BENCHMARKS.md"), "utf8");
  assert.match(doc, /## Against the peers/);
  assert.match(doc, /### Where papersift loses/);
});

test("the sharded part loads a sharded site over http and from file://, piece by piece, beside MiniSearch and Pagefind", () => {
  const sharded = JSON.parse(readFileSync(join(out, "sharded.json"), "utf8"));
  assert.match(readFileSync(join(out, "sharded.svg"), "utf8"), /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\s*$/);
  const corpus = sharded.corpora.daily_papers;
  assert.ok(corpus.records > 50, "the sharded site holds the daily papers");
  const ps = corpus.engines.papersift;
  assert.ok(ps.site.pieces > 2, `the site is in pieces: ${JSON.stringify(ps.site)}`);
  for (const cls of ["twoWord", "typo"]) {
    const { http, file } = ps.firstResult[cls];
    for (const [mode, f] of [["http", http], ["file://", file]]) {
      assert.ok(!f.failed, `papersift ${cls} over ${mode}: ${f.failed}`);
      assert.ok(f.ms > 0 && f.hits > 0, `papersift finds ${JSON.stringify(corpus.queries[cls])} over ${mode}`);
      // The page, papersift.js and the pieces: some, never all (no facets, no authors yet).
      assert.ok(f.pieces >= 1 && f.pieces < ps.site.pieces, `${mode}: ${f.pieces} of ${ps.site.pieces} pieces`);
      assert.equal(f.requests, f.pieces + 2, `${mode}: the page, the script and the pieces`);
      assert.ok(f.gzipped > 0 && f.gzipped < f.bytes, `${mode}: gzip sizes are counted`);
    }
    // The same pieces both ways; from file:// each is a .js script holding base64, a third larger.
    assert.equal(file.pieces, http.pieces);
    assert.ok(file.bytes > http.bytes, `file:// ${file.bytes} bytes > http ${http.bytes} bytes`);
  }
  for (const cls of ["exact", "twoWord", "prefix", "typo"]) assert.ok(ps.cold[cls].ms > 0, `papersift has a cold ${cls} query`);
  for (const cls of ["exact", "twoWord", "prefix", "typo", "typing", "typingScratch"]) assert.ok(ps.warm[cls].queries > 0 && ps.warm[cls].p95 >= ps.warm[cls].p50, `papersift has warm ${cls} latency`);
  for (const peer of ["MiniSearch", "Pagefind"]) {
    const x = corpus.engines[peer];
    assert.ok(x.firstResult.twoWord.http.ms > 0 && x.firstResult.twoWord.http.hits > 0, `${peer} has a first result over http`);
    assert.match(x.firstResult.twoWord.file.unsupported, /^no file:\/\/ mode/, `${peer}'s file:// figure says why there is none`);
    assert.ok(x.cold.exact.ms >= 0 && x.warm.exact.queries > 0, `${peer} has cold and warm figures`);
  }
  assert.ok(corpus.engines.Pagefind.firstResult.twoWord.http.pieces > 0, "Pagefind loads its index files");
  const doc = readFileSync(join(out, "BENCHMARKS.md"), "utf8");
  assert.match(doc, /## Sharded sites against the peers/);
  assert.match(doc, /\| MiniSearch: two words \| [^|]+ \| 3 \| [^|]+ \| [^|]+ \| no file:\/\/ mode/);
  assert.match(doc, /load average \(1, 5, 15 min\): daily_papers start: [\d.]+, /);
});

test("a peer's build past its budget fails with the budget as its reason", async () => {
  const dir = mkdtempSync(join(tmpdir(), "papersift-bench-smoke-"));
  try {
    const pf = await buildPagefind({ records: join(repo, "tests", "fixtures", "papers.jsonl"), site: join(dir, "site"), timeoutMs: 1 });
    assert.match(pf.failed, /^pagefind: did not finish in 0 s/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("typo'd queries come from papersift eval: deterministic, one edit, short-word queries unchanged", () => {
  const dir = mkdtempSync(join(tmpdir(), "papersift-bench-smoke-"));
  try {
    const file = join(dir, "queries.jsonl");
    writeFileSync(file, '{"id": "1", "text": "gradient descent"}\n{"id": 2, "text": "a b c"}\n');
    const a = typoQueries(file, 42);
    assert.deepEqual(a, typoQueries(file, 42));
    assert.notEqual(a[0].text, "gradient descent");
    assert.deepEqual(a[1], { id: "2", text: "a b c" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the daily papers dump parses as papersift parses it, and papersift draws the query classes from it", () => {
  const text = readFileSync(join(repo, "data", "daily_papers.txt"), "utf8");
  const records = parseDailyPapers(text);
  assert.ok(records.length >= 70);
  assert.ok(records.every((r) => r.title && r.abstract.length > 300));
  const dir = mkdtempSync(join(tmpdir(), "papersift-bench-smoke-"));
  try {
    execFileSync(papersiftBin(), ["build", join(repo, "data", "daily_papers.txt"), "-o", dir], { stdio: "ignore" });
    const classes = queryClasses(join(dir, "papersift.idx"), 5, 1);
    assert.deepEqual(Object.keys(classes), ["exact", "twoWord", "prefix", "typo", "typing", "typingScratch"]);
    // Keystrokes in typing order, each one letter more; then the same ones dealt across titles.
    assert.ok(classes.typing.slice(1).every((q, i) => q.startsWith(classes.typing[i]) && q.length === classes.typing[i].length + 1 || q.length === 1));
    assert.deepEqual([...classes.typingScratch].sort(), [...classes.typing].sort());
    assert.deepEqual(classes, queryClasses(join(dir, "papersift.idx"), 5, 1), "query classes are deterministic");
    assert.ok(classes.prefix.every((p) => p.length >= 3 && p.length <= 5));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("metrics of another engine's rankings are papersift's: a perfect ranking scores 1, an empty one 0", () => {
  const qrels = join(repo, "bench", "fixtures", "qrels.tsv");
  const judged = readFileSync(qrels, "utf8").split("\n").slice(1).filter((l) => l.trim()).map((l) => l.split("\t"));
  const relevant = new Map();
  for (const [q, doc, rel] of judged) if (Number(rel) > 0) relevant.set(q, [...(relevant.get(q) ?? []), doc]);
  const perfect = [...relevant].map(([id, docs]) => ({ id, ranking: docs }));
  const got = scoreRankings(qrels, perfect);
  assert.equal(got.queries, relevant.size);
  assert.equal(got.recall100, 1);
  assert.equal(got.mrr10, 1);
  assert.equal(scoreRankings(qrels, perfect.map((r) => ({ ...r, ranking: [] }))).ndcg10, 0);
});
