#!/usr/bin/env node
// Where papersift's start-up goes in Chromium: loads SITE/papersift.js (from `papersift build`)
// in a page over a localhost server, with the DevTools CPU profiler on, and prints the time from
// script start to first result and the functions with the most self time.
//
//   node bench/profile-startup.mjs SITE_DIR [QUERY]
//
// Wasm functions show as wasm-function[N] because the shipped wasm has no name section; the JS
// side (base64 decode, glue) has names.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { serve, startupPage } from "./lib/browser.mjs";
import { launchChromium } from "../tests/browser/helpers.mjs";

const [site, query = "model"] = process.argv.slice(2);
if (!site) { console.error("usage: node bench/profile-startup.mjs SITE_DIR [QUERY]"); process.exit(2); }
writeFileSync(join(site, "bench.html"), startupPage("papersift", query));
const server = await serve(site);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  await page.goto(`${server.url}/bench.html`);
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 120000 });
  const result = await page.evaluate(() => window.__result);
  const { profile } = await cdp.send("Profiler.stop");
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`script start → first result: ${result.ms?.toFixed(1)} ms${result.error ? ` (error: ${result.error})` : ""}`);
  console.log(`profiled ${(total / 1000).toFixed(1)} ms of samples; top self time:`);
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${(us / 1000).toFixed(1).padStart(7)} ms  ${key}`);
} finally {
  await browser.close();
  await server.close();
}
