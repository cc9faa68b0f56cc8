#!/usr/bin/env node
// What each search option costs in Node: one class of queries (drawn by `papersift eval
// --write-classes`) timed with highlights, typos and prefixes turned off one after another.
//
//   node bench/options-cost.mjs INDEX [CLASS]      INDEX: a single-file papersift.idx; CLASS: exact (default)
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { join } from "node:path";
import { distDir } from "./lib/paths.mjs";
import { queryClasses } from "./lib/corpus.mjs";

const [indexFile, cls = "exact"] = process.argv.slice(2);
if (!indexFile) {
  console.error("usage: node bench/options-cost.mjs INDEX [CLASS]");
  process.exit(2);
}
const { Papersift } = await import(join(distDir, "papersift.mjs"));
const ps = await Papersift.fromBytes(new Uint8Array(readFileSync(indexFile)));
const queries = queryClasses(indexFile, 50, 1)[cls];
if (!queries?.length) {
  console.error(`bench: no ${cls} queries for ${indexFile}`);
  process.exit(2);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const off = { highlight: false, fuzzy: false, prefix: false };
console.log(`| options (${queries.length} ${cls} queries, 5 repeats) | p50 per query |\n|---|---:|`);
for (const options of [{ limit: 10 }, { limit: 10, highlight: false }, { limit: 10, ...off }, { limit: 1, ...off }]) {
  const times = [];
  for (let r = 0; r < 5; r++) {
    for (const q of queries) {
      const start = performance.now();
      ps.search(q, options);
      times.push(performance.now() - start);
    }
  }
  console.log(`| \`${JSON.stringify(options)}\` | ${(median(times) * 1000).toFixed(0)} µs |`);
}
