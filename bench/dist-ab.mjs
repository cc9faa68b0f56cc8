#!/usr/bin/env node
// Two builds of papersift in one Node process, on the default corpus embedded in each: first
// whether they answer alike (results, search, facets and suggest over a fixed set of queries and
// options, compared as JSON, and stats), then how long `results` and `facets` take, the two
// timed in turns (9 rounds, the later build first in each) so that a busy moment hits both.
//
//   node bench/dist-ab.mjs DIST_BEFORE [DIST_AFTER] [--index FILE]     (DIST_AFTER defaults to dist/)
//
// With --index, both builds load FILE (a single-file papersift.idx) instead of their default
// corpus, and the answers compared also cover 50 queries of each of its query classes (seed 7,
// drawn by `papersift eval --write-classes`), and each class is timed too. Prints the differences,
// if any, and the median time per query of each build in microseconds.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { repo } from "./lib/paths.mjs";
import { queryClasses } from "./lib/corpus.mjs";

const args = process.argv.slice(2);
const indexAt = args.indexOf("--index");
const indexFile = indexAt < 0 ? null : args.splice(indexAt, 2)[1];
const [beforeDir, afterDir = join(repo, "dist")] = args;
if (!beforeDir || (indexAt >= 0 && !indexFile)) {
  console.error("usage: node bench/dist-ab.mjs DIST_BEFORE [DIST_AFTER] [--index FILE]");
  process.exit(2);
}
const load = async (dir) => {
  const { Papersift } = await import(join(resolve(dir), "papersift.mjs"));
  return indexFile ? Papersift.fromBytes(new Uint8Array(readFileSync(indexFile))) : Papersift.embedded();
};
const [before, after] = [await load(beforeDir), await load(afterDir)];

// Words, a typo, a phrase with an exclusion, a stop word alone, and one word typed letter by letter.
const queries = ["model", "merg", "modle mergng", '"large language" -vision', "transformer attention", "diffusion",
  "llm agents", "a", "reinforcement learning from human feedback", "benchmark", "vision language", "code generation",
  "e", "ec", "ece", "ecel", "effi", "effici", "efficient", "efficient t", "efficient tr"];
const classes = indexFile ? queryClasses(indexFile, 50, 7) : {};
const classQueries = Object.values(classes).flat();
const optionSets = [{}, { facets: true }, { limit: 50 }, { fuzzy: false }, { offset: 3, limit: 5 }, { limit: 20, snippetChars: 80 }];

let compared = 0;
const differ = [];
const same = (what, a, b) => {
  compared++;
  if (JSON.stringify(a) !== JSON.stringify(b)) differ.push(what);
};
for (const query of queries) {
  for (const options of optionSets) {
    const label = `${JSON.stringify(query)} ${JSON.stringify(options)}`;
    same(`results ${label}`, before.results(query, options), after.results(query, options));
    same(`search ${label}`, before.search(query, options), after.search(query, options));
    same(`facets ${label}`, before.facets(query, options), after.facets(query, options));
  }
  same(`suggest ${JSON.stringify(query)}`, before.suggest(query), after.suggest(query));
}
for (const query of classQueries) {
  for (const options of [{ limit: 10 }, { limit: 20, snippetChars: 80 }, { limit: 5, fuzzy: false }]) {
    same(`results ${JSON.stringify(query)} ${JSON.stringify(options)}`, before.results(query, options), after.results(query, options));
  }
}
same("stats", before.stats(), after.stats());
console.log(`${compared} answers compared, ${differ.length} differ`);
for (const what of differ) console.log(`  differs: ${what}`);

const perQuery = (engine, call) => {
  const start = performance.now();
  for (let r = 0; r < 30; r++) for (const query of queries) call(engine, query);
  return ((performance.now() - start) / (30 * queries.length)) * 1000;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, call] of [["results, limit 10", (e, q) => e.results(q, { limit: 10 })], ["facets", (e, q) => e.facets(q, {})]]) {
  const times = { before: [], after: [] };
  for (let round = 0; round < 9; round++) {
    times.after.push(perQuery(after, call));
    times.before.push(perQuery(before, call));
  }
  console.log(`${name}: before ${median(times.before).toFixed(1)} µs, after ${median(times.after).toFixed(1)} µs a query (median of 9 rounds)`);
}

// Per query class, each query timed alone in class order (as the harness does), the two builds in
// turns: the p50 of each.
if (indexFile) console.log("| class (p50, limit 10) | before | after | after/before |\n|---|---:|---:|---:|");
for (const [name, list] of Object.entries(classes)) {
  const times = { before: [], after: [] };
  for (let round = 0; round < 9; round++) {
    for (const [who, engine] of round % 2 ? [["before", before], ["after", after]] : [["after", after], ["before", before]]) {
      for (const query of list) {
        const start = performance.now();
        engine.results(query, { limit: 10 });
        times[who].push((performance.now() - start) * 1000);
      }
    }
  }
  const [b, a] = [median(times.before), median(times.after)];
  console.log(`| ${name} | ${b.toFixed(0)} µs | ${a.toFixed(0)} µs | ${(a / b).toFixed(2)} |`);
}
