// No leaks, in Node with the shipped bundle (dist/papersift.mjs, the release wasm): searches keep
// the engine's memory flat once warm, freed handles give their memory back, and a sharded index's
// pieces go with its handle. WebAssembly memory only grows, so its byte length after warm-up is
// a deterministic measure: any leak, repeated enough, grows it. scripts/build.sh writes dist/;
// scripts/test.sh builds the CLI these tests build sites with.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repo, papersiftBin, tempDir } from "../browser/helpers.mjs";
import { execFileSync } from "node:child_process";

// The engine's memory, seen as the bundle instantiates the engine (known by its handle's export;
// Node may instantiate modules of its own, such as its HTTP parser).
const memories = [];
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async function (...args) {
  const made = await instantiate.apply(this, args);
  const exports = (made.instance || made).exports || {};
  if (exports.__wbg_papersift_free && exports.memory && !memories.includes(exports.memory)) memories.push(exports.memory);
  return made;
};
const { Papersift } = await import("../../dist/papersift.mjs");
const embedded = await Papersift.embedded();
assert.equal(memories.length, 1, "one engine instance");
const memory = memories[0];
const bytes = () => memory.buffer.byteLength;

// Everyday queries, and each kind of hostile one (past the word and length limits, every kind of
// Unicode), with the options a page passes.
const words = Array.from({ length: 10_000 }, (_, i) => `w${i}`);
const normal = [
  "model merging", "mergng", "diffus", "\"large language models\"", "title:attention -vision",
  "author:hinton", "year:2020..2023 transformer", "reinforcement learning from human feedback",
  "gpt-4", "llama 3.1", "schrodinger", "graph neural", "", "q", "zzzzqqq",
];
const hostile = [
  "model merging ".repeat(1 << 16),
  words.join(" "),
  "\"".repeat(10_000),
  words.map((w) => `"${w}"`).join(" "),
  "abcdefghij".repeat(100),
  "e" + "\u0301".repeat(50_000),
  "نموذج دمج النماذج ".repeat(5_000),
  "👩\u200d👩\u200d👧 🏳️\u200d🌈 ".repeat(5_000),
  "\0\u0001\u007f\u2028\ufeffmodel\0merging".repeat(5_000),
];
const optionSets = [{ limit: 10 }, { limit: 20, facets: true }, { limit: 5, yearMin: 2019, venues: ["arXiv"] }];

function searchAll(handle, queries) {
  let total = 0;
  for (const query of queries) {
    for (const options of optionSets) total += handle.results(query, options).total;
    total += handle.search(query, { limit: 3 }).length;
  }
  return total;
}

test("100,000 searches keep the engine's memory flat after warm-up", (t) => {
  const queries = [...normal, ...hostile];
  // Warm-up: every query once with every option set (caches of document blocks and author
  // facets fill, the allocator reaches its working size), and once more to settle.
  searchAll(embedded, queries);
  searchAll(embedded, queries);
  const warm = bytes();
  let searches = 0;
  while (searches < 100_000) {
    const query = searches % 5_000 === 0 ? hostile[(searches / 5_000) % hostile.length] : normal[searches % normal.length];
    embedded.results(query, optionSets[searches % optionSets.length]);
    searches++;
  }
  assert.equal(bytes(), warm, `the engine grew from ${warm} to ${bytes()} bytes over ${searches} searches`);
  t.diagnostic(`engine memory after warm-up and after ${searches} searches: ${warm} bytes`);
});

test("a sharded index's pieces are released with its handle", async (t) => {
  const dir = tempDir("leaks-sharded");
  execFileSync(papersiftBin, ["build", join(repo, "data", "daily_papers.txt"), "--shards", "on", "-o", dir], { stdio: "ignore" });
  const root = new Uint8Array(readFileSync(join(dir, "papersift.idx")));
  const loadPiece = (name) => new Uint8Array(readFileSync(join(dir, "papersift", `${name}.bin`)));
  let pieces = 0;
  const cycle = async () => {
    const handle = await Papersift.fromBytes(root, { loadPiece });
    for (const query of normal) await handle.resultsAsync(query, { limit: 10, facets: true });
    pieces = handle.stats().pieces.loaded;
    handle.free();
  };
  await cycle();
  await cycle();
  const warm = bytes();
  for (let i = 0; i < 20; i++) await cycle();
  assert.ok(pieces > 10, `the queries loaded ${pieces} pieces`);
  assert.equal(bytes(), warm, `20 cycles loading ${pieces} pieces each grew the engine from ${warm} to ${bytes()} bytes`);
  t.diagnostic(`engine ${warm} bytes after 2 and after 22 cycles of loading ${pieces} pieces, searching and freeing`);
});

test("freed handles give their memory back; unfreed ones keep it", async (t) => {
  // An index of a few MB, so that held handles outgrow any free space earlier tests left.
  const words = ["model", "merging", "diffusion", "graph", "neural", "speech", "robot", "retrieval", "vision", "language", "sparse", "attention"];
  const records = join(tempDir("leaks-records"), "papers.jsonl");
  writeFileSync(records, Array.from({ length: 5_000 }, (_, i) => JSON.stringify({
    id: `p${i}`,
    title: `${words[i % 12]} ${words[(i * 7) % 12]} study ${i}`,
    abstract: Array.from({ length: 60 }, (_, j) => words[(i + j * 5) % 12] + (j % 4 === 0 ? String(i * j) : "")).join(" "),
    authors: [`Author ${i % 97}`],
    year: 2000 + (i % 25),
  })).join("\n") + "\n");
  const site = tempDir("leaks-site");
  execFileSync(papersiftBin, ["build", records, "--shards", "off", "-o", site], { stdio: "ignore" });
  const index = new Uint8Array(readFileSync(join(site, "papersift.idx")));
  assert.ok(index.length > 1 << 20, `a ${index.length}-byte index`);
  const cycle = async () => {
    const handle = await Papersift.fromBytes(index);
    searchAll(handle, normal);
    handle.free();
  };
  await cycle();
  await cycle();
  const warm = bytes();
  for (let i = 0; i < 50; i++) await cycle();
  assert.equal(bytes(), warm, `50 load-search-free cycles of a ${index.length}-byte index grew the engine from ${warm} to ${bytes()} bytes`);

  // The measure can see a leak: 40 handles that are not freed hold their index, far more than
  // the free space earlier searches left in the engine's memory.
  const held = [];
  for (let i = 0; i < 40; i++) held.push(await Papersift.fromBytes(index));
  assert.ok(bytes() - warm >= 20 * index.length, `40 held handles grew the engine only ${bytes() - warm} bytes`);
  t.diagnostic(`index ${index.length} bytes; engine ${warm} bytes after 52 load-search-free cycles, ${bytes()} with 40 handles held`);
  held.forEach((handle) => handle.free());
});
