#!/usr/bin/env node
// The first result of a site built by `papersift build`, in headless Chromium, over http and from
// file://: bytes and requests until the element renders its first hit for a query, and the time
// from navigation to that render. Each load has a fresh browser profile (nothing cached).
//
//   node bench/shards-first-result.mjs SITE_DIR ["model merging"] [runs=3]
//
// The query goes in the page's `#q=` (the element reads it when it connects), so the load is
// exactly what a visitor following a link to a search gets. The first result is the element's
// first `papersift-results` event (fired right after it renders the hits); its time is on the
// page's clock from navigation start. Bytes are the files' sizes on disk (the server sends them
// unchanged, no compression) of every request the page made until then: the page, the script,
// each piece fetch or piece script. Then, on the same page, the bytes loaded in all once the
// element's filters are ready (`papersift-ready`: years and venues, from the facets piece) and
// once the visitor has asked for author filters (its "Filter by author" button, on a sharded
// site: every authors piece).
import { createServer } from "node:http";
import { createReadStream, statSync, existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, normalize, extname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launchChromium } from "../tests/browser/helpers.mjs";

const [siteArg, query = "model merging", runsArg = "3"] = process.argv.slice(2);
if (!siteArg) {
  console.error("usage: node bench/shards-first-result.mjs SITE_DIR [query] [runs]");
  process.exit(2);
}
const site = resolve(siteArg);
const runs = Number(runsArg);
const types = { ".js": "text/javascript", ".html": "text/html", ".bin": "application/octet-stream" };

/** A static server over the site. */
function serve(root) {
  const server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url, "http://x").pathname)));
    const file = path.endsWith("/") ? join(path, "index.html") : path;
    if (!path.startsWith(root) || !existsSync(file)) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    createReadStream(file).pipe(res);
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done({
    url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close(),
  })));
}

/** One load: navigate to `url#q=query`, wait for the element's first `papersift-results`. */
async function firstResult(pageUrl, localPath) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    // The element announces an answer right after rendering it; a capturing listener on the
    // document hears it (the event does not bubble) and notes when, on the page's clock.
    await page.addInitScript(() => {
      document.addEventListener("papersift-results", () => {
        if (window.firstResultAt === undefined) window.firstResultAt = { ms: performance.now(), epoch: performance.timeOrigin + performance.now() };
      }, true);
      document.addEventListener("papersift-ready", () => { window.filtersReady = true; }, true);
    });
    const requests = [];
    page.on("request", (request) => requests.push({ url: request.url().split("#")[0], at: Date.now() }));
    await page.goto(`${pageUrl}#q=${encodeURIComponent(query)}`, { waitUntil: "commit" });
    const first = await (await page.waitForFunction(() => window.firstResultAt, null, { timeout: 120000 })).jsonValue();
    const shown = await page.evaluate(() => document.querySelector("papersift-search").shadowRoot.querySelectorAll(".hit").length);
    if (shown === 0) throw new Error(`no hit shown for ${query}`);
    // Requests the page made up to the first result; the facets the element loads after it
    // are not part of the first result.
    const before = requests.filter((request) => request.at <= first.epoch);
    const files = before.map((request) => localPath(request.url));
    const present = files.filter((file) => existsSync(file));
    const bytes = present.reduce((sum, file) => sum + statSync(file).size, 0);
    // What a static host that gzips its files would send instead.
    const gzipped = present.reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0);
    const pieces = before.filter((request) => request.url.includes("/papersift/")).length;
    const bytesSoFar = () => requests.map((request) => localPath(request.url)).filter((file) => existsSync(file)).reduce((sum, file) => sum + statSync(file).size, 0);
    await page.waitForFunction(() => window.filtersReady, null, { timeout: 120000 });
    const filters = bytesSoFar();
    await page.evaluate(() => document.querySelector("papersift-search").shadowRoot.querySelector(".show-authors")?.click());
    await page.waitForFunction(() => document.querySelector("papersift-search").shadowRoot.querySelector(".facet-value.author"), null, { timeout: 120000 });
    const authors = bytesSoFar();
    if (page.errors.length) throw page.errors[0];
    return { ms: first.ms, requests: files.length, pieces, bytes, gzipped, filters, authors };
  } finally {
    await browser.close();
  }
}

const server = await serve(site);
const fromHttp = (url) => join(site, decodeURIComponent(new URL(url).pathname));
const fromFile = (url) => fileURLToPath(url.split("#")[0]);
const rows = [];
try {
  for (const [mode, url, localPath] of [
    ["http", server.url + "index.html", fromHttp],
    ["file://", pathToFileURL(join(site, "index.html")).href, fromFile],
  ]) {
    for (let run = 0; run < runs; run++) {
      rows.push({ mode, run: run + 1, ...(await firstResult(url, localPath)) });
    }
  }
} finally {
  server.close();
}

console.log(`site ${site}, query ${JSON.stringify(query)}, ${runs} fresh loads each`);
console.log("mode     run  navigation → first result   requests  (pieces)        bytes   if gzipped  with filters  with author filters");
for (const r of rows) {
  console.log(`${r.mode.padEnd(8)} ${String(r.run).padStart(3)}  ${r.ms.toFixed(0).padStart(16)} ms   ${String(r.requests).padStart(8)}  (${String(r.pieces).padStart(4)})  ${r.bytes.toLocaleString("en").padStart(12)}  ${r.gzipped.toLocaleString("en").padStart(11)}  ${r.filters.toLocaleString("en").padStart(12)}  ${r.authors.toLocaleString("en").padStart(19)}`);
}
