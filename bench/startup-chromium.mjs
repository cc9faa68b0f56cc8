#!/usr/bin/env node
// Start-up in Chromium of one or more sites from `papersift build`, compared in one run: fresh
// pages over localhost, alternating between the sites, timed from an inline script before
// papersift.js to the first result (the page of bench/lib/browser.mjs, without a profiler).
//
//   node bench/startup-chromium.mjs [--runs N] SITE...     (default 9 pages per site)
//
// To compare two engine scripts, build the same records twice with PAPERSIFT_ENGINE pointing at
// each `papersift-engine.js`.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { serve, startupPage, startup, chromium } from "./lib/browser.mjs";

const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 9;
if (args.length === 0) {
  console.error("usage: node bench/startup-chromium.mjs [--runs N] SITE...");
  process.exit(2);
}
const { browser } = await chromium();
const sites = [];
try {
  for (const dir of args) {
    writeFileSync(join(dir, "bench.html"), startupPage("papersift", "model"));
    const server = await serve(dir);
    sites.push({ dir, server, url: `${server.url}/bench.html`, times: [] });
  }
  for (let r = 0; r < runs; r++) {
    for (const site of sites) {
      const result = await startup(browser, site.url, 1, 60000);
      if (result.failed) throw new Error(`bench: ${site.dir}: ${result.failed}`);
      site.times.push(result.ms);
    }
  }
  for (const site of sites) {
    const t = [...site.times].sort((a, b) => a - b);
    const at = (q) => t[Math.round(q * (t.length - 1))].toFixed(1);
    console.log(`${site.dir}: median ${at(0.5)} ms (quartiles ${at(0.25)}–${at(0.75)}) over ${t.length} pages`);
  }
} finally {
  await browser.close();
  for (const site of sites) await site.server.close();
}
