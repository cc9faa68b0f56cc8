#!/usr/bin/env node
// Cold start-up in Node, papersift against Fuse.js and MiniSearch, with more runs than the full
// peer harness gives it: each run is a fresh process (bench/lib/child.mjs, task `startup`) that
// imports the library, loads the index and answers the first query. Runs alternate between the
// engines so that a busy moment on the machine hits them alike.
//
//   node bench/startup.mjs [--runs N] [--records FILE] [--dist LABEL=DIR ...]
//
// (default 15 runs, data/daily_papers.txt). Each --dist adds papersift from another dist/ (an
// earlier build, for a before/after table), timed in the same rounds as the others.
//
// Prints the median and the quartiles of each engine's start-up and of its import alone.
import { mkdtempSync, rmSync, readFileSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { repo, papersiftBin, distDir } from "./lib/paths.mjs";
import { runChild } from "./lib/measure.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const runs = Number(option("--runs", "15"));
const records = option("--records", join(repo, "data", "daily_papers.txt"));
const peers = ["Fuse.js", "MiniSearch"];
const limits = { timeoutMs: 60000, maxOldMiB: 2048 };

const work = mkdtempSync(join(tmpdir(), "papersift-startup-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

const bin = papersiftBin();
process.env.PAPERSIFT_BENCH_BIN = bin;
execFileSync(bin, ["build", records, "-o", join(work, "papersift"), "--skip-invalid"], { stdio: "ignore" });
const indexes = { papersift: join(work, "papersift", "papersift.idx") };
// Each engine's row: its adapter, index, and the dist/ its child loads papersift from.
const rows = { papersift: { engine: "papersift", dist: process.env.PAPERSIFT_BENCH_DIST } };
args.forEach((arg, i) => {
  if (arg !== "--dist") return;
  const [label, dir] = args[i + 1].split("=");
  if (!dir) throw new Error(`bench: --dist takes LABEL=DIR, got ${args[i + 1]}`);
  rows[`papersift ${label}`] = { engine: "papersift", dist: dir };
});
for (const peer of peers) {
  indexes[peer] = join(work, `${peer}.json`);
  rows[peer] = { engine: peer };
  const built = await runChild({ kind: "build", engine: peer, records, out: indexes[peer] }, join(work, "build.json"), limits);
  if (built.failed) throw new Error(`bench: ${peer} failed to build: ${built.failed}`);
}
// The first query of the harness's exact class is a title word; any word of the corpus does.
const firstQuery = option("--query", "model");

const times = Object.fromEntries(Object.keys(rows).map((e) => [e, { cold: [], import: [] }]));
const defaultDist = process.env.PAPERSIFT_BENCH_DIST;
for (let r = 0; r < runs; r++) {
  for (const [row, { engine, dist }] of Object.entries(rows)) {
    // The child reads PAPERSIFT_BENCH_DIST (bench/lib/paths.mjs) from the environment it inherits.
    if (dist === undefined) delete process.env.PAPERSIFT_BENCH_DIST;
    else process.env.PAPERSIFT_BENCH_DIST = dist;
    const s = await runChild({ kind: "startup", engine, index: indexes[engine], firstQuery }, join(work, "task.json"), limits);
    if (s.failed) throw new Error(`bench: ${row} start-up failed: ${s.failed}`);
    times[row].cold.push(s.coldMs);
    times[row].import.push(s.importMs);
  }
}
if (defaultDist === undefined) delete process.env.PAPERSIFT_BENCH_DIST;
else process.env.PAPERSIFT_BENCH_DIST = defaultDist;
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.round(q * (xs.length - 1))];
const show = (xs) => `${quantile(xs, 0.5).toFixed(1)} ms (${quantile(xs, 0.25).toFixed(1)}–${quantile(xs, 0.75).toFixed(1)})`;
console.log(`cold start-up in Node ${process.version}, ${runs} runs each, ${records.replace(repo + "/", "")}, first query "${firstQuery}"`);
console.log(`${"engine".padEnd(20)} import → first result        import alone`);
for (const [engine, t] of Object.entries(times)) console.log(`${engine.padEnd(20)} ${show(t.cold).padEnd(28)} ${show(t.import)}`);
for (const name of ["papersift.node.mjs", "papersift.wasm", "papersift.mjs"]) {
  const path = join(distDir, name);
  if (existsSync(path)) console.log(`(${path.replace(repo + "/", "")}: ${readFileSync(path).length} bytes)`);
}
