// Headless Chromium: start-up (script start → first result) for papersift's single script and for
// each peer (its minified bundle + its serialized index fetched as text), and Pagefind (its own
// bundle, which only works over http); the bytes and requests a page needs for its first result
// (`openToFirstResult`, which bench/shards-first-result.mjs uses too); cold and warm query
// latency in a page. Everything is served by a localhost server that this module starts and
// stops, with `Cache-Control: no-store` so no load reuses another's bytes.
import { createServer } from "node:http";
import { createReadStream, statSync, existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, normalize, extname } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../../tests/browser/helpers.mjs";
import { minisearch } from "./engines.mjs";

const types = { ".js": "text/javascript", ".mjs": "text/javascript", ".html": "text/html", ".json": "application/json",
  ".wasm": "application/wasm", ".css": "text/css" };

/** A static file server on 127.0.0.1 over `root`. Resolves to { url, close }. */
export function serve(root) {
  const server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url, "http://x").pathname)));
    let file = path;
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!path.startsWith(root) || !existsSync(file)) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({
    url: `http://127.0.0.1:${server.address().port}`,
    /** The file this server answers `url` with. */
    localPath: (url) => join(root, decodeURIComponent(new URL(url).pathname)),
    close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(done); }),
  })));
}

/** The file a file:// URL names. */
export const fileUrlPath = (url) => fileURLToPath(url.split("#")[0]);

// Per peer: how its page loads the fetched index text into a handle and runs one query.
// `L` is the bundle's global (esbuild IIFE, global name Lib); `text` the serialized index.
const peerPage = {
  MiniSearch: `const MS = L.default; const h = MS.loadJSON(text, { fields: ["title", "abstract"], storeFields: ["title"], idField: "id" });
    return h.search(q, { boost: { title: 2 } }).slice(0, 10).map((r) => r.id);`,
  FlexSearch: `const F = L.default ?? L; const d = new F.Document({ tokenize: "forward", document: { id: "id", index: ["title", "abstract"], store: ["title"] } });
    for (const [k, v] of Object.entries(JSON.parse(text))) await d.import(k, v);
    return d.search(q, { limit: 10, merge: true }).map((r) => r.id);`,
  lunr: `const lunr = L.default ?? L; const { index, titles } = JSON.parse(text); const idx = lunr.Index.load(index);
    return idx.search(q).slice(0, 10).map((r) => r.ref);`,
  "Fuse.js": `const Fuse = L.default ?? L; const { records, index } = JSON.parse(text);
    const keys = [{ name: "title", weight: 2 }, { name: "abstract", weight: 1 }];
    return new Fuse(records, { keys, ignoreLocation: true, threshold: 0 }, Fuse.parseIndex(index)).search(q, { limit: 10 }).map((r) => r.item.id);`,
  Orama: `const db = L.create({ schema: { id: "string", title: "string", abstract: "string" } }); L.load(db, JSON.parse(text));
    return L.search(db, { term: q, properties: ["title", "abstract"], boost: { title: 2 }, limit: 10 }).hits.map((h) => h.id);`,
};

/** The page for one engine; it sets window.__result = { ms, hits } or { error }. */
export function startupPage(engine, query) {
  const q = JSON.stringify(query);
  const head = `<!doctype html><meta charset="utf-8"><script>window.__t0 = performance.now();</script>`;
  const done = `.then((hits) => { window.__result = { ms: performance.now() - window.__t0, hits: hits.length }; })
    .catch((e) => { window.__result = { error: String(e && e.stack || e) }; });`;
  if (engine === "papersift") {
    return `${head}<script src="papersift.js"></script><script>
      Papersift.embedded().then((ps) => ps.search(${q}, { limit: 10 }))${done}</script>`;
  }
  if (engine === "Pagefind") {
    return `${head}<script type="module">
      (async () => { const pf = await import(new URL("pagefind/pagefind.js", location.href).href); await pf.init();
        const s = await pf.search(${q}); const top = await Promise.all(s.results.slice(0, 10).map((r) => r.data())); return top; })()${done}</script>`;
  }
  return `${head}<script src="lib.js"></script><script>
    (async () => { const L = window.Lib; const text = await (await fetch("index.json")).text(); const q = ${q};
      ${peerPage[engine]} })()${done}</script>`;
}

/** Opens `url` in a fresh page and waits for window.__result (at most timeoutMs). */
async function loadOnce(browser, url, timeoutMs) {
  const page = await browser.newPage();
  try {
    await page.goto(url, { timeout: timeoutMs });
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: timeoutMs, polling: 20 });
    const result = await page.evaluate(() => window.__result);
    if (result.error) throw new Error(result.error);
    return result;
  } finally {
    await page.close();
  }
}

// gzip -9 sizes by file, so a file loaded by many runs (a 100 MB index) is compressed once.
const gzipped = new Map();
function gzipSize(file) {
  const s = statSync(file);
  const key = `${file} ${s.size} ${s.mtimeMs}`;
  if (!gzipped.has(key)) gzipped.set(key, gzipSync(readFileSync(file), { level: 9 }).length);
  return gzipped.get(key);
}

/** Raw and gzip bytes of the files `urls` were answered with (`localPath` maps a URL to its file). */
export function bytesOf(urls, localPath) {
  const files = urls.map(localPath).filter((file) => existsSync(file) && statSync(file).isFile());
  return { bytes: files.reduce((sum, f) => sum + statSync(f).size, 0), gzipped: files.reduce((sum, f) => sum + gzipSize(f), 0) };
}

/**
 * Opens `url` in a fresh page and waits for its first result: `window.__result` as the bench
 * pages set it, or, on a site's own page, the element's first `papersift-results` event (it
 * fires right after the hits render; the event does not bubble, so a capturing listener on the
 * document hears it). Counts every request the page made until then; `hits` (how many the
 * page found, or the element's total) is the caller's to check; the element's `papersift-ready`
 * (its filters can count) sets `window.__papersiftReady`. Resolves to
 * `{ page, first: { ms, hits, requests, bytes, gzipped, urls }, requested() }`, `ms` from navigation
 * start, `bytes` the files' sizes on disk (what a server that does not compress sends),
 * `gzipped` what a host that gzips would send; `requested()` lists every URL requested so far.
 * The caller closes the page.
 */
export async function openToFirstResult(browser, url, { localPath, timeoutMs }) {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    document.addEventListener("papersift-results", (event) => {
      if (window.__result === undefined) window.__result = { at: performance.now(), epoch: performance.timeOrigin + performance.now(), hits: event.detail.total };
    }, true);
    document.addEventListener("papersift-ready", () => { window.__papersiftReady = true; }, true);
  });
  const requests = [];
  page.on("request", (request) => requests.push({ url: request.url().split("#")[0], at: Date.now() }));
  try {
    await page.goto(url, { waitUntil: "commit", timeout: timeoutMs });
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: timeoutMs, polling: 20 });
    const result = await page.evaluate(() => window.__result);
    if (result.error) throw new Error(result.error);
    // The page's clock and this process's are both the wall clock of this machine.
    const urls = requests.filter((r) => r.at <= result.epoch).map((r) => r.url);
    return { page, first: { ms: result.at, hits: result.hits, requests: urls.length, ...bytesOf(urls, localPath), urls }, requested: () => requests.map((r) => r.url) };
  } catch (e) {
    await page.close();
    throw e;
  }
}

/** Chromium's version string, and a launcher that callers close. */
export async function chromium() {
  const browser = await launchChromium();
  const version = browser.context.browser()?.version() ?? null;
  return { browser, version };
}

/** Median start-up over `repeats` fresh pages at `url`; `failed` explains a load that failed. */
export async function startup(browser, url, repeats, timeoutMs) {
  const times = [];
  try {
    for (let i = 0; i < repeats; i++) times.push((await loadOnce(browser, url, timeoutMs)).ms);
  } catch (e) {
    return { failed: String(e.message).split("\n")[0].slice(0, 200) };
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor((times.length - 1) / 2)], runs: times.length };
}

/**
 * In one page at `url` (already loaded to its first result), runs every query of each class and
 * returns p50/p95 per class. `search` is the body of an async function (q, cls) → ids run in the page.
 * The first ten queries of a class run once untimed; with `warmBudgetMs`, every query does (within
 * that budget per class), so that a sharded index has each query's pieces loaded before it is
 * timed, and only the queries warmed in time are timed.
 */
export async function latencyInPage(browser, url, classes, search, { repeats, budgetMs, timeoutMs, warmBudgetMs = null }) {
  const page = await browser.newPage();
  try {
    await page.goto(url, { timeout: timeoutMs });
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: timeoutMs, polling: 20 });
    return await page.evaluate(async ({ classes, search, repeats, budgetMs, warmBudgetMs }) => {
      const warmAll = warmBudgetMs != null;
      const run = new Function("q", "cls", `return (async () => { ${search} })();`);
      const pick = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] : null; };
      const out = {};
      for (const [cls, all] of Object.entries(classes)) {
        const warmStarted = performance.now();
        let warmed = 0;
        for (const q of warmAll ? all : all.slice(0, 10)) {
          await run(q, cls);
          warmed++;
          if (warmAll && performance.now() - warmStarted > warmBudgetMs) break;
        }
        const queries = warmAll ? all.slice(0, warmed) : all;
        const per = queries.map(() => []);
        let empty = 0, measured = 0, over = false;
        const started = performance.now();
        for (let r = 0; r < repeats && !over; r++) {
          for (let i = 0; i < queries.length; i++) {
            const s = performance.now();
            const ids = await run(queries[i], cls);
            per[i].push(performance.now() - s);
            if (r === 0) { measured = i + 1; if (ids.length === 0) empty++; }
            if (performance.now() - started > budgetMs) { over = true; break; }
          }
        }
        const medians = per.filter((t) => t.length).map((t) => pick(t, 0.5));
        out[cls] = { p50: pick(medians, 0.5), p95: pick(medians, 0.95), queries: measured, of: all.length, outOfBudget: over || measured < all.length, noHit: measured ? empty / measured : null };
      }
      return out;
    }, { classes, search, repeats, budgetMs, warmBudgetMs });
  } finally {
    await page.close();
  }
}

/** Rankings for judged queries in a page (Pagefind's relevance): { qid: [url, ...] } within budget. */
export async function rankingsInPage(browser, url, queries, search, { budgetMs, timeoutMs }) {
  const page = await browser.newPage();
  try {
    await page.goto(url, { timeout: timeoutMs });
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: timeoutMs, polling: 20 });
    return await page.evaluate(async ({ queries, search, budgetMs }) => {
      const run = new Function("q", "cls", `return (async () => { ${search} })();`);
      const started = performance.now();
      const out = {};
      for (const q of queries) {
        if (performance.now() - started > budgetMs) return { partial: true, rankings: out };
        out[q.id] = await run(q.text, "relevance");
      }
      return { partial: false, rankings: out };
    }, { queries, search, budgetMs });
  } finally {
    await page.close();
  }
}

/** In-page search bodies for latency: papersift (product defaults) and Pagefind (urls). */
export const pageSearch = {
  papersift: `if (!window.__ps) window.__ps = await Papersift.embedded(); return window.__ps.search(q, { limit: 10 }).map((h) => h.id);`,
  Pagefind: `if (!window.__pf) { window.__pf = await import(new URL("pagefind/pagefind.js", location.href).href); await window.__pf.init(); }
    const s = await window.__pf.search(q); const n = cls === "relevance" ? 100 : 10;
    return (await Promise.all(s.results.slice(0, n).map((r) => r.data()))).map((d) => d.url);`,
};

// ---- sharded sites against the peers: one page per engine, in two modes. "first" loads the
// engine and runs one query (`window.__result` once its hits are in hand: the first result);
// "ready" only loads the engine (`window.__result` once a query could run), so that the first
// query timed in it is cold: papersift's pieces, Pagefind's chunks and fragments not yet loaded.
// Each engine's `search` body runs as `async (q, cls) => ids` in the page, on the handle
// `init` leaves in `window.__h`.

const CLASS_NAMES = ["exact", "twoWord", "prefix", "typo", "typing", "typingScratch"];
export const shardedEngines = {
  papersift: {
    init: "window.__h = await Papersift.embedded();",
    // resultsAsync loads the pieces the query needs, then answers as the element does.
    search: "return (await window.__h.resultsAsync(q, { limit: 10 })).hits.map((h) => h.id);",
    script: "papersift.js",
  },
  MiniSearch: {
    init: `const text = await (await fetch("index.json")).text();
      window.__h = Lib.default.loadJSON(text, ${JSON.stringify(minisearch.options)});
      window.__opts = ${JSON.stringify(Object.fromEntries(CLASS_NAMES.map((c) => [c, minisearch.searchOptions(c)])))};`,
    search: "return window.__h.search(q, window.__opts[cls]).slice(0, 10).map((r) => r.id);",
    script: "lib.js",
  },
  Pagefind: {
    init: `window.__h = await import(new URL("pagefind/pagefind.js", location.href).href); await window.__h.init();`,
    // Its ten results' fragments are what a results list shows (title and url).
    search: "const s = await window.__h.search(q); return (await Promise.all(s.results.slice(0, 10).map((r) => r.data()))).map((d) => d.url);",
    script: null,
  },
};

/** The bench page of `engine` in `mode` ("first": load and search `query`; "ready": load only). */
export function shardedPage(engine, mode, query, cls = "exact") {
  const e = shardedEngines[engine];
  const script = e.script ? `<script src="${e.script}"></script>` : "";
  const body = mode === "first"
    ? `const ids = await (async (q, cls) => { ${e.search} })(${JSON.stringify(query)}, ${JSON.stringify(cls)}); return ids.length;`
    : "return null;";
  return `<!doctype html><meta charset="utf-8"><title>${engine}</title>${script}<script>
    (async () => { ${e.init} ${body} })().then(
      (hits) => { window.__result = { at: performance.now(), epoch: performance.timeOrigin + performance.now(), hits }; },
      (e) => { window.__result = { error: String(e && e.stack || e) }; });
  </script>`;
}

/**
 * Cold latency: a fresh page at `url` (a "ready" page) per query, the first query it runs timed
 * alone. Resolves to the median per class over `queries` ({ cls: [q, ...] }), or { failed }.
 */
export async function coldInPage(browser, url, queries, search, { timeoutMs }) {
  const out = {};
  for (const [cls, qs] of Object.entries(queries)) {
    const times = [];
    for (const q of qs) {
      const page = await browser.newPage();
      try {
        await page.goto(url, { timeout: timeoutMs });
        await page.waitForFunction(() => window.__result !== undefined, null, { timeout: timeoutMs, polling: 20 });
        const ready = await page.evaluate(() => window.__result);
        if (ready.error) throw new Error(ready.error);
        times.push(await page.evaluate(async ({ q, cls, search }) => {
          const run = new Function("q", "cls", `return (async () => { ${search} })();`);
          const s = performance.now();
          await run(q, cls);
          return performance.now() - s;
        }, { q, cls, search }));
      } finally {
        await page.close();
      }
    }
    times.sort((a, b) => a - b);
    out[cls] = { ms: times[Math.floor((times.length - 1) / 2)], runs: times.length, all: times };
  }
  return out;
}
