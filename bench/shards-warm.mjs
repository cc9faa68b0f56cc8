#!/usr/bin/env node
// A sharded site's queries in Node, through the engine the page runs (dist/papersift.mjs): each
// query of a class (drawn by `papersift eval --write-classes` from the single file) first cold,
// on a fresh handle over the root, counting its rounds of loading, then warm (its pieces loaded),
// through `resultsAsync`, alternating with the same query on the single file (`results`).
//
//   node bench/shards-warm.mjs SITE SINGLE_FILE [CLASSES] [REPEATS]
//   (SITE: from `papersift build --shards on`; SINGLE_FILE: the same input with `--shards off`;
//   CLASSES: comma-separated, default every class; REPEATS of the warm loop, default 5)
// PAPERSIFT_BENCH_DIST=DIR times another build's dist/ (a before/after table).
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { join } from "node:path";
import { distDir } from "./lib/paths.mjs";
import { queryClasses } from "./lib/corpus.mjs";

const [site, singleFile, wanted, repeatArg] = process.argv.slice(2);
if (!site || !singleFile) {
  console.error("usage: node bench/shards-warm.mjs SITE SINGLE_FILE [CLASSES] [REPEATS]");
  process.exit(2);
}
const repeats = Number(repeatArg ?? 5);
const { Papersift } = await import(join(distDir, "papersift.mjs"));
const root = new Uint8Array(readFileSync(join(site, "papersift.idx")));
const pieceBytes = new Map();
const loadPiece = (name) => {
  if (!pieceBytes.has(name)) pieceBytes.set(name, new Uint8Array(readFileSync(join(site, "papersift", name + ".bin"))));
  return pieceBytes.get(name);
};
const single = await Papersift.fromBytes(new Uint8Array(readFileSync(singleFile)));
const options = { limit: 8 };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const classes = queryClasses(singleFile, 50, 1);
const names = wanted ? wanted.split(",") : Object.keys(classes);

console.log(`| class (limit 8, ${repeats} repeats) | rounds (mean) | cold: needs, all rounds (p50) | addPiece, all (p50) | results (p50) | warm resultsAsync p50 | warm single-file results p50 | ratio |`);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
for (const name of names) {
  const queries = classes[name] ?? [];
  if (!queries.length) continue;
  const warm = await Papersift.fromBytes(root, { loadPiece });
  let rounds = 0;
  const needsMs = [], addMs = [], resultsMs = [];
  for (const q of queries) {
    await warm.resultsAsync(q, options);
    // Rounds and engine time of a cold query: a fresh handle, the needs/addPiece loop by hand.
    const fresh = await Papersift.fromBytes(root, { loadPiece });
    let needing = 0, adding = 0;
    for (;;) {
      let start = performance.now();
      const needs = fresh.needs(q, options);
      needing += performance.now() - start;
      if (needs.length === 0) break;
      rounds++;
      for (const piece of needs) {
        const bytes = loadPiece(piece);
        start = performance.now();
        fresh.addPiece(piece, bytes);
        adding += performance.now() - start;
      }
    }
    const start = performance.now();
    fresh.results(q, options);
    resultsMs.push(performance.now() - start);
    needsMs.push(needing);
    addMs.push(adding);
    fresh.free();
  }
  const sharded = [], whole = [];
  for (let r = 0; r < repeats; r++) {
    for (const q of queries) {
      let start = performance.now();
      await warm.resultsAsync(q, options);
      sharded.push(performance.now() - start);
      start = performance.now();
      single.results(q, options);
      whole.push(performance.now() - start);
    }
  }
  warm.free();
  const [a, b] = [median(sharded), median(whole)];
  console.log(`| ${name} | ${(rounds / queries.length).toFixed(2)} | ${median(needsMs).toFixed(2)} ms | ${median(addMs).toFixed(2)} ms | ${median(resultsMs).toFixed(2)} ms | ${a.toFixed(2)} ms | ${b.toFixed(2)} ms | ${(a / b).toFixed(2)} |`);
}
