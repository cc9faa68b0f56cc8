// Browser scenarios, each named by the sentence it proves. Real Chromium (Debian's), driven by
// playwright-core, over the built dist/ and www/ (scripts/build.sh) and sites written by
// `papersift build` (target/debug/papersift, or $PAPERSIFT_BIN).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { repo, fixture, fileUrl, tempDir, buildSite, launchChromium } from "./helpers.mjs";

const demo = fileUrl(join(repo, "www", "index.html"));
let browser;

before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

/** Types `query` into the page's <papersift-search> and waits for the results to settle. */
async function search(page, query) {
  const input = page.locator("papersift-search input.query");
  await input.fill(query);
  await page.waitForFunction(
    (q) => {
      const el = document.querySelector("papersift-search");
      return el && el.index && el.value === q && !/Loading/.test(el.shadowRoot.querySelector(".status").textContent);
    },
    query
  );
  return page.locator("papersift-search .hit");
}

async function open(url) {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector("papersift-search")?.index);
  return page;
}

const titles = (hits) => hits.locator(".title").allTextContents();
const marks = (hits) => hits.locator("mark").allTextContents();

test("the demo opened from file:// finds `model merging` and highlights it", async () => {
  const page = await open(demo);
  const hits = await search(page, "model merging");
  assert.ok((await hits.count()) > 0, "no hits");
  const first = (await titles(hits))[0];
  assert.match(first, /merging/i);
  const titleMarks = await hits.first().locator(".title mark").allTextContents();
  assert.ok(titleMarks.some((m) => /^merging$/i.test(m)), `title marks ${JSON.stringify(titleMarks)}`);
  assert.ok((await hits.first().locator(".snippet mark").count()) > 0, "no snippet highlight");
  assert.match(await page.locator("papersift-search .status").textContent(), /\d+ papers?/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a typo (`mergng`) still finds those papers", async () => {
  const page = await open(demo);
  const exact = await titles(await search(page, "merging"));
  const typo = await titles(await search(page, "mergng"));
  assert.ok(typo.length > 0, "no hits for the typo");
  assert.ok(typo.some((t) => exact.includes(t)), "the typo finds none of the papers `merging` finds");
  assert.ok((await marks(page.locator("papersift-search .hit"))).some((m) => /^merg/i.test(m)), "typo match not highlighted");
  await page.close();
});

test("the script tag embedded in a foreign page works, and the page's own styles survive", async () => {
  const dir = tempDir("foreign");
  const page_ = join(dir, "blog.html");
  writeFileSync(page_, `<!doctype html><html><head><meta charset="utf-8"><title>A blog</title>
<style>
  body { font-family: serif; color: rgb(10, 20, 30); background: rgb(250, 250, 240); }
  h1 { color: rgb(200, 0, 0); }
  input { border: 5px solid rgb(0, 255, 0); }
  mark { background: rgb(0, 0, 255); }
  li { display: none; }
  .hit, .title, .status { color: rgb(1, 2, 3) !important; display: none !important; }
</style></head><body>
<h1>My research blog</h1><p class="intro">Some text <mark>of my own</mark>.</p>
<input id="own" value="mine">
<papersift-search></papersift-search>
<script src="${fileUrl(join(repo, "dist", "papersift.js"))}"></script>
</body></html>`);
  const page = await open(fileUrl(page_));
  const hits = await search(page, "model merging");
  assert.ok((await hits.count()) > 0);
  assert.ok(await hits.first().isVisible(), "the host's .hit rule leaked into the widget");
  const style = (selector, property) => page.locator(selector).first().evaluate((el, p) => getComputedStyle(el)[p], property);
  assert.equal(await style("h1", "color"), "rgb(200, 0, 0)");
  assert.equal(await style("body", "color"), "rgb(10, 20, 30)");
  assert.equal(await style("#own", "borderTopWidth"), "5px");
  assert.equal(await style("p.intro mark", "backgroundColor"), "rgb(0, 0, 255)");
  assert.notEqual(await style("papersift-search input.query", "borderTopWidth"), "5px");
  assert.notEqual(await style("papersift-search .hit mark", "backgroundColor"), "rgb(0, 0, 255)");
  const globals = await page.evaluate(() => [typeof window.Papersift, typeof window.wasm_bindgen]);
  assert.deepEqual(globals, ["object", "undefined"], "only window.Papersift is global");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("keyboard navigation works: / focuses, arrows move, Esc clears, Enter opens", async () => {
  const page = await open(demo);
  await page.locator("h1").click();
  await page.keyboard.press("/");
  const focused = () => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className);
  assert.equal(await focused(), "query");
  await page.keyboard.type("merging");
  const hits = page.locator("papersift-search .hit");
  await hits.first().waitFor();
  const input = page.locator("papersift-search input.query");
  await page.keyboard.press("ArrowDown");
  assert.equal(await input.getAttribute("aria-activedescendant"), "hit-0");
  await page.keyboard.press("ArrowDown");
  assert.equal(await input.getAttribute("aria-activedescendant"), "hit-1");
  assert.equal(await hits.nth(1).getAttribute("aria-selected"), "true");
  await page.keyboard.press("ArrowUp");
  assert.equal(await input.getAttribute("aria-activedescendant"), "hit-0");

  await page.keyboard.press("Escape");
  assert.equal(await input.inputValue(), "");
  assert.equal(await hits.count(), 0);

  await page.keyboard.type("merging");
  await hits.first().waitFor();
  const linked = await hits.evaluateAll((items) => items.findIndex((li) => li.querySelector("a.title")));
  assert.ok(linked >= 0, "no hit with a link to open");
  const href = await hits.nth(linked).locator("a.title").getAttribute("href");
  for (let i = 0; i <= linked; i++) await page.keyboard.press("ArrowDown");
  await Promise.all([page.waitForURL(href), page.keyboard.press("Enter")]);
  await page.close();
});

test("the XSS record renders inertly", async () => {
  const site = buildSite(fixture("xss.jsonl"));
  const page = await open(fileUrl(join(site, "index.html")));
  let dialogs = 0;
  page.on("dialog", (dialog) => { dialogs++; dialog.dismiss(); });
  const hits = await search(page, "img");
  assert.equal(await hits.first().locator(".title").textContent(), "<img src=x onerror=alert(1)>");
  const injected = await page.locator("papersift-search").evaluate((el) => el.shadowRoot.querySelectorAll("img, script, b").length);
  assert.equal(injected, 0);
  assert.match(await hits.first().locator(".meta").textContent(), /<b>Mallory<\/b>/);
  await search(page, "script");
  assert.match(await page.locator("papersift-search .hit .snippet").first().textContent(), /<script>/);
  await page.waitForTimeout(200);
  assert.equal(dialogs, 0);
  await page.close();
});

test("record urls that are not http(s) never become links, and clicking them runs nothing", async () => {
  const site = buildSite(fixture("hostile_urls.jsonl"));
  const page = await open(fileUrl(join(site, "index.html")));
  let dialogs = 0;
  page.on("dialog", (dialog) => { dialogs++; dialog.dismiss(); });
  const hits = await search(page, "hostile link");
  assert.equal(await hits.count(), 6);
  const links = await hits.evaluateAll((items) =>
    Object.fromEntries(items.map((li) => {
      const title = li.querySelector(".title");
      return [title.textContent, title.tagName === "A" ? title.getAttribute("href") : null];
    }))
  );
  for (const inert of ["one: a javascript url", "two: an obfuscated javascript url", "three: a data url", "four: a vbscript url"]) {
    assert.equal(links[`Hostile link ${inert}`], null, `${inert} became a link`);
  }
  assert.equal(links["Hostile link five: an https url"], "https://example.org/paper?a=1&b=%3C2%3E");
  assert.match(links["Hostile link six: a relative url"], /^file:\/\/.*\/papers\/six\.pdf$/);
  assert.match(await hits.filter({ hasText: "five" }).locator(".meta").textContent(), /<i>Venue<\/i> & Co/);
  const here = () => page.url().split("#")[0];
  const before = here();
  for (const inert of ["one", "two", "three", "four"]) await hits.filter({ hasText: `link ${inert}:` }).locator(".title").click();
  // Enter on an unlinked hit dispatches papersift-open and navigates nowhere.
  const only = await search(page, '"a data url"');
  assert.equal(await only.count(), 1);
  const opened = page.evaluate(() => new Promise((resolve) => document.querySelector("papersift-search").addEventListener("papersift-open", (e) => resolve(e.detail.id), { once: true })));
  await page.locator("papersift-search input.query").focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  assert.equal(await opened, "data-url");
  await page.waitForTimeout(200);
  assert.equal(here(), before);
  assert.equal(dialogs, 0);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the #q= state is restored on reload", async () => {
  const page = await open(demo);
  await search(page, "model merging");
  assert.equal(new URL(page.url()).hash, "#q=model%20merging");
  const before = await titles(page.locator("papersift-search .hit"));
  await page.reload();
  await page.waitForFunction(() => document.querySelector("papersift-search")?.shadowRoot.querySelector(".hit"));
  assert.equal(await page.locator("papersift-search input.query").inputValue(), "model merging");
  assert.deepEqual(await titles(page.locator("papersift-search .hit")), before);
  await page.close();
});

test("a site built with `papersift build` from a small .bib fixture works from file://", async () => {
  const site = buildSite(fixture("papers.bib"));
  const page = await open(fileUrl(join(site, "index.html")));
  const hits = await search(page, "translaton");
  const found = await titles(hits);
  assert.ok(found.some((t) => /Machine translation/i.test(t)), JSON.stringify(found));
  assert.ok(await page.locator("papersift-search .filters").isVisible(), "year filter hidden for a corpus with years");
  await page.locator("papersift-search input.year-min").fill("2000");
  await page.waitForFunction(() => ![...document.querySelector("papersift-search").shadowRoot.querySelectorAll(".meta")].some((m) => /1984/.test(m.textContent)));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("an empty query shows a hint, no hits says so, and a misspelling offers a correction", async () => {
  const page = await open(demo);
  const status = page.locator("papersift-search .status");
  assert.match(await status.textContent(), /Type to search \d+ papers/);
  await search(page, "zzqxjw");
  assert.match(await status.textContent(), /No papers match “zzqxjw”/);
  await search(page, "modle mergng");
  const suggested = page.locator("papersift-search .suggested");
  assert.ok(await suggested.isVisible(), "no did-you-mean for a misspelt query");
  const correction = await suggested.textContent();
  assert.match(correction, /model/);
  await suggested.click();
  assert.equal(await page.locator("papersift-search input.query").inputValue(), correction);
  await page.close();
});

test("the demo also works over http", async () => {
  const server = spawn(process.execPath, [join(repo, "scripts", "serve.mjs"), join(repo, "www"), "0"], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const [line] = await once(server.stdout, "data");
    const url = String(line).match(/http:\/\/\S+/)[0];
    const page = await open(url + "#q=mergng");
    await page.waitForFunction(() => document.querySelector("papersift-search").shadowRoot.querySelector(".hit"));
    assert.match(await page.locator("papersift-search .hit .title").first().textContent(), /merging/i);
    assert.deepEqual(page.errors, []);
    await page.close();
  } finally {
    server.kill();
  }
});
