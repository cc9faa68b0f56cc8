// No leaks in the element, in real Chromium over the built demo (scripts/build.sh): searching
// keeps the engine's WebAssembly memory flat after warm-up, and opening visitors' files one after
// another keeps no index in any memory on the page (the engine's, the builder's). Memories only
// grow, so their byte lengths are a deterministic measure. tests/node/leaks.test.mjs checks the
// JS API the same way, byte for byte.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { repo, fileUrl, tempDir, launchChromium } from "./helpers.mjs";

const demo = fileUrl(join(repo, "www", "index.html"));
let browser;

before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

/** The demo, with every WebAssembly memory the page makes kept in `window.wasmMemories`. */
async function open() {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    window.wasmMemories = [];
    const instantiate = WebAssembly.instantiate;
    WebAssembly.instantiate = async function (...args) {
      const made = await instantiate.apply(this, args);
      const memory = (made.instance || made).exports?.memory;
      if (memory && !window.wasmMemories.includes(memory)) window.wasmMemories.push(memory);
      return made;
    };
  });
  await page.goto(demo);
  await page.waitForFunction(() => document.querySelector("papersift-search")?.index);
  return page;
}

const memoryBytes = (page) => page.evaluate(() => window.wasmMemories.map((memory) => memory.buffer.byteLength));

/** Opens `path` through the element's file input and waits for the outcome line. */
async function openFile(page, path) {
  const text = () => page.evaluate(() => document.querySelector("papersift-search").shadowRoot.querySelector(".source-text").textContent);
  const previous = await text();
  await page.locator("papersift-search input.file").setInputFiles(path);
  await page.waitForFunction((previous) => {
    const now = document.querySelector("papersift-search").shadowRoot.querySelector(".source-text").textContent;
    return now !== previous && !/^Indexing /.test(now);
  }, previous);
  return text();
}

/** Sets the element's query to each of `queries` in turn (each answered at once: one file). */
function searchAll(page, queries) {
  return page.evaluate((queries) => {
    const element = document.querySelector("papersift-search");
    for (const query of queries) element.value = query;
    return element.shadowRoot.querySelector(".status").textContent;
  }, queries);
}

const queries = ["model merging", "mergng", "diffus", "\"language models\"", "title:attention -vision", "gpt-4", "q", "zzqq",
  "model merging ".repeat(5_000), Array.from({ length: 2_000 }, (_, i) => `w${i}`).join(" ")];

test("thousands of searches in the element keep the engine's memory flat after warm-up", async (t) => {
  const page = await open();
  await searchAll(page, queries);
  await searchAll(page, queries);
  const warm = await memoryBytes(page);
  assert.equal(warm.length, 1, "one engine");
  const rounds = Array.from({ length: 300 }, () => queries).flat();
  const status = await searchAll(page, rounds);
  assert.match(status, /paper/);
  assert.deepEqual(await memoryBytes(page), warm, `${rounds.length} searches grew the engine`);
  t.diagnostic(`engine memory after warm-up and after ${rounds.length} searches: ${warm[0]} bytes`);
  assert.deepEqual(page.errors, []);
});

/** A JSON Lines file of `count` papers with varied words, written to a temp dir. */
function papersFile(name, count) {
  const words = ["model", "merging", "diffusion", "graph", "neural", "speech", "robot", "retrieval", "vision", "language", "sparse", "attention"];
  const lines = Array.from({ length: count }, (_, i) => JSON.stringify({
    id: `${name}-${i}`,
    title: `${words[i % 12]} ${words[(i * 7) % 12]} study ${i} of ${words[(i * 5) % 12]}${i}`,
    abstract: Array.from({ length: 40 }, (_, j) => words[(i + j * 3) % 12] + (j % 5 === 0 ? String(i * j) : "")).join(" "),
    authors: [`Author ${i % 97}`, `Writer ${i % 31}`],
    year: 2000 + (i % 25),
  }));
  const path = join(tempDir("leaks"), name);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

test("opening one visitor's file after another frees each index: no memory keeps an index", async (t) => {
  const page = await open();
  const files = [papersFile("first.jsonl", 3_000), papersFile("second.jsonl", 3_500)];
  // Warm-up: the engine's heap reaches its size for these two files within ten of them (about
  // 8.7 MB now; it was 10 MB from the first files while each typo DFA took 1 KB a state).
  for (let i = 0; i < 10; i++) {
    assert.match(await openFile(page, files[i % 2]), /^\d[\d,]* papers from /);
    await searchAll(page, queries);
  }
  const indexBytes = await page.evaluate(() => document.querySelector("papersift-search").index.stats().bytes);
  const warm = await memoryBytes(page);
  assert.equal(warm.length, 2, "the engine and the builder");
  for (let i = 0; i < 20; i++) {
    assert.match(await openFile(page, files[i % 2]), /^\d[\d,]* papers from /);
    await searchAll(page, queries);
  }
  const now = await memoryBytes(page);
  // One index kept per file would be 20 of them.
  for (const [i, name] of ["engine", "builder"].entries()) {
    assert.ok(now[i] - warm[i] < indexBytes, `20 more files grew the ${name} from ${warm[i]} to ${now[i]} bytes (an index is ${indexBytes})`);
  }
  t.diagnostic(`index ${indexBytes} bytes; engine ${warm[0]} → ${now[0]} bytes, builder ${warm[1]} → ${now[1]} bytes over 20 files`);
  assert.deepEqual(page.errors, []);
});
