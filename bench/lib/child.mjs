// One measurement in a fresh Node process, so that start-up is cold, the heap holds one engine,
// and a peer that runs out of memory or time takes only itself down. The parent (run.mjs) starts
// it as `node --expose-gc --max-old-space-size=N child.mjs TASK.json` with a timeout, and reads the
// line `BENCH-RESULT {json}` from stdout.
//
// Tasks: build (records → serialized index, timed), startup (cold: import → first result),
// latency (start-up, heap after load, p50/p95 per query class), relevance (rankings → metrics).
import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { byName } from "./engines.mjs";
import { join } from "node:path";
import { loadRecords, scoreRankings, typoQueries, loadJudged } from "./corpus.mjs";

const task = JSON.parse(readFileSync(process.argv[2], "utf8"));
const engine = byName[task.engine];
if (!engine) throw new Error(`bench: unknown engine ${task.engine}`);

const gc = () => { if (global.gc) { global.gc(); global.gc(); } };
const mib = (bytes) => bytes / 1048576;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : null; };
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] : null; };
const readIndex = (path) => (engine.name.startsWith("papersift") ? new Uint8Array(readFileSync(path)) : readFileSync(path, "utf8"));

/** Loads the index and runs the first query; the clock starts before the library's import. */
async function coldStart(indexPath, firstQuery) {
  const t0 = performance.now();
  const lib = await engine.import();
  const tImported = performance.now();
  const handle = await engine.load(readIndex(indexPath), lib);
  engine.search(handle, firstQuery, "exact", 10);
  const t1 = performance.now();
  return { lib, handle, ms: t1 - t0, importMs: tImported - t0 };
}

const tasks = {
  async build() {
    const records = loadRecords(task.records);
    const lib = await engine.import();
    const t0 = performance.now();
    const serialized = await engine.build(records, lib);
    const ms = performance.now() - t0;
    writeFileSync(task.out, serialized);
    return { buildMs: ms, peakRssMiB: mib(process.resourceUsage().maxRSS * 1024), records: records.length };
  },

  async startup() {
    const { ms, importMs } = await coldStart(task.index, task.firstQuery);
    return { coldMs: ms, importMs };
  },

  async latency() {
    gc();
    const before = process.memoryUsage();
    const t0 = performance.now();
    const lib = await engine.import();
    let handle = await engine.load(readIndex(task.index), lib);
    engine.search(handle, task.classes.exact[0], "exact", 10);
    const coldMs = performance.now() - t0;
    gc();
    const after = process.memoryUsage();
    const memory = {
      heapUsedMiB: mib(after.heapUsed - before.heapUsed),
      externalMiB: mib(after.external - before.external),
      rssMiB: mib(after.rss - before.rss),
    };
    if (engine.name.startsWith("papersift") && typeof handle.stats === "function") {
      memory.indexBytes = handle.stats().bytes;
    }

    // Warm start-up: the library is imported; read, load and search again, in this process.
    const warm = [];
    for (let i = 0; i < task.startupRepeats; i++) {
      const s = performance.now();
      const h = await engine.load(readIndex(task.index), lib);
      engine.search(h, task.classes.exact[0], "exact", 10);
      warm.push(performance.now() - s);
      if (typeof h.free === "function") h.free();
    }

    const latency = {};
    for (const [cls, queries] of Object.entries(task.classes)) {
      const warmup = performance.now();
      for (const q of queries.slice(0, 20)) {
        engine.search(handle, q, cls, 10);
        if (performance.now() - warmup > task.budgetMs / 10) break;
      }
      const perQuery = queries.map(() => []);
      let empty = 0;
      const started = performance.now();
      let measured = 0;
      let outOfBudget = false;
      for (let r = 0; r < task.repeats && !outOfBudget; r++) {
        for (let i = 0; i < queries.length; i++) {
          const s = performance.now();
          const hits = engine.search(handle, queries[i], cls, 10).length;
          perQuery[i].push(performance.now() - s);
          if (r === 0 && hits === 0) empty++;
          if (r === 0) measured = i + 1;
          if (performance.now() - started > task.budgetMs) { outOfBudget = true; break; }
        }
      }
      const medians = perQuery.filter((t) => t.length).map(median);
      latency[cls] = { p50: quantile(medians, 0.5), p95: quantile(medians, 0.95), queries: measured, of: queries.length, outOfBudget, noHit: measured ? empty / measured : null };
    }
    handle = null;
    return { coldMs, warmMs: median(warm), memory, latency };
  },

  async relevance() {
    const lib = await engine.import();
    const handle = await engine.load(readIndex(task.index), lib);
    const { queries, qrels } = loadJudged(task.set);
    const runs = [["relevance", queries]];
    if (task.typoSeed != null) runs.push(["relevanceTypo", typoQueries(join(task.set, "queries.jsonl"), task.typoSeed)]);
    const out = {};
    for (const [cls, qs] of runs) {
      const started = performance.now();
      const rankings = [];
      let skipped = 0;
      let done = true;
      for (const q of qs) {
        const judgments = qrels.get(q.id);
        if (!judgments || ![...judgments.values()].some((r) => r > 0)) { skipped++; continue; }
        if (performance.now() - started > task.budgetMs) { done = false; break; }
        rankings.push({ id: q.id, ranking: engine.search(handle, q.text, cls, 100) });
      }
      const ms = performance.now() - started;
      // The metrics are papersift's own (`papersift eval --rankings`), the same for every engine.
      out[cls] = done
        ? { ...scoreRankings(join(task.set, "qrels.tsv"), rankings), skipped, ms }
        : { failed: `did not finish in ${Math.round(task.budgetMs / 1000)} s (${rankings.length} queries done)` };
    }
    return out;
  },
};

const result = await tasks[task.kind]();
process.stdout.write(`BENCH-RESULT ${JSON.stringify(result)}\n`);
