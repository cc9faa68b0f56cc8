// The harness's smoke test, run by scripts/test.sh: `node bench/run.mjs --tiny` over committed
// data only (data/daily_papers.txt, tests/fixtures/papers.jsonl, bench/fixtures/), into a temp
// dir. It checks the shape of what the harness writes, never a time, so it can't rot or flake.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { withTypos, parseDailyPapers, queryClasses } from "./lib/corpus.mjs";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const PEERS = ["MiniSearch", "FlexSearch", "lunr", "Fuse.js", "Orama", "Pagefind"];

test("the tiny run writes results, three charts and a report in which every engine has numbers or says why not", () => {
  const out = mkdtempSync(join(tmpdir(), "papersift-bench-smoke-"));
  try {
    execFileSync(process.execPath, [join(repo, "bench", "run.mjs"), "--tiny", "--out", out], { stdio: ["ignore", "inherit", "inherit"], timeout: 120000 });
    for (const f of ["results.json", "latency.svg", "bytes.svg", "relevance.svg", "BENCHMARKS.md"]) assert.ok(existsSync(join(out, f)), `${f} is written`);
    for (const f of ["latency.svg", "bytes.svg", "relevance.svg"]) assert.match(readFileSync(join(out, f), "utf8"), /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\s*$/);
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    assert.ok(results.meta.machine.nproc > 0 && results.meta.versions.MiniSearch, "machine and versions are recorded");

    const corpus = results.corpora.daily_papers;
    assert.ok(corpus.records > 50, "the daily papers dump parsed");
    const ps = corpus.engines.papersift;
    assert.ok(ps.bytes.total.gzip > 0 && ps.node.coldMs > 0, "papersift has bytes and a start-up time");
    for (const cls of ["exact", "twoWord", "prefix", "typo"]) assert.ok(ps.node.latency[cls].p50 > 0, `papersift has ${cls} latency`);
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
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("typo'd queries follow eval.rs with_typos: deterministic, one edit, short-word queries unchanged", () => {
  const queries = [{ id: "1", text: "gradient descent" }, { id: "2", text: "a b c" }];
  const a = withTypos(queries, 42);
  assert.deepEqual(a, withTypos(queries, 42));
  assert.notEqual(a.queries[0].text, "gradient descent");
  assert.equal(a.queries[1].text, "a b c");
  assert.equal(a.unchanged, 1);
});

test("the daily papers dump parses as papersift parses it: chrome skipped, titles paired with abstracts", () => {
  const text = readFileSync(join(repo, "data", "daily_papers.txt"), "utf8");
  const records = parseDailyPapers(text);
  assert.ok(records.length >= 70);
  assert.ok(records.every((r) => r.title && r.abstract.length > 300));
  const classes = queryClasses(records, 5, 1);
  assert.deepEqual(classes, queryClasses(records, 5, 1), "query classes are deterministic");
  assert.ok(classes.prefix.every((p) => p.length >= 3 && p.length <= 5));
});
