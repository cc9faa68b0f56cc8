// Browser scenarios for sharded indexes, each named by the sentence it proves: the piece loader
// (over http by fetch, from file:// by piece scripts), and whole sharded sites built by the CLI,
// opened from file:// and over http, with faults, out-of-order answers and request counts.
// Real Chromium (Debian's), driven by playwright-core.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { writeFileSync, mkdirSync, readFileSync, readdirSync, existsSync, copyFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, dirname } from "node:path";
import { build } from "esbuild";
import { repo, fileUrl, tempDir, launchChromium, papersiftBin } from "./helpers.mjs";

const { pieceFetcher, pieceCache } = await import(join(repo, "js", "pieces.js"));

/**
 * A stand-in for the engine's handle over a sharded root: query words are piece names; a query
 * needs each of them, then (second round) `more/<word>` for each. A piece's bytes must be the
 * text `piece <name>`; anything else "fails its checksum", as the engine's would.
 */
function fakeHandle() {
  const added = new Map();
  const wanted = (query) => query.split(/\s+/).filter(Boolean).map((word) => "words/" + word);
  return {
    added,
    needs(query) {
      const first = wanted(query).filter((name) => !added.has(name));
      if (first.length) return first;
      return wanted(query).map((name) => name.replace("words/", "more/")).filter((name) => !added.has(name));
    },
    addPiece(name, bytes) {
      if (added.has(name)) throw new Error(`${name} was added twice`);
      if (new TextDecoder().decode(bytes) !== `piece ${name}`) throw new Error(`${name} failed its checksum`);
      added.set(name, true);
    },
    results(query) {
      return { total: added.size, hits: wanted(query) };
    },
  };
}

/** What a piece file holds for the fake handle. */
const pieceText = (name) => `piece ${name}`;
/** A piece script, byte for byte what crates/papersift-cli/src/site.rs `piece_script` writes. */
const pieceScript = (buildId, name, text) =>
  `(globalThis.papersiftPiece)(${JSON.stringify(buildId)}, ${JSON.stringify(name)}, ${JSON.stringify(Buffer.from(text).toString("base64"))});\n`;

let browser, server, origin;
/** Requests the test server saw, by path; `routes` answers them: { status, body, delay }. */
const requests = [];
const routes = new Map();

before(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url, "http://127.0.0.1").pathname;
    requests.push(path);
    const route = routes.get(path);
    if (!route) { response.writeHead(404).end("not found"); return; }
    setTimeout(() => response.writeHead(route.status || 200, { "content-type": route.type || "application/octet-stream" }).end(route.body), route.delay || 0);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  server?.close();
});

test("over http, the pieces of two queries asked at once are each fetched once, in rounds until the engine can answer", async () => {
  for (const name of ["words/merge", "words/model", "more/merge", "more/model", "words/tune", "more/tune"]) {
    routes.set(`/a/${name}.bin`, { body: pieceText(name), delay: 30 });
  }
  requests.length = 0;
  const handle = fakeHandle();
  const cache = pieceCache(handle, pieceFetcher({ base: `${origin}/a/` }));
  await Promise.all([cache.prepare("model merge"), cache.prepare("merge tune"), cache.prepare("model")]);
  assert.deepEqual([...handle.added.keys()].sort(), ["more/merge", "more/model", "more/tune", "words/merge", "words/model", "words/tune"]);
  assert.deepEqual([...requests].sort(), ["/a/more/merge.bin", "/a/more/model.bin", "/a/more/tune.bin", "/a/words/merge.bin", "/a/words/model.bin", "/a/words/tune.bin"]);
  await cache.prepare("model merge");
  assert.equal(requests.length, 6, "cached pieces are not fetched again");
});

test("over http, a missing and a corrupt piece reject naming the piece, and other and later queries still work", async () => {
  routes.set("/b/words/good.bin", { body: pieceText("words/good") });
  routes.set("/b/more/good.bin", { body: pieceText("more/good") });
  routes.set("/b/words/bad.bin", { body: "piece words/somethingelse" });
  const handle = fakeHandle();
  const cache = pieceCache(handle, pieceFetcher({ base: `${origin}/b/` }));
  await assert.rejects(cache.prepare("lost"), { message: `papersift: words/lost could not be loaded (HTTP 404 from ${origin}/b/words/lost.bin)` });
  await assert.rejects(cache.prepare("bad"), { message: "papersift: words/bad failed its checksum" });
  await cache.prepare("good");
  assert.deepEqual(handle.results("good").hits, ["words/good"]);
  // The server has the piece now: the next query that needs it asks again, and gets it.
  routes.set("/b/words/lost.bin", { body: pieceText("words/lost") });
  routes.set("/b/more/lost.bin", { body: pieceText("more/lost") });
  await cache.prepare("lost");
  assert.ok(handle.added.has("more/lost"));
});

test("a piece source that is not bytes, or a server that is not there, rejects with a papersift message", async () => {
  const handle = fakeHandle();
  const odd = pieceCache(handle, pieceFetcher({ loadPiece: () => "text" }));
  await assert.rejects(odd.prepare("x"), { message: "papersift: words/x could not be loaded (loadPiece returned string, not a Uint8Array or ArrayBuffer)" });
  const nowhere = pieceCache(handle, pieceFetcher({}));
  await assert.rejects(nowhere.prepare("x"), /^Error: papersift: words\/x could not be loaded \(this index does not know where its pieces are/);
  const closed = createServer();
  await new Promise((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = closed.address().port;
  await new Promise((resolve) => closed.close(resolve));
  const refused = pieceCache(handle, pieceFetcher({ base: `http://127.0.0.1:${port}/` }));
  await assert.rejects(refused.prepare("x"), /^Error: papersift: words\/x could not be loaded \(fetch failed\)$/);
});

/** js/pieces.js as a classic script that sets window.papersiftPieces, for a file:// page. */
async function piecesScript() {
  const result = await build({
    entryPoints: [join(repo, "js", "pieces.js")], bundle: true, write: false, format: "iife", globalName: "papersiftPieces", logLevel: "warning",
  });
  return result.outputFiles[0].text;
}

test("from file://, pieces arrive as scripts keyed by build and name, and missing or other-build pieces reject naming the piece", async () => {
  const dir = tempDir("pieces");
  writeFileSync(join(dir, "pieces.js"), await piecesScript());
  writeFileSync(join(dir, "index.html"), `<!doctype html><meta charset="utf-8"><script src="pieces.js"></script>`);
  const write = (path, text) => { mkdirSync(dirname(join(dir, path)), { recursive: true }); writeFileSync(join(dir, path), text); };
  // Two indexes whose pieces share names, each in its own folder.
  for (const [folder, buildId] of [["one", "build-1"], ["two", "build-2"]]) {
    for (const name of ["words/model", "more/model"]) write(`${folder}/${name}.js`, pieceScript(buildId, name, pieceText(name)));
  }
  write("one/words/stray.js", pieceScript("build-2", "words/stray", pieceText("words/stray")));
  write("one/words/silent.js", "/* hands over nothing */\n");
  write("one/words/garbled.js", pieceScript("build-1", "words/garbled", "piece words/other"));
  const page = await browser.newPage();
  await page.goto(fileUrl(join(dir, "index.html")));
  const outcome = await page.evaluate(async (source) => {
    const fakeHandle = new Function(`return (${source})`)();
    const { pieceFetcher, pieceCache } = window.papersiftPieces;
    const open = (folder, buildId) => {
      const handle = fakeHandle();
      return { handle, cache: pieceCache(handle, pieceFetcher({ base: new URL(folder + "/", location.href).href, buildId })) };
    };
    const one = open("one", "build-1"), two = open("two", "build-2");
    await Promise.all([one.cache.prepare("model"), two.cache.prepare("model")]);
    const failures = {};
    for (const word of ["lost", "stray", "silent", "garbled"]) {
      failures[word] = await one.cache.prepare(word).then(() => "loaded", (error) => error.message);
    }
    return {
      one: [...one.handle.added.keys()], two: [...two.handle.added.keys()], failures,
      scriptsLeft: document.querySelectorAll("script").length,
    };
  }, fakeHandle.toString());
  assert.deepEqual(outcome.one, ["words/model", "more/model"]);
  assert.deepEqual(outcome.two, ["words/model", "more/model"]);
  const base = fileUrl(join(dir, "one")) + "/";
  assert.deepEqual(outcome.failures, {
    lost: `papersift: words/lost could not be loaded (the script ${base}words/lost.js failed to load)`,
    stray: "papersift: words/stray belongs to another build (its script says build-2, this index is build-1)",
    silent: `papersift: words/silent could not be loaded (the script ${base}words/silent.js did not hand over its bytes)`,
    garbled: "papersift: words/garbled failed its checksum",
  });
  assert.equal(outcome.scriptsLeft, 1, "piece scripts are removed once they ran");
  assert.deepEqual(page.errors.filter((e) => !/ERR_FILE_NOT_FOUND/.test(e.message)), []);
});

/**
 * A file:// page with the element on a stand-in sharded handle whose answers the test releases
 * one by one: `window.answer(query, hits)` resolves that query, `window.fail(query, message)`
 * rejects it.
 */
async function elementOnControlledHandle() {
  const dir = tempDir("element");
  writeFileSync(join(dir, "index.html"), `<!doctype html><meta charset="utf-8"><script src="${fileUrl(join(repo, "dist", "papersift.js"))}"></script>
<papersift-search hash="off"></papersift-search>`);
  const page = await browser.newPage();
  await page.goto(fileUrl(join(dir, "index.html")));
  await page.waitForFunction(() => document.querySelector("papersift-search").index !== null);
  await page.evaluate(() => {
    const waiting = new Map();
    const hit = (title) => ({ id: title, score: 1, title, authors: [], year: null, venue: null, url: null, snippet: { text: "", highlights: [] }, highlights: [] });
    window.answer = (query, titles) => waiting.get(query).resolve({ total: titles.length, hits: titles.map(hit), facets: null, suggestion: null });
    window.fail = (query, message) => waiting.get(query).reject(new Error(message));
    const element = document.querySelector("papersift-search");
    element.index = {
      sharded: () => true,
      stats: () => ({ docs: 3 }),
      facetsAsync: () => Promise.resolve({ total: 3, years: [], venues: [] }),
      resultsAsync: (query) => new Promise((resolve, reject) => waiting.set(query, { resolve, reject })),
      results: () => { throw new Error("a sharded index is asked through resultsAsync"); },
    };
    window.type = (query) => {
      const input = element.shadowRoot.querySelector(".query");
      input.value = query;
      input.dispatchEvent(new Event("input"));
    };
    window.shown = () => ({
      state: element.getAttribute("state"),
      status: element.shadowRoot.querySelector(".status").textContent,
      titles: [...element.shadowRoot.querySelectorAll(".hit .title")].map((node) => node.textContent),
      images: element.shadowRoot.querySelectorAll("img").length,
    });
  });
  return page;
}

test("the element never shows a stale answer when answers arrive out of order", async () => {
  const page = await elementOnControlledHandle();
  await page.evaluate(() => { window.type("mod"); window.type("model merging"); });
  await page.evaluate(() => window.answer("model merging", ["Merging models"]));
  await page.waitForFunction(() => window.shown().titles.length === 1);
  await page.evaluate(() => window.answer("mod", ["Modular stale"]));
  // Let the stale answer's promise callbacks run before looking again.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
  assert.deepEqual((await page.evaluate(() => window.shown())).titles, ["Merging models"]);
  assert.equal((await page.evaluate(() => window.shown())).status, "1 paper");
});

test("the element shows its loading state only once a query has waited, and drops it with the answer", async () => {
  const page = await elementOnControlledHandle();
  const atOnce = await page.evaluate(() => { window.type("slow"); return window.shown(); });
  assert.equal(atOnce.state, null, "no loading state the moment a query starts");
  await page.waitForFunction(() => window.shown().state === "loading");
  assert.equal((await page.evaluate(() => window.shown())).status, "Searching…");
  await page.evaluate(() => window.answer("slow", ["Slow but sure"]));
  await page.waitForFunction(() => window.shown().titles.length === 1);
  assert.equal((await page.evaluate(() => window.shown())).state, null);
});

test("a piece that fails gives the element's error state with the message as text, and the next query works", async () => {
  const page = await elementOnControlledHandle();
  await page.evaluate(() => { window.type("first"); window.answer("first", ["An earlier hit"]); });
  await page.waitForFunction(() => window.shown().titles.length === 1);
  const message = 'papersift: terms/0042 could not be loaded (<img src=x onerror="window.pwned=1">)';
  await page.evaluate((text) => { window.type("broken"); window.fail("broken", text); }, message);
  await page.waitForFunction(() => window.shown().state === "error");
  assert.deepEqual(await page.evaluate(() => window.shown()), { state: "error", status: message, titles: [], images: 0 });
  await page.evaluate(() => { window.type("later"); window.answer("later", ["Still searching"]); });
  await page.waitForFunction(() => window.shown().titles.length === 1);
  assert.deepEqual(await page.evaluate(() => window.shown()), { state: null, status: "1 paper", titles: ["Still searching"], images: 0 });
  assert.equal(await page.evaluate(() => window.pwned), undefined);
});

// ---- Whole sharded sites, built by the CLI from the default corpus (78 papers, 19 pieces) ----

const SHARDED = ["--shards", "on"];
const corpus = join(repo, "data", "daily_papers.txt");
const QUERY = "model merging";
const TYPO = "modle mergng";

let shardedSite, singleSite;
/** Builds (once) a sharded and a single-file site of the same corpus. */
function sites() {
  if (!shardedSite) {
    shardedSite = tempDir("sharded");
    execFileSync(papersiftBin, ["build", corpus, "-o", shardedSite, ...SHARDED], { stdio: ["ignore", "pipe", "inherit"] });
    singleSite = tempDir("single");
    execFileSync(papersiftBin, ["build", corpus, "-o", singleSite, "--shards", "off"], { stdio: ["ignore", "pipe", "inherit"] });
  }
  return { sharded: shardedSite, single: singleSite };
}

/** Every piece file of a site, as names (`terms/0001`), from its `.bin` files. */
function pieceNames(site) {
  const names = [];
  const walk = (dir, prefix) => readdirSync(dir, { withFileTypes: true }).forEach((entry) => {
    if (entry.isDirectory()) walk(join(dir, entry.name), prefix + entry.name + "/");
    else if (entry.name.endsWith(".bin")) names.push(prefix + entry.name.slice(0, -4));
  });
  walk(join(site, "papersift"), "");
  return names.sort();
}

/** Serves `site` on 127.0.0.1; records every request path. Resolves to { url, paths, close }. */
function serveSite(site) {
  const paths = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://127.0.0.1").pathname);
    paths.push(path);
    const file = join(site, path === "/" ? "index.html" : path);
    if (!file.startsWith(site) || !existsSync(file)) { response.writeHead(404).end(); return; }
    const type = file.endsWith(".html") ? "text/html; charset=utf-8" : file.endsWith(".js") ? "text/javascript" : "application/octet-stream";
    response.writeHead(200, { "content-type": type }).end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done({
    url: `http://127.0.0.1:${server.address().port}/`, paths, close: () => server.close(),
  })));
}

/** Opens a site's page and waits for its element's index. */
async function openSite(url) {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector("papersift-search")?.index != null);
  return page;
}

/** Types `query` into the element and resolves to what it shows once it has answered `query`
 * (its `papersift-results` or `papersift-error` event for that query). */
async function typeAndWait(page, query) {
  await page.evaluate((q) => new Promise((resolve) => {
    const element = document.querySelector("papersift-search");
    const done = (event) => {
      if (event.detail.query !== q) return;
      element.removeEventListener("papersift-results", done);
      element.removeEventListener("papersift-error", done);
      resolve();
    };
    element.addEventListener("papersift-results", done);
    element.addEventListener("papersift-error", done);
    const input = element.shadowRoot.querySelector(".query");
    input.value = q;
    input.dispatchEvent(new Event("input"));
    if (q.trim() === "") resolve(); // the empty query is answered at once, with no event
  }), query);
  return shownBy(page);
}

function shownBy(page) {
  return page.evaluate(() => {
    const element = document.querySelector("papersift-search");
    return {
      state: element.getAttribute("state"),
      status: element.shadowRoot.querySelector(".status").textContent,
      titles: [...element.shadowRoot.querySelectorAll(".hit .title")].map((node) => node.textContent),
    };
  });
}

/** Clicks the element's "Show more" and resolves to what it shows once the rest of the hits are
 * on screen (its `papersift-more` event). */
async function showMore(page) {
  await page.evaluate(() => new Promise((resolve, reject) => {
    const element = document.querySelector("papersift-search");
    const button = element.shadowRoot.querySelector(".more");
    if (button.hidden) { reject(new Error("the element offers no more hits")); return; }
    element.addEventListener("papersift-more", () => resolve(), { once: true });
    button.click();
  }));
  return { ...(await shownBy(page)), more: await page.evaluate(() => !document.querySelector("papersift-search").shadowRoot.querySelector(".more").hidden) };
}

/** A sharded site shows the first `FIRST_HITS` of the single-file site's hits, then the rest. */
const FIRST_HITS = 8;
async function assertSameHits(page, query) {
  const first = await typeAndWait(page, query);
  assert.equal(first.state, null, first.status);
  const expected = await expectedTitles(query);
  assert.ok(expected.length > FIRST_HITS, `${query} has more hits than the first screen`);
  assert.deepEqual(first.titles, expected.slice(0, FIRST_HITS), query);
  const all = await showMore(page);
  assert.deepEqual(all.titles, expected, query);
  assert.equal(all.more, false, "no more to show once the limit is reached");
}

/** The titles the single-file site shows for `query`: what the sharded site must show too. */
async function expectedTitles(query) {
  const page = await openSite(fileUrl(join(sites().single, "index.html")));
  const shown = await typeAndWait(page, query);
  await page.close();
  assert.ok(shown.titles.length > 0, `the single-file site finds ${query}`);
  return shown.titles;
}

test("a sharded site opened from file:// finds `model merging` and a typo, with the same hits as the single-file site", async () => {
  const { sharded } = sites();
  assert.ok(pieceNames(sharded).length >= 10, `many pieces: ${pieceNames(sharded).length}`);
  const page = await openSite(fileUrl(join(sharded, "index.html")));
  for (const query of [QUERY, TYPO]) await assertSameHits(page, query);
  assert.match((await shownBy(page)).titles[0], /Merging/);
  assert.deepEqual(page.errors, []);
});

test("a sharded site over http finds `model merging` and a typo, requesting only the pieces its queries need, each once", async () => {
  const { sharded } = sites();
  const server = await serveSite(sharded);
  try {
    const page = await openSite(server.url + "index.html");
    for (const query of [QUERY, TYPO]) await assertSameHits(page, query);
    const pieces = server.paths.filter((path) => path.startsWith("/papersift/"));
    assert.ok(pieces.every((path) => path.endsWith(".bin")), "over http, pieces are fetched as .bin, not scripts");
    assert.equal(new Set(pieces).size, pieces.length, "no piece is requested twice");
    const loaded = await page.evaluate(() => document.querySelector("papersift-search").index.stats().pieces);
    assert.equal(loaded.loaded, pieces.length, "every requested piece was needed and is loaded");
    assert.ok(pieces.length < pieceNames(sharded).length, `${pieces.length} of ${pieceNames(sharded).length} pieces`);
    // The first query again is answered from the pieces already loaded: no request.
    await typeAndWait(page, QUERY);
    assert.equal(server.paths.filter((path) => path.startsWith("/papersift/")).length, pieces.length);
    assert.deepEqual(page.errors.filter((error) => !/404/.test(error.message)), []);
  } finally {
    server.close();
  }
});

test("a sharded site loads the document blocks of its first screen of hits only, and the rest when asked, by button or arrow key", async () => {
  const server = await serveSite(sites().sharded);
  try {
    const page = await openSite(server.url + "index.html");
    const docs = () => server.paths.filter((path) => path.startsWith("/papersift/docs/")).length;
    // In this corpus the typo's first hits lie in fewer document blocks than its first 20.
    const typoTitles = await expectedTitles(TYPO);
    const first = await typeAndWait(page, TYPO);
    assert.deepEqual(first.titles, typoTitles.slice(0, FIRST_HITS));
    assert.match(first.status, new RegExp(`\\(showing ${FIRST_HITS}\\)$`));
    const firstDocs = docs();
    assert.ok(firstDocs > 0 && firstDocs <= FIRST_HITS, `${firstDocs} document blocks for ${FIRST_HITS} hits`);
    const all = await showMore(page);
    assert.deepEqual(all.titles, typoTitles);
    assert.match(all.status, new RegExp(`\\(showing ${typoTitles.length}\\)$`));
    assert.ok(docs() > firstDocs, `the rest of the hits loaded their document blocks (${docs()} after ${firstDocs})`);
    // A new query starts again from its first screen; moving past its last hit with the arrow
    // key loads the rest and selects the next hit.
    const queryTitles = await expectedTitles(QUERY);
    assert.equal((await typeAndWait(page, QUERY)).titles.length, FIRST_HITS);
    const selected = await page.evaluate((count) => new Promise((resolve) => {
      const element = document.querySelector("papersift-search");
      const input = element.shadowRoot.querySelector(".query");
      element.addEventListener("papersift-more", () => setTimeout(() => {
        resolve(element.shadowRoot.querySelector("[aria-selected=true]").dataset.rank);
      }, 0), { once: true });
      for (let i = 0; i < count; i++) input.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    }), FIRST_HITS + 1);
    assert.equal(selected, String(FIRST_HITS), "the first hit past the first screen is selected");
    assert.deepEqual((await shownBy(page)).titles, queryTitles);
    assert.deepEqual(page.errors, []);
  } finally {
    server.close();
  }
});

const OTHER = "video diffusion";

/** The pieces that typing `query` makes a fresh page of `server` request. */
async function piecesFor(server, query) {
  const page = await openSite(server.url + "index.html");
  await typeAndWait(page, "");
  const before = server.paths.length;
  const shown = await typeAndWait(page, query);
  assert.ok(shown.titles.length > 0, `${query} finds papers`);
  await page.close();
  return server.paths.slice(before).filter((path) => path.startsWith("/papersift/")).map((path) => path.slice("/papersift/".length, -".bin".length));
}

/** A piece `query` needs and `OTHER` does not. */
async function pieceOnlyFor(query) {
  const server = await serveSite(sites().sharded);
  try {
    const mine = await piecesFor(server, query);
    const others = new Set(await piecesFor(server, OTHER));
    const only = mine.filter((name) => !others.has(name));
    assert.ok(only.length > 0, `${query} needs a piece that ${OTHER} does not (${mine} vs ${[...others]})`);
    return { only, server };
  } catch (error) {
    server.close();
    throw error;
  }
}

test("a corrupted piece gives the error state naming the piece, and a later query still works", async () => {
  const { only, server } = await pieceOnlyFor(QUERY);
  try {
    const broken = only[0];
    const page = await browser.newPage();
    await page.route(`**/papersift/${broken}.bin`, (route) => {
      const bytes = readFileSync(join(sites().sharded, "papersift", `${broken}.bin`));
      bytes[bytes.length - 1] ^= 0xff;
      route.fulfill({ status: 200, contentType: "application/octet-stream", body: bytes });
    });
    await page.goto(server.url + "index.html");
    await page.waitForFunction(() => document.querySelector("papersift-search")?.index != null);
    const failed = await typeAndWait(page, QUERY);
    assert.deepEqual(failed, { state: "error", status: `papersift: ${broken} failed its checksum`, titles: [] });
    const later = await typeAndWait(page, OTHER);
    assert.equal(later.state, null);
    assert.deepEqual(later.titles, await expectedTitles(OTHER));
  } finally {
    server.close();
  }
});

test("a missing piece gives the error state naming the piece, from file:// too, and a later query still works", async () => {
  const { only, server } = await pieceOnlyFor(QUERY);
  server.close();
  const site = tempDir("missing");
  execFileSync("cp", ["-R", sites().sharded + "/.", site]);
  const missing = only[only.length - 1];
  rmSync(join(site, "papersift", `${missing}.js`));
  const page = await openSite(fileUrl(join(site, "index.html")));
  const failed = await typeAndWait(page, QUERY);
  const script = fileUrl(join(site, "papersift", `${missing}.js`));
  assert.deepEqual(failed, { state: "error", status: `papersift: ${missing} could not be loaded (the script ${script} failed to load)`, titles: [] });
  const later = await typeAndWait(page, OTHER);
  assert.equal(later.state, null);
  assert.deepEqual(later.titles, await expectedTitles(OTHER));
});

test("out-of-order answers never show stale results: a slow query answered after a later one leaves the later one shown", async () => {
  const { only, server } = await pieceOnlyFor(QUERY);
  try {
    const page = await browser.newPage();
    let release;
    const released = new Promise((resolve) => { release = resolve; });
    const slow = new Set(only);
    await page.route("**/papersift/**", async (route) => {
      const name = new URL(route.request().url()).pathname.replace(/^\/papersift\//, "").replace(/\.bin$/, "");
      if (slow.has(name)) await released;
      route.continue();
    });
    await page.goto(server.url + "index.html");
    await page.waitForFunction(() => document.querySelector("papersift-search")?.index != null);
    await page.evaluate((q) => {
      const input = document.querySelector("papersift-search").shadowRoot.querySelector(".query");
      input.value = q;
      input.dispatchEvent(new Event("input"));
    }, QUERY);
    const later = await typeAndWait(page, OTHER);
    const expected = await expectedTitles(OTHER);
    assert.deepEqual(later.titles, expected);
    release();
    // The slow query's pieces arrive; a direct call over the same cache resolves once they are
    // in, by which time the element's own answer to the slow query has come (and been dropped).
    await page.evaluate((q) => document.querySelector("papersift-search").index.resultsAsync(q, {}).then(() => new Promise((r) => setTimeout(r, 0))), QUERY);
    assert.deepEqual(await shownBy(page), { state: null, status: later.status, titles: expected });
  } finally {
    server.close();
  }
});

// ---- Filters on a sharded site: the default corpus plus papers with years and venues ----

let facetSites;
/** Builds (once) a sharded and a single-file site of the default corpus and tests/fixtures/papers.jsonl. */
function sitesWithFilters() {
  if (!facetSites) {
    const inputs = [corpus, join(repo, "tests", "fixtures", "papers.jsonl")];
    facetSites = { sharded: tempDir("filters-sharded"), single: tempDir("filters-single") };
    execFileSync(papersiftBin, ["build", ...inputs, "-o", facetSites.sharded, ...SHARDED], { stdio: ["ignore", "pipe", "inherit"] });
    execFileSync(papersiftBin, ["build", ...inputs, "-o", facetSites.single, "--shards", "off"], { stdio: ["ignore", "pipe", "inherit"] });
  }
  return facetSites;
}

/** What the element's filters offer: year placeholders, venue and author buttons (with counts). */
function filtersShown(page) {
  return page.evaluate(() => {
    const root = document.querySelector("papersift-search").shadowRoot;
    const buttons = (kind) => [...root.querySelectorAll(`.facet-value.${kind}`)].map((node) => node.textContent);
    return {
      hidden: root.querySelector(".filters").hidden,
      years: [root.querySelector(".year-min").placeholder, root.querySelector(".year-max").placeholder],
      venues: buttons("venue"),
      authors: buttons("author"),
      showAuthors: root.querySelector(".show-authors") !== null,
    };
  });
}

/** Runs `act` in the page and resolves once the element has answered again. */
async function actAndWait(page, act) {
  await page.evaluate((source) => new Promise((resolve) => {
    const element = document.querySelector("papersift-search");
    const done = () => {
      element.removeEventListener("papersift-results", done);
      element.removeEventListener("papersift-error", done);
      resolve();
    };
    element.addEventListener("papersift-results", done);
    element.addEventListener("papersift-error", done);
    new Function("root", source)(element.shadowRoot);
  }), `(${act})(root)`);
}

const venueButtonsShown = () => document.querySelector("papersift-search").shadowRoot.querySelectorAll(".facet-value.venue").length > 0;
const authorButtonsShown = () => document.querySelector("papersift-search").shadowRoot.querySelectorAll(".facet-value.author").length > 0;

test("a sharded site's first result and its year and venue filters load no authors piece; asking for author filters loads them and shows the single-file site's", async () => {
  const { sharded, single } = sitesWithFilters();
  const server = await serveSite(sharded);
  try {
    const page = await openSite(server.url + "index.html");
    const authorPieces = () => server.paths.filter((path) => path.startsWith("/papersift/authors/"));
    const first = await typeAndWait(page, QUERY);
    assert.equal(first.state, null, first.status);
    assert.ok(first.titles.length > 0);
    await page.waitForFunction(venueButtonsShown);
    const offered = await filtersShown(page);
    assert.deepEqual(offered.years, ["1984", "2025"]);
    assert.ok(offered.venues.some((text) => text.startsWith("NAACL-HLT")), offered.venues.join(", "));
    assert.deepEqual([offered.hidden, offered.authors, offered.showAuthors], [false, [], true]);
    // Using the year and venue filters still loads no authors piece.
    await actAndWait(page, (root) => { const input = root.querySelector(".year-min"); input.value = "2019"; input.dispatchEvent(new Event("input")); });
    await actAndWait(page, (root) => root.querySelector(".facet-value.venue").click());
    assert.equal((await shownBy(page)).state, null);
    assert.ok(server.paths.some((path) => path.startsWith("/papersift/facets/")), "the facets piece is loaded");
    assert.deepEqual(authorPieces(), [], "no authors piece before the visitor asks for author filters");

    // The visitor asks for author filters: the authors pieces load, and the filters match the
    // single-file site's for the same query and filters.
    await actAndWait(page, (root) => {
      root.querySelector(".facet-value.venue[aria-pressed=true]").click();
      const input = root.querySelector(".year-min"); input.value = ""; input.dispatchEvent(new Event("input"));
    });
    await page.evaluate(() => {
      const button = document.querySelector("papersift-search").shadowRoot.querySelector(".show-authors");
      button.focus();
      button.click();
    });
    await page.waitForFunction(authorButtonsShown);
    await page.waitForFunction(() => document.querySelector("papersift-search").getAttribute("state") === null);
    assert.ok(authorPieces().length > 0, "asking for author filters loads the authors pieces");
    assert.equal(await page.evaluate(() => document.querySelector("papersift-search").shadowRoot.activeElement?.className), "facet-value author", "focus moves to the first author");
    const withAuthors = await filtersShown(page);
    const singlePage = await openSite(fileUrl(join(single, "index.html")));
    await typeAndWait(singlePage, QUERY);
    const expected = await filtersShown(singlePage);
    await singlePage.close();
    assert.ok(expected.authors.length > 0, "the single-file site offers author filters");
    assert.deepEqual(withAuthors, expected);
    assert.deepEqual(page.errors.filter((error) => !/404/.test(error.message)), []);
  } finally {
    server.close();
  }
});

test("an authors piece that fails gives the element's error state naming it, and asking for author filters again loads them", async () => {
  const { sharded } = sitesWithFilters();
  const server = await serveSite(sharded);
  try {
    const page = await browser.newPage();
    let failing = true;
    await page.route("**/papersift/authors/**", (route) => (failing ? route.fulfill({ status: 404, body: "gone" }) : route.continue()));
    await page.goto(server.url + "index.html");
    await page.waitForFunction(venueButtonsShown);
    const showAuthors = () => page.evaluate(() => document.querySelector("papersift-search").shadowRoot.querySelector(".show-authors").click());
    await showAuthors();
    await page.waitForFunction(() => document.querySelector("papersift-search").getAttribute("state") === "error");
    const failed = await shownBy(page);
    assert.match(failed.status, /^papersift: authors\/\S+ /, failed.status);
    assert.equal((await filtersShown(page)).showAuthors, true, "the control stays, to try again");
    failing = false;
    await showAuthors();
    await page.waitForFunction(authorButtonsShown);
    assert.equal((await shownBy(page)).state, null);
  } finally {
    server.close();
  }
});

test("in Node, a sharded root opens with fromBytes and loadPiece, and answers like the single-file index", async () => {
  const { sharded, single } = sites();
  const { Papersift } = await import(join(repo, "dist", "papersift.mjs"));
  const root = await Papersift.fromBytes(readFileSync(join(sharded, "papersift.idx")), {
    loadPiece: (name) => readFileSync(join(sharded, "papersift", `${name}.bin`)),
  });
  const whole = await Papersift.fromBytes(readFileSync(join(single, "papersift.idx")));
  assert.equal(root.sharded(), true);
  assert.throws(() => root.results(QUERY, {}), /^Error: papersift: this index is sharded; use resultsAsync/);
  for (const query of [QUERY, TYPO]) {
    const titles = (results) => results.hits.map((hit) => hit.title);
    assert.deepEqual(titles(await root.resultsAsync(query, { limit: 10 })), titles(whole.results(query, { limit: 10 })));
    assert.deepEqual(titles(await whole.resultsAsync(query, { limit: 10 })), titles(whole.results(query, { limit: 10 })));
  }
  assert.deepEqual((await root.searchAsync(QUERY, { limit: 3 })).map((hit) => hit.id), whole.search(QUERY, { limit: 3 }).map((hit) => hit.id));
  assert.deepEqual(await root.facetsAsync(QUERY), whole.facets(QUERY));
  await assert.rejects(Papersift.fromBytes(readFileSync(join(sharded, "papersift.idx")), "papersift/"), /^TypeError: papersift: fromBytes's second argument must be \{ base \} or \{ loadPiece \}, got string$/);
});

test("in Node, a long word found in the dictionary loads in three rounds, its typo chunks with its own chunk; a misspelt one in four", async () => {
  const { sharded, single } = sites();
  const { Papersift } = await import(join(repo, "dist", "papersift.mjs"));
  const whole = await Papersift.fromBytes(readFileSync(join(single, "papersift.idx")));
  const piece = (name) => readFileSync(join(sharded, "papersift", `${name}.bin`));
  // The rounds of loading by hand, as js/pieces.js runs them: each is a round trip in a page.
  const rounds = async (query) => {
    const root = await Papersift.fromBytes(readFileSync(join(sharded, "papersift.idx")), { loadPiece: piece });
    const loaded = [];
    for (let names = root.needs(query, {}); names.length; names = root.needs(query, {})) {
      names.forEach((name) => root.addPiece(name, piece(name)));
      loaded.push(names);
    }
    assert.deepEqual(root.results(query, {}), whole.results(query, {}), query);
    return loaded.map((names) => names.filter((name) => name.startsWith("terms/")).length);
  };
  // `diffusion` (9 letters) is known, so it gets one typo, whose chunks are read whatever it is.
  for (const query of ["diffusion", "language models"]) {
    const terms = await rounds(query);
    assert.equal(terms.length, 3, `${query}: ${terms}`);
    assert.ok(terms[0] > 2, `${query}: the typo walk's chunks come in the first round: ${terms}`);
    assert.deepEqual(terms.slice(1), [0, 0], `${query}: then postings, then documents`);
  }
  const typo = await rounds("langauge");
  assert.equal(typo.length, 4, `langauge: ${typo}`);
  assert.ok(typo[1] > 0, `langauge: its full typo budget waits for its own chunk: ${typo}`);
});
