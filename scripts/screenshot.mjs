#!/usr/bin/env node
// Saves docs/screenshot.png: the demo (www/index.html, from file://) with a query showing
// results. Run after scripts/build.sh: `node scripts/screenshot.mjs [query] [out.png]`.
import { join } from "node:path";
import { repo, fileUrl, launchChromium } from "../tests/browser/helpers.mjs";

const query = process.argv[2] || "model merging";
const out = process.argv[3] || join(repo, "docs", "screenshot.png");
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 960, height: 720 });
  await page.goto(fileUrl(join(repo, "www", "index.html")) + "#q=" + encodeURIComponent(query));
  await page.waitForFunction(() => document.querySelector("papersift-search")?.shadowRoot.querySelector(".hit"));
  await page.locator("papersift-search input.query").focus();
  await page.keyboard.press("ArrowDown");
  await page.screenshot({ path: out });
  console.log(`screenshot: ${out}`);
} finally {
  await browser.close();
}
