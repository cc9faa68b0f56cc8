// Browser scenarios for hostile and strict pages, each named by the sentence it proves: strict
// CSPs (as a header over http and as a <meta> from file://), Trusted Types, several elements on
// one page, an element inside another shadow root, page-wide style resets, and records whose
// every field is markup. Real Chromium (Debian's), driven by playwright-core, over dist/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { repo, fixture, fileUrl, tempDir, buildSite, launchChromium } from "./helpers.mjs";

const STRICT = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const TRUSTED_TYPES = "require-trusted-types-for 'script'; trusted-types papersift";
const script = readFileSync(join(repo, "dist", "papersift.js"));
// The element's own colours (js/styles.css) in the light scheme headless Chromium uses.
const OWN = { fg: "rgb(27, 31, 36)", bg: "rgb(255, 255, 255)", markBg: "rgb(255, 240, 166)" };

/** js/trusted.js as a classic script that sets window.papersiftTrusted, for the scenarios to call. */
async function trustedScript() {
  const result = await build({
    entryPoints: [join(repo, "js", "trusted.js")], bundle: true, write: false, format: "iife", globalName: "papersiftTrusted", logLevel: "warning",
  });
  return result.outputFiles[0].text;
}

let browser, server, origin, trusted;
/** What the server answers, by path: { body, type, csp }. */
const routes = new Map();

before(async () => {
  trusted = await trustedScript();
  routes.set("/papersift.js", { body: script, type: "text/javascript" });
  routes.set("/trusted.js", { body: trusted, type: "text/javascript" });
  routes.set("/loaded.js", { body: "window.loadedByPolicy = true;", type: "text/javascript" });
  server = createServer((request, response) => {
    const route = routes.get(new URL(request.url, "http://127.0.0.1").pathname);
    if (!route) { response.writeHead(404).end(); return; }
    const headers = { "content-type": route.type || "text/html; charset=utf-8" };
    if (route.csp) headers["content-security-policy"] = route.csp;
    response.writeHead(200, headers).end(route.body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
  // Every <papersift-search> in a page, in document and shadow-root order; an init script, so
  // it exists under any CSP.
  await browser.context.addInitScript(() => {
    window.papersiftElements = () => {
      const found = [];
      const walk = (root) => root.querySelectorAll("*").forEach((el) => {
        if (el.localName === "papersift-search") found.push(el);
        else if (el.shadowRoot) walk(el.shadowRoot);
      });
      walk(document);
      return found;
    };
  });
});
after(async () => {
  await browser?.close();
  server?.close();
});

/** A page that records CSP violations (window.violations) and dialogs (page.dialogs). */
async function newPage() {
  const page = await browser.newPage();
  page.dialogs = [];
  page.on("dialog", (dialog) => { page.dialogs.push(dialog.message()); dialog.dismiss(); });
  await page.addInitScript(() => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  return page;
}

/** Opens `url` and waits until every <papersift-search> on it, in shadow roots too, has its index. */
async function open(url, count = 1) {
  const page = await newPage();
  await page.goto(url);
  await page.waitForFunction((n) => window.papersiftElements().filter((el) => el.index).length === n, count, { polling: 50 }).catch(async (error) => {
    throw new Error(`${error.message}\nstatus: ${await page.evaluate(() => window.papersiftElements().map((el) => el.shadowRoot?.querySelector(".status")?.textContent))}\nerrors: ${page.errors}`);
  });
  return page;
}

/** Types `query` into element number `nth` and waits for its results. */
async function search(page, query, nth = 0) {
  const element = page.locator("papersift-search").nth(nth);
  await element.locator("input.query").fill(query);
  await page.waitForFunction(([q, n]) => {
    const el = window.papersiftElements()[n];
    return el.value === q && el.shadowRoot.querySelector(".hit");
  }, [query, nth]);
  return element.locator(".hit");
}

const violations = (page) => page.evaluate(() => window.violations);

/** An html page served over http with `csp` as its header. */
function served(path, csp, body) {
  routes.set(path, { body, csp });
  return origin + path;
}

const plainPage = (head = "") => `<!doctype html><html><head><meta charset="utf-8">${head}<title>strict</title>
<script src="papersift.js"></script></head><body><h1>Strict page</h1><papersift-search></papersift-search></body></html>`;

/** Asserts the element is styled by its own sheet: padded input, its own mark colour. */
async function assertOwnStyles(page) {
  const hits = await search(page, "model merging");
  assert.ok((await hits.count()) > 0, "no hits");
  const styled = await page.locator("papersift-search").evaluate((el) => ({
    padding: getComputedStyle(el.shadowRoot.querySelector(".query")).paddingLeft,
    mark: getComputedStyle(el.shadowRoot.querySelector(".hit mark")).backgroundColor,
    styleElements: el.shadowRoot.querySelectorAll("style").length,
    adopted: el.shadowRoot.adoptedStyleSheets.length,
  }));
  assert.notEqual(styled.padding, "0px", "the element's stylesheet did not apply");
  assert.equal(styled.mark, OWN.markBg);
  assert.deepEqual([styled.styleElements, styled.adopted], [0, 1], "styles come from one adopted sheet, not a <style>");
}

test("under `script-src 'self' 'wasm-unsafe-eval'; style-src 'self'` sent over http, the element searches and styles itself with no violation", async () => {
  const page = await open(served("/strict.html", STRICT, plainPage()));
  await assertOwnStyles(page);
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.dialogs, []);
  await page.close();
});

test("under Trusted Types (`require-trusted-types-for 'script'`) the element builds its DOM, and scripts load only through the papersift policy", async () => {
  const csp = `${STRICT}; ${TRUSTED_TYPES}`;
  const url = served("/trusted-types.html", csp, plainPage('<script src="trusted.js"></script>'));
  const page = await open(url);
  await assertOwnStyles(page);
  const loaded = await page.evaluate(async () => {
    const plain = document.createElement("script");
    let refused = null;
    try { plain.src = "loaded.js"; } catch (error) { refused = error.name; }
    const viaPolicy = document.createElement("script");
    const url = window.papersiftTrusted.scriptURL("loaded.js");
    viaPolicy.src = url;
    await new Promise((resolve, reject) => { viaPolicy.onload = resolve; viaPolicy.onerror = reject; document.head.append(viaPolicy); });
    let hostile = null;
    try { window.papersiftTrusted.scriptURL("javascript:alert(1)"); } catch (error) { hostile = error.message; }
    return { refused, trusted: url instanceof TrustedScriptURL, loaded: window.loadedByPolicy === true, hostile };
  });
  assert.equal(loaded.refused, "TypeError", "the page does not enforce Trusted Types, so this proves nothing");
  assert.equal(loaded.trusted, true, "scriptURL did not return a TrustedScriptURL");
  assert.equal(loaded.loaded, true, "the script given a policy URL did not run");
  assert.match(loaded.hostile, /^papersift: refusing to load a script from a javascript: URL/);
  // The one violation is the plain string this scenario assigned on purpose.
  const seen = await violations(page);
  assert.equal(seen.length, 1, JSON.stringify(seen));
  assert.match(seen[0], /^require-trusted-types-for /);
  assert.deepEqual(page.dialogs, []);
  await page.close();
});

test("the element needs no Trusted Types policy: under `trusted-types 'none'` it works with no violation", async () => {
  const page = await open(served("/no-policies.html", `${STRICT}; require-trusted-types-for 'script'; trusted-types 'none'`, plainPage()));
  await assertOwnStyles(page);
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("without Trusted Types, scriptURL returns a checked string", async () => {
  const page = await open(served("/no-trusted-types.html", "", plainPage('<script src="trusted.js"></script>')));
  const result = await page.evaluate(() => {
    Object.defineProperty(window, "trustedTypes", { value: undefined }); // as in a browser without them
    return typeof window.trustedTypes === "undefined" ? window.papersiftTrusted.scriptURL("loaded.js") : "trustedTypes could not be removed";
  });
  assert.equal(result, `${origin}/loaded.js`);
  await page.close();
});

test("a <meta> CSP with Trusted Types and `style-src 'self'` on a file:// page lets the element work with no violation", async () => {
  const dir = tempDir("meta-csp");
  copyFileSync(join(repo, "dist", "papersift.js"), join(dir, "papersift.js"));
  writeFileSync(join(dir, "index.html"), plainPage(`<meta http-equiv="Content-Security-Policy" content="${STRICT}; ${TRUSTED_TYPES}">`));
  const page = await open(fileUrl(join(dir, "index.html")));
  await assertOwnStyles(page);
  const enforced = await page.evaluate(() => { try { document.createElement("script").src = "x.js"; return false; } catch { return true; } });
  assert.equal(enforced, true, "the <meta> CSP did not enforce Trusted Types");
  const seen = await violations(page);
  assert.ok(seen.every((v) => /^require-trusted-types-for /.test(v)) && seen.length === 1, JSON.stringify(seen));
  assert.deepEqual(page.dialogs, []);
  await page.close();
});

const twoElements = `<!doctype html><html><head><meta charset="utf-8"><title>two</title><script src="papersift.js"></script></head>
<body><h1>Two searches</h1><papersift-search id="a"></papersift-search><papersift-search id="b" hash="off"></papersift-search></body></html>`;

test("several elements on one page search independently, keep their ARIA references inside their own shadow roots, and only one takes `/`", async () => {
  const page = await open(served("/two.html", STRICT, twoElements), 2);
  const [a, b] = [page.locator("#a"), page.locator("#b")];
  await search(page, "model merging", 0);
  await search(page, "diffusion", 1);
  const titlesOf = (el) => el.locator(".hit .title").allTextContents();
  const bBefore = await titlesOf(b);
  await search(page, "mergng", 0);
  assert.deepEqual(await titlesOf(b), bBefore, "typing in one element changed the other's results");
  assert.notDeepEqual(await titlesOf(a), bBefore);

  // Each element's references resolve in its own shadow root, to its own nodes.
  for (const el of [a, b]) {
    await el.locator("input.query").focus();
    await page.keyboard.press("ArrowDown");
    const refs = await el.evaluate((host) => {
      const root = host.shadowRoot, input = root.querySelector("input.query");
      const label = root.querySelector("label.label");
      return {
        controls: root.getElementById(input.getAttribute("aria-controls")) === root.querySelector(".results"),
        active: root.getElementById(input.getAttribute("aria-activedescendant")) === root.querySelector(".hit"),
        label: root.getElementById(label.htmlFor) === input && input.labels[0] === label,
      };
    });
    assert.deepEqual(refs, { controls: true, active: true, label: true });
  }

  const focusedId = () => page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.classList.contains("query") ? document.activeElement.id : null);
  const hints = () => page.evaluate(() => window.papersiftElements().map((el) => !el.shadowRoot.querySelector(".slash").hidden));
  const slash = async () => {
    await page.locator("h1").click();
    await page.keyboard.press("/");
    return focusedId();
  };
  assert.equal(await slash(), "a", "`/` should focus the first connected element");
  assert.deepEqual(await hints(), [true, false], "only the element that takes `/` shows the hint");
  await b.evaluate((el) => el.setAttribute("shortcut", ""));
  assert.equal(await slash(), "b", "`/` should focus the element with a shortcut attribute");
  assert.deepEqual(await hints(), [false, true]);
  await b.evaluate((el) => el.removeAttribute("shortcut"));
  await a.evaluate((el) => el.remove());
  assert.equal(await slash(), "b", "`/` should pass to the next element when the first is removed");
  assert.deepEqual(await hints(), [true]);
  await b.evaluate((el) => el.setAttribute("shortcut", "off"));
  assert.equal(await slash(), null, "`/` focused an element with shortcut=off");
  assert.deepEqual(await hints(), [false]);
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("an element inside another element's shadow root loads, searches, and takes `/`", async () => {
  const dir = tempDir("nested");
  writeFileSync(join(dir, "index.html"), `<!doctype html><html><head><meta charset="utf-8"><title>nested</title>
<script src="${fileUrl(join(repo, "dist", "papersift.js"))}"></script>
<script>
  customElements.define("paper-card", class extends HTMLElement {
    constructor() {
      super();
      const root = this.attachShadow({ mode: "open" });
      const heading = document.createElement("h2");
      heading.textContent = "Find a paper";
      root.append(heading, document.createElement("papersift-search"));
    }
  });
</script></head><body><h1>Nested</h1><paper-card></paper-card></body></html>`);
  const page = await open(fileUrl(join(dir, "index.html")));
  const hits = await search(page, "model merging");
  assert.match((await hits.locator(".title").allTextContents())[0], /merging/i);
  await page.locator("h1").click();
  await page.keyboard.press("/");
  const focused = await page.evaluate(() => {
    const card = document.activeElement, inner = card?.shadowRoot?.activeElement;
    return [card?.localName, inner?.localName, inner?.shadowRoot?.activeElement?.className];
  });
  assert.deepEqual(focused, ["paper-card", "papersift-search", "query"]);
  // A `/` typed into the element's own input is text, not the shortcut.
  await page.keyboard.type("a/b");
  assert.equal(await page.locator("papersift-search input.query").inputValue(), "a/b");
  assert.deepEqual(page.errors, []);
  await page.close();
});

const resets = {
  "all: unset": "* { all: unset !important; }",
  "red, 40px, hidden inputs, black marks": `* { color: red !important; background: yellow !important; font-size: 40px; letter-spacing: 0.5em; text-transform: uppercase; }
    input { display: none !important; } mark { background: black !important; color: black !important; }`,
};

for (const [name, css] of Object.entries(resets)) {
  test(`a page whose global styles reset \`*\`, \`input\` and \`mark\` (${name}) leaves the element's input, hits and marks readable`, async () => {
    const dir = tempDir("reset");
    writeFileSync(join(dir, "index.html"), `<!doctype html><html><head><meta charset="utf-8"><title>reset</title><style>${css}</style>
<script src="${fileUrl(join(repo, "dist", "papersift.js"))}"></script></head>
<body><p>Host text <mark>host mark</mark> <input id="own"></p><papersift-search></papersift-search></body></html>`);
    const page = await open(fileUrl(join(dir, "index.html")));
    const hits = await search(page, "model merging");
    assert.ok(await hits.first().isVisible());
    const seen = await page.locator("papersift-search").evaluate((host) => {
      const root = host.shadowRoot;
      const style = (selector) => {
        const el = root.querySelector(selector), c = getComputedStyle(el), box = el.getBoundingClientRect();
        return { display: c.display, visibility: c.visibility, color: c.color, background: c.backgroundColor, letterSpacing: c.letterSpacing, textTransform: c.textTransform, width: box.width, height: box.height };
      };
      return { box: style(".box"), input: style(".query"), hit: style(".hit"), title: style(".hit .title"), mark: style(".hit mark"), snippet: style(".hit .snippet") };
    });
    assert.equal(seen.box.color, OWN.fg);
    assert.equal(seen.box.background, OWN.bg);
    assert.notEqual(seen.input.display, "none");
    assert.ok(seen.input.width > 100 && seen.input.height > 20, `input is ${seen.input.width}x${seen.input.height}`);
    assert.equal(seen.input.color, OWN.fg);
    for (const part of ["input", "hit", "title", "mark", "snippet"]) {
      assert.equal(seen[part].visibility, "visible", part);
      assert.notEqual(seen[part].color, "rgb(255, 0, 0)", `${part} took the page's colour`);
      assert.equal(seen[part].textTransform, "none", part);
      assert.equal(seen[part].letterSpacing, "normal", part);
    }
    assert.equal(seen.mark.background, OWN.markBg);
    assert.notEqual(seen.mark.color, seen.mark.background);
    assert.notEqual(seen.title.color, OWN.bg);
    // The page keeps its own rules outside the element.
    assert.equal(await page.locator("#own").evaluate((el) => getComputedStyle(el).display), /unset/.test(css) ? "inline" : "none");
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test("every record field (title, abstract, authors, venue, url, id) holding markup renders as text, injects nothing, and papersift-open hands over the data", async () => {
  const records = readFileSync(fixture("markup_fields.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
  const [first, second] = records;
  const site = buildSite(fixture("markup_fields.jsonl"));
  const page = await open(fileUrl(join(site, "index.html")));
  const element = page.locator("papersift-search");
  const hits = await search(page, "markup every field");
  assert.equal(await hits.count(), 2);

  const rendered = await element.evaluate((host) => [...host.shadowRoot.querySelectorAll(".hit")].map((li) => ({
    title: li.querySelector(".title").textContent,
    link: li.querySelector("a.title")?.getAttribute("href") ?? null,
    meta: li.querySelector(".meta").textContent,
    snippet: li.querySelector(".snippet").textContent,
  })));
  const byTitle = Object.fromEntries(rendered.map((hit) => [hit.title, hit]));
  // Record one has no title: its id is shown in its place, as text.
  const one = byTitle[first.id], two = byTitle[second.title];
  assert.ok(one && two, `titles rendered: ${JSON.stringify(rendered.map((hit) => hit.title))}`);
  for (const [hit, record] of [[one, first], [two, second]]) {
    for (const author of record.authors) assert.ok(hit.meta.includes(author), `author ${author} not shown as text in ${hit.meta}`);
    assert.ok(hit.meta.includes(record.venue), `venue not shown as text in ${hit.meta}`);
    assert.ok(hit.snippet.includes("Markup in every field"), hit.snippet);
  }
  assert.ok(one.snippet.includes("<svg onload=alert('abstract')></svg>"), one.snippet);
  assert.ok(two.snippet.includes("<a href=javascript:alert('link')>click</a>"), two.snippet);
  assert.equal(one.link, null, "a data: url became a link");
  // The build drops whitespace inside urls (a url wrapped over two lines must not gain a space).
  assert.equal(two.link, new URL(second.url.replace(/\s+/g, "")).href, "the https url with markup is the link, percent-encoded");
  const venues = await element.locator(".venue").allTextContents();
  assert.ok(venues.some((v) => v.startsWith(first.venue)) && venues.some((v) => v.startsWith(second.venue)), JSON.stringify(venues));

  // Only the element's own tags exist: nothing from a record became an element, anywhere.
  const tags = await page.evaluate(() => {
    const names = new Set();
    const walk = (root) => root.querySelectorAll("*").forEach((el) => { names.add(el.localName); if (el.shadowRoot) walk(el.shadowRoot); });
    walk(document);
    return [...names].sort();
  });
  const own = ["a", "body", "button", "div", "fieldset", "footer", "h1", "head", "header", "html", "input", "kbd", "label", "legend", "li", "main", "mark",
    "meta", "noscript", "p", "papersift-search", "script", "span", "style", "title", "ul", "code"];
  assert.deepEqual(tags.filter((tag) => !own.includes(tag)), [], "an element came from record text");
  const scripts = await page.evaluate(() => document.scripts.length);
  assert.equal(scripts, 1, "only the page's own script");

  // papersift-open carries the hit as plain data, the same strings the file holds.
  const details = [];
  for (const title of [first.id, second.title]) {
    const detail = page.evaluate(() => new Promise((resolve) => document.querySelector("papersift-search").addEventListener("papersift-open", (event) => {
      event.preventDefault(); // stay on the page
      const d = event.detail;
      resolve({ plain: Object.getPrototypeOf(d) === Object.prototype, nodes: Object.values(d).some((v) => v instanceof Node), id: d.id, title: d.title, authors: d.authors, venue: d.venue, url: d.url });
    }, { once: true })));
    await hits.filter({ has: page.locator(".title", { hasText: title }) }).locator(".meta").click();
    details.push(await detail);
  }
  for (const [detail, record] of [[details[0], first], [details[1], second]]) {
    assert.deepEqual(detail, { plain: true, nodes: false, id: record.id, title: record.title ?? "", authors: record.authors, venue: record.venue, url: record.url.replace(/\s+/g, "") });
  }
  await page.waitForTimeout(200); // a dialog from a stray handler would arrive asynchronously
  assert.deepEqual(page.dialogs, []);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a query past the engine's word limit is answered, and the status line says where the search stopped", async () => {
  const page = await browser.newPage();
  await page.goto(fileUrl(join(repo, "www", "index.html")));
  await page.waitForFunction(() => document.querySelector("papersift-search")?.index);
  const words = Array.from({ length: 40 }, (_, i) => (i % 2 ? "merging" : "model") + (i === 31 ? "x" : ""));
  const status = await page.evaluate((query) => {
    const element = document.querySelector("papersift-search");
    element.value = query;
    return element.shadowRoot.querySelector(".status").textContent;
  }, words.join(" "));
  assert.match(status, /^[\d,]+ papers? .*The query is too long: it was searched up to “….*mergingx”\.$/);
  assert.deepEqual(page.errors, []);
  await page.close();
});
