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
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { launchChromium } from "../tests/browser/helpers.mjs";
import { serve, fileUrlPath, openToFirstResult, bytesOf } from "./lib/browser.mjs";

const [siteArg, query = "model merging", runsArg = "3"] = process.argv.slice(2);
if (!siteArg) {
  console.error("usage: node bench/shards-first-result.mjs SITE_DIR [query] [runs]");
  process.exit(2);
}
const site = resolve(siteArg);
const runs = Number(runsArg);
const timeoutMs = 120000;

/** One load in a fresh browser: navigate to `url#q=query`, the first result, then the filters. */
async function firstResult(pageUrl, localPath) {
  const browser = await launchChromium();
  try {
    const { page, first, requested } = await openToFirstResult(browser, `${pageUrl}#q=${encodeURIComponent(query)}`, { localPath, timeoutMs });
    const shown = await page.evaluate(() => document.querySelector("papersift-search").shadowRoot.querySelectorAll(".hit").length);
    if (shown === 0) throw new Error(`no hit shown for ${query}`);
    const pieces = first.urls.filter((url) => url.includes("/papersift/")).length;
    // The facets the element loads after its first answer are not part of the first result.
    const bytesSoFar = () => bytesOf(requested(), localPath).bytes;
    await page.waitForFunction(() => window.__papersiftReady, null, { timeout: timeoutMs });
    const filters = bytesSoFar();
    await page.evaluate(() => document.querySelector("papersift-search").shadowRoot.querySelector(".show-authors")?.click());
    await page.waitForFunction(() => document.querySelector("papersift-search").shadowRoot.querySelector(".facet-value.author"), null, { timeout: timeoutMs });
    const authors = bytesSoFar();
    if (page.errors.length) throw page.errors[0];
    await page.close();
    return { ms: first.ms, requests: first.requests, pieces, bytes: first.bytes, gzipped: first.gzipped, filters, authors };
  } finally {
    await browser.close();
  }
}

const server = await serve(site);
const rows = [];
try {
  for (const [mode, url, localPath] of [
    ["http", `${server.url}/index.html`, server.localPath],
    ["file://", pathToFileURL(join(site, "index.html")).href, fileUrlPath],
  ]) {
    for (let run = 0; run < runs; run++) {
      rows.push({ mode, run: run + 1, ...(await firstResult(url, localPath)) });
    }
  }
} finally {
  await server.close();
}

console.log(`site ${site}, query ${JSON.stringify(query)}, ${runs} fresh loads each`);
console.log("mode     run  navigation → first result   requests  (pieces)        bytes   if gzipped  with filters  with author filters");
for (const r of rows) {
  console.log(`${r.mode.padEnd(8)} ${String(r.run).padStart(3)}  ${r.ms.toFixed(0).padStart(16)} ms   ${String(r.requests).padStart(8)}  (${String(r.pieces).padStart(4)})  ${r.bytes.toLocaleString("en").padStart(12)}  ${r.gzipped.toLocaleString("en").padStart(11)}  ${r.filters.toLocaleString("en").padStart(12)}  ${r.authors.toLocaleString("en").padStart(19)}`);
}
