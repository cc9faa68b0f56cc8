// "Open your own file": a visitor's records file indexed and searched inside the page, offline,
// on the demo and on sites written by `papersift build`; facet filters; copying a citation.
// Real Chromium over the built dist/ and www/ (scripts/build.sh), as in widget.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { repo, fixture, fileUrl, tempDir, buildSite, launchChromium } from "./helpers.mjs";

const demo = fileUrl(join(repo, "www", "index.html"));
let browser;

before(async () => { browser = await launchChromium(); });
after(async () => { await browser?.close(); });

async function open(url) {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector("papersift-search")?.index);
  return page;
}

const shadowText = (page, selector) => page.evaluate((s) => document.querySelector("papersift-search").shadowRoot.querySelector(s)?.textContent ?? null, selector);

/** Opens `path` through the element's file input, as the file picker does, and waits for the outcome line. */
async function openFile(page, path) {
  const before = await shadowText(page, ".source-text");
  await page.locator("papersift-search input.file").setInputFiles(path);
  await page.waitForFunction((previous) => {
    const text = document.querySelector("papersift-search").shadowRoot.querySelector(".source-text").textContent;
    return text !== previous && !/^Indexing /.test(text);
  }, before);
  return shadowText(page, ".source-text");
}

/** Types `query` and waits until the element has rendered its results. */
async function search(page, query) {
  await page.locator("papersift-search input.query").fill(query);
  await page.waitForFunction((q) => {
    const el = document.querySelector("papersift-search");
    return el.value === q && /paper|No papers/.test(el.shadowRoot.querySelector(".status").textContent);
  }, query);
  return page.locator("papersift-search .hit .title").allTextContents();
}

test("the demo from file:// loads no builder until a file is opened, then searches a .bib file at once, and goes back", async () => {
  const page = await open(demo);
  const builtIn = await search(page, "model merging");
  assert.ok(builtIn.length > 0);
  const builderLoaded = () => page.evaluate(() => [
    typeof window.PapersiftBuilder,
    document.querySelectorAll('script[src$="/papersift-builder.js"]').length,
  ]);
  assert.deepEqual(await builderLoaded(), ["undefined", 0], "the builder loaded before anyone opened a file");
  assert.ok(await page.locator("papersift-search .open-file").isVisible(), "no Open your own file button");

  assert.equal(await openFile(page, fixture("papers.bib")), "4 papers from papers.bib, 0 skipped.");
  assert.deepEqual(await builderLoaded(), ["object", 1]);
  const found = await search(page, "translaton designers");
  assert.equal(found[0], "Machine translation from designers to users: management problems and solutions");
  assert.ok(await page.locator("papersift-search .file-errors").isHidden(), "an error list for a clean file");
  const fromFile = await search(page, "model merging");
  assert.ok(!fromFile.some((title) => builtIn.includes(title)), "the built-in papers are still searched");

  await page.locator("papersift-search button.back").click();
  await page.waitForFunction(() => document.querySelector("papersift-search").shadowRoot.querySelector(".source").hidden);
  assert.deepEqual(await search(page, "model merging"), builtIn);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a file dropped onto the element is indexed and searched too", async () => {
  const page = await open(demo);
  await page.evaluate(() => {
    const el = document.querySelector("papersift-search");
    const data = new DataTransfer();
    const jsonl = '{"id":"z1","title":"Zebrafish fin regeneration atlas","authors":["Ada Lovelace"],"year":2021}\n';
    data.items.add(new File([jsonl], "mine.jsonl", { type: "application/jsonl" }));
    el.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }));
    el.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => /from mine\.jsonl/.test(document.querySelector("papersift-search").shadowRoot.querySelector(".source-text").textContent));
  assert.equal(await shadowText(page, ".source-text"), "1 paper from mine.jsonl, 0 skipped.");
  assert.deepEqual(await search(page, "zebrafsh"), ["Zebrafish fin regeneration atlas"]);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a broken file shows each bad record's line, field and reason as text, and how many were skipped", async () => {
  const page = await open(demo);
  assert.equal(await openFile(page, fixture("bad", "unclosed.bib")), "2 papers from unclosed.bib, 1 skipped.");
  assert.deepEqual(await page.locator("papersift-search .file-errors li").allTextContents(), [
    "unclosed.bib:6: entry is never closed; add the missing `}` (or remove an extra `{`)",
  ]);
  assert.ok((await search(page, "deep belief")).includes("A Fast Learning Algorithm for Deep Belief Nets"));

  // Nothing readable: the page says so, lists why, and keeps searching what it searched before.
  const dir = tempDir("hostile-file");
  const hostile = join(dir, "hostile.bib");
  writeFileSync(hostile, '@article{x,\n  title = {A},\n  year = {<img src=x onerror="window.pwned=1">}\n}\n');
  assert.equal(await openFile(page, hostile), "No papers could be read from hostile.bib, 1 skipped.");
  const [message] = await page.locator("papersift-search .file-errors li").allTextContents();
  assert.match(message, /^hostile\.bib:1: year: "<img src=x onerror=\\?"window\.pwned=1\\?">" is not a year/);
  assert.equal(await page.evaluate(() => document.querySelector("papersift-search").shadowRoot.querySelectorAll(".file-errors img").length), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.ok((await search(page, "deep belief")).includes("A Fast Learning Algorithm for Deep Belief Nets"), "the last good file is still searched");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("Copy citation puts the paper's BibTeX entry on the clipboard and says so", async () => {
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await open(demo);
  await openFile(page, fixture("papers.bib"));
  await search(page, "learning translations monolingual");
  const cite = page.locator("papersift-search .hit").first().locator("button.cite");
  await cite.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("papersift-search").shadowRoot.querySelector(".hit .cite").textContent === "Copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, /^@article\{suzuki2005learning,\n/);
  assert.match(copied, /\n {2}author = \{Hirokazu Suzuki and Akira Kumano\},\n/);
  assert.match(copied, /\n {2}title = \{Learning Translations from Monolingual Corpora\},\n/);
  assert.match(copied, /\n {2}journal = \{Proceedings of Machine Translation Summit X\},\n/);
  assert.match(await shadowText(page, ".announce"), /Copied the citation of Learning Translations from Monolingual Corpora/);
  assert.equal(await page.evaluate(() => location.href.split("#")[0]), demo, "copying opened the paper");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("without any clipboard, the citation is shown selected for the visitor to copy", async () => {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    Object.defineProperty(navigator, "clipboard", { value: undefined });
    document.execCommand = () => false;
  });
  await page.goto(demo);
  await page.waitForFunction(() => document.querySelector("papersift-search")?.index);
  await openFile(page, fixture("papers.bib"));
  await search(page, "learning translations monolingual");
  await page.locator("papersift-search .hit").first().locator("button.cite").click();
  const area = page.locator("papersift-search .hit textarea.citation");
  await area.waitFor();
  assert.match(await area.inputValue(), /^@article\{suzuki2005learning,\n/);
  const selected = await page.evaluate(() => {
    const el = document.querySelector("papersift-search").shadowRoot.querySelector("textarea.citation");
    return el.selectionEnd - el.selectionStart === el.value.length;
  });
  assert.ok(selected, "the entry is not selected");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("venue facet buttons show counts, are reachable by keyboard, and filter the hits", async () => {
  const page = await open(demo);
  await openFile(page, fixture("papers.bib"));
  const titles = await search(page, "translation");
  assert.equal(titles.length, 2);
  const venue = page.locator("papersift-search button.facet-value.venue", { hasText: "Proceedings of Machine Translation Summit X" });
  assert.equal(await venue.locator(".count").textContent(), "1");
  assert.equal(await venue.getAttribute("aria-pressed"), "false");
  await venue.focus();
  await page.keyboard.press("Space");
  await page.waitForFunction(() => document.querySelector("papersift-search").shadowRoot.querySelectorAll(".hit").length === 1);
  assert.equal(await venue.getAttribute("aria-pressed"), "true");
  assert.deepEqual(await page.locator("papersift-search .hit .title").allTextContents(), ["Learning Translations from Monolingual Corpora"]);
  await page.keyboard.press("Space");
  await page.waitForFunction(() => document.querySelector("papersift-search").shadowRoot.querySelectorAll(".hit").length === 2);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a site written by `papersift build` carries the builder and opens a visitor's file from file://", async () => {
  const site = buildSite(fixture("papers.jsonl"));
  assert.ok(existsSync(join(site, "papersift-builder.js")), "papersift build wrote no papersift-builder.js");
  const page = await open(fileUrl(join(site, "index.html")));
  assert.match(await openFile(page, fixture("latex_accents.bib")), /^\d+ papers? from latex_accents\.bib, 0 skipped\.$/);
  assert.ok((await search(page, "schrodinger")).length > 0, "the opened file is not searched");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("every format people export opens: RIS, CSL-JSON, Zotero CSV, arXiv Atom, JSON Lines; a bad RIS record names its line", async () => {
  const page = await open(demo);
  for (const name of ["papers.ris", "papers.csl.json", "zotero.csv", "arxiv.xml", "papers.jsonl"]) {
    const line = await openFile(page, fixture(name));
    assert.match(line, new RegExp(`^\\d+ papers? from ${name.replace(/\./g, "\\.")}, 0 skipped\\.$`), line);
  }
  assert.equal(await openFile(page, fixture("bad", "bad_year.ris")), "2 papers from bad_year.ris, 1 skipped.");
  const [message] = await page.locator("papersift-search .file-errors li").allTextContents();
  assert.match(message, /^bad_year\.ris:9: PY: "in press" is not a year/);
  assert.equal((await search(page, "another good record"))[0], "Another good record");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("under a strict <meta> CSP with Trusted Types on a file:// page, the builder loads through the papersift policy and a file opens with no violation", async () => {
  const dir = tempDir("strict-open");
  for (const name of ["papersift.js", "papersift-builder.js"]) copyFileSync(join(repo, "dist", name), join(dir, name));
  const csp = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; require-trusted-types-for 'script'; trusted-types papersift";
  writeFileSync(join(dir, "index.html"), `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}"><title>strict</title><script src="papersift.js"></script></head>
<body><papersift-search open-file></papersift-search></body></html>`);
  const page = await browser.newPage();
  await page.addInitScript(() => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(fileUrl(join(dir, "index.html")));
  await page.waitForFunction(() => document.querySelector("papersift-search")?.index);
  const enforced = await page.evaluate(() => { try { document.createElement("script").src = "x.js"; return false; } catch { return true; } });
  assert.equal(enforced, true, "the page does not enforce Trusted Types, so this proves nothing");
  assert.equal(await openFile(page, fixture("papers.bib")), "4 papers from papers.bib, 0 skipped.");
  assert.equal((await search(page, "translaton designers"))[0], "Machine translation from designers to users: management problems and solutions");
  const seen = await page.evaluate(() => window.violations);
  // The one violation is the plain string assigned above on purpose.
  assert.ok(seen.length === 1 && /^require-trusted-types-for /.test(seen[0]), JSON.stringify(seen));
  assert.deepEqual(page.errors.filter((error) => !/TrustedScriptURL|Trusted Type/.test(error.message)), []);
  await page.close();
});

test("a page whose papersift-builder.js is missing says how to get it, and keeps searching its own papers", async () => {
  const dir = tempDir("no-builder");
  copyFileSync(join(repo, "dist", "papersift.js"), join(dir, "papersift.js"));
  writeFileSync(join(dir, "index.html"), '<!doctype html><meta charset="utf-8"><title>t</title><script src="papersift.js"></script><papersift-search open-file></papersift-search>');
  const page = await open(fileUrl(join(dir, "index.html")));
  page.errors = []; // the browser logs the missing file; the element's message is what is tested
  const line = await openFile(page, fixture("papers.bib"));
  assert.match(line, /^papersift: cannot load the builder script file:\/\/.*\/papersift-builder\.js; put papersift-builder\.js beside papersift\.js/);
  assert.ok((await search(page, "model merging")).length > 0, "the built-in papers are no longer searched");
  await page.close();
});

test("author facet buttons list the results' most frequent authors with counts, and pressing one by keyboard filters the hits", async () => {
  const page = await open(demo);
  await openFile(page, fixture("papers.bib"));
  assert.equal((await search(page, "salient vision safe")).length, 2);
  const author = page.locator("papersift-search button.facet-value.author", { hasText: "Yu Qiu" });
  assert.equal(await author.locator(".count").textContent(), "1");
  assert.ok(await page.locator("papersift-search button.facet-value.author", { hasText: "Xingqian Xu" }).count(), "an author of the other hit is missing");
  await author.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("papersift-search").shadowRoot.querySelectorAll(".hit").length === 1);
  assert.equal(await author.getAttribute("aria-pressed"), "true");
  assert.deepEqual(await page.locator("papersift-search .hit .title").allTextContents(), ["Salient Object Detection in Traffic Scene through the TSOD10K Dataset"]);
  assert.equal(await page.locator("papersift-search button.facet-value.author", { hasText: "Xingqian Xu" }).count(), 0, "the filtered results' authors only");
  assert.equal(await page.evaluate(() => document.querySelector("papersift-search").shadowRoot.activeElement?.dataset.value), "Yu Qiu", "focus left the pressed button");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("papersift-search").shadowRoot.querySelectorAll(".hit").length === 2);
  assert.deepEqual(page.errors, []);
  await page.close();
});
