#!/usr/bin/env node
// Where papersift's cold start in Node goes, stage by stage, in this one fresh process: importing
// the package's Node entry, compiling and instantiating the engine (timed around
// WebAssembly.instantiate), loading an index from bytes the first time and again, and the first
// query against the next ones. Run it several times: each run is one cold start.
//
//   node bench/startup-stages.mjs INDEX [QUERY]     (INDEX: a papersift.idx from `papersift build`)
//
// The first query costs more than the next mostly because V8 compiles each wasm function when it
// is first called (lazy compilation); `node --no-wasm-lazy-compilation bench/startup-stages.mjs`
// moves that cost into instantiating, which shows how much it is.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { distDir } from "./lib/paths.mjs";

const [indexPath, query = "model"] = process.argv.slice(2);
if (!indexPath) {
  console.error("usage: node bench/startup-stages.mjs INDEX [QUERY]");
  process.exit(2);
}
let instantiateMs = 0;
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async function (...args) {
  const started = performance.now();
  try {
    return await instantiate.apply(this, args);
  } finally {
    instantiateMs += performance.now() - started;
  }
};

const entry = existsSync(join(distDir, "papersift.node.mjs")) ? "papersift.node.mjs" : "papersift.mjs";
const bytes = new Uint8Array(readFileSync(indexPath));
const t0 = performance.now();
const { Papersift } = await import(join(distDir, entry));
const t1 = performance.now();
const first = await Papersift.fromBytes(bytes);
const t2 = performance.now();
first.search(query, { limit: 10 });
const t3 = performance.now();
const again = await Papersift.fromBytes(bytes);
const t4 = performance.now();
again.search(query, { limit: 10 });
const t5 = performance.now();
first.search("graph", { limit: 10 });
const t6 = performance.now();
const ms = (x) => Number(x.toFixed(2));
console.log(JSON.stringify({
  entry,
  importMs: ms(t1 - t0),
  firstLoadMs: ms(t2 - t1),
  ofWhichInstantiateMs: ms(instantiateMs),
  firstQueryMs: ms(t3 - t2),
  secondLoadMs: ms(t4 - t3),
  sameQueryAgainMs: ms(t5 - t4),
  otherQueryMs: ms(t6 - t5),
  totalMs: ms(t3 - t0),
}));
