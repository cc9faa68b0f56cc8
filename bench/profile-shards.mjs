#!/usr/bin/env node
// Where a sharded site's first result goes in Chromium: opens SITE/index.html#q=QUERY over a
// localhost server with the DevTools CPU profiler on, stops at the element's first
// `papersift-results`, and sums the profile's self time by what ran: the engine's wasm, the
// page's JS (papersift.js), the browser's own work (GC, parsing and compiling, "(program)"), and
// idle (waiting on the network). Then, on the same page, the same query again (every piece
// loaded) through `resultsAsync`, timed.
//
//   node bench/profile-shards.mjs SITE_DIR ["model merging"] [runs=3]
import { join } from "node:path";
import { serve } from "./lib/browser.mjs";
import { launchChromium } from "../tests/browser/helpers.mjs";

const [site, query = "model merging", runsArg = "3"] = process.argv.slice(2);
if (!site) { console.error("usage: node bench/profile-shards.mjs SITE_DIR [QUERY] [runs]"); process.exit(2); }
const server = await serve(site);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function kindOf(frame) {
  if (frame.url.startsWith("wasm://") || /^\$?wasm-function|^\$/.test(frame.functionName)) return "engine (wasm)";
  if (frame.url.endsWith("papersift.js")) return "papersift.js";
  if (frame.functionName === "(idle)") return "idle";
  if (frame.url === "") return "browser (GC, compile, program)";
  return "other";
}

console.log(`site ${site}, query ${JSON.stringify(query)}`);
const rows = [];
for (let run = 0; run < Number(runsArg); run++) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      document.addEventListener("papersift-results", () => {
        if (window.firstResultAt === undefined) window.firstResultAt = performance.now();
      }, true);
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    await cdp.send("Profiler.start");
    await page.goto(`${server.url}/index.html#q=${encodeURIComponent(query)}`);
    await page.waitForFunction(() => window.firstResultAt !== undefined, null, { timeout: 120000, polling: 10 });
    const { profile } = await cdp.send("Profiler.stop");
    const firstResult = await page.evaluate(() => window.firstResultAt);
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = {};
    profile.samples.forEach((id, i) => {
      const kind = kindOf(byId.get(id).callFrame);
      self[kind] = (self[kind] ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000;
    });
    // Warm: the same query, its pieces loaded, through the element's handle.
    const warm = await page.evaluate(async (q) => {
      const handle = document.querySelector("papersift-search")._index;
      const times = [];
      for (let i = 0; i < 20; i++) {
        const start = performance.now();
        await handle.resultsAsync(q, { limit: 8 });
        times.push(performance.now() - start);
      }
      return times.sort((a, b) => a - b)[10];
    }, query);
    rows.push({ firstResult, warm, ...self });
  } finally {
    await browser.close();
  }
}
await server.close();
const kinds = ["engine (wasm)", "papersift.js", "browser (GC, compile, program)", "idle", "other"];
console.log(`| run | navigation → first result | ${kinds.join(" | ")} | warm resultsAsync (median of 20) |`);
console.log(`|---|---:|${kinds.map(() => "---:").join("|")}|---:|`);
for (const [i, row] of rows.entries()) {
  console.log(`| ${i + 1} | ${row.firstResult.toFixed(0)} ms | ${kinds.map((k) => `${(row[k] ?? 0).toFixed(0)} ms`).join(" | ")} | ${row.warm.toFixed(2)} ms |`);
}
console.log(`| median | ${median(rows.map((r) => r.firstResult)).toFixed(0)} ms | ${kinds.map((k) => `${median(rows.map((r) => r[k] ?? 0)).toFixed(0)} ms`).join(" | ")} | ${median(rows.map((r) => r.warm)).toFixed(2)} ms |`);
