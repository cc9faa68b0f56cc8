// <papersift-search>: the search box, as a custom element with its own shadow DOM.
// It renders, listens and loads; the engine decides what matches, in which order, and which
// characters are highlighted. Record text only ever becomes text nodes, never markup.

import { Papersift, isSharded } from "./loader.js";
import { loadBuilder, builderUrl, copyText } from "./own-file.js";
import STYLES from "./styles.css";

var ELEMENT_NAME = "papersift-search";
var DEFAULT_LIMIT = 20;
// A sharded index first answers with this many hits, about a screen of them: each hit costs its
// document block (about 15 KB on arXiv CS), so the rest wait until the visitor asks for more.
var FIRST_HITS = 8;
// Facet buttons shown per group: enough to be useful, few enough to scan.
var FACET_BUTTONS = 12;
// The file types "Open your own file" offers; the builder reads the format from name and content.
var FILE_TYPES = ".bib,.bibtex,.json,.jsonl,.ndjson,.csv,.ris,.xml,.atom,.txt,.gz";
// A query of a sharded index that waits on pieces shows "Searching…" only after this long, so
// fast answers never flash a loading state.
var LOADING_DELAY_MS = 150;

// The element's own markup, built with DOM calls rather than parsed from an HTML string: a page
// that enforces Trusted Types refuses strings in `innerHTML`, and nothing here needs a parser.
function buildNode(tag, attributes, children) {
  var node = document.createElement(tag);
  for (var name in attributes) node.setAttribute(name, attributes[name]);
  (children || []).forEach(function (child) {
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  });
  return node;
}

function yearInput(className) {
  return buildNode("input", { class: className, type: "number", inputmode: "numeric", min: "0", max: "9999", placeholder: "year" });
}

function buildBox() {
  return buildNode("div", { class: "box", part: "box" }, [
    buildNode("label", { class: "label", for: "q" }, ["Search papers"]),
    buildNode("div", { class: "bar" }, [
      buildNode("input", {
        id: "q", class: "query", part: "input", type: "search", role: "combobox", "aria-autocomplete": "list",
        "aria-expanded": "false", "aria-controls": "results", autocomplete: "off", spellcheck: "false", enterkeyhint: "search",
      }),
      buildNode("kbd", { class: "slash", "aria-hidden": "true" }, ["/"]),
    ]),
    buildNode("div", { class: "own", part: "own", hidden: "" }, [
      buildNode("button", { type: "button", class: "open-file" }, ["Open your own file"]),
      " ",
      buildNode("span", { class: "own-hint" }, [".bib, .json, .jsonl, .csv, .ris or .xml, or drop it here: it is indexed in this page and never uploaded."]),
      buildNode("input", { class: "file", type: "file", hidden: "", accept: FILE_TYPES }),
    ]),
    buildNode("div", { class: "source", part: "source", hidden: "" }, [
      buildNode("span", { class: "source-text", role: "status", "aria-live": "polite" }),
      " ",
      buildNode("button", { type: "button", class: "back" }, ["Back to the built-in papers"]),
      buildNode("ul", { class: "file-errors", "aria-label": "Skipped records", hidden: "" }),
    ]),
    buildNode("fieldset", { class: "filters", hidden: "" }, [
      buildNode("legend", { class: "sr" }, ["Filters"]),
      buildNode("label", {}, ["From ", yearInput("year-min")]),
      buildNode("label", {}, ["to ", yearInput("year-max")]),
      buildNode("div", { class: "facet venues", role: "group", "aria-label": "Venues", hidden: "" }),
      buildNode("div", { class: "facet authors", role: "group", "aria-label": "Authors", hidden: "" }),
    ]),
    buildNode("p", { class: "status", role: "status", "aria-live": "polite", part: "status" }),
    buildNode("p", { class: "announce sr", role: "status", "aria-live": "polite" }),
    buildNode("p", { class: "suggestion", hidden: "" }, ["Did you mean ", buildNode("button", { type: "button", class: "suggested" }), "?"]),
    buildNode("ul", { id: "results", class: "results", role: "listbox", "aria-label": "Results", part: "results" }),
    buildNode("button", { type: "button", class: "more", part: "more", hidden: "" }, ["Show more"]),
  ]);
}

// One stylesheet, constructed once and adopted by every element's shadow root. A page whose CSP
// has `style-src` without 'unsafe-inline' refuses a <style> element, even inside a shadow root,
// but applies constructed sheets; the <style> remains for browsers without adoptedStyleSheets.
var sharedSheet = null;
function applyStyles(root) {
  if (sharedSheet === null) {
    sharedSheet = false;
    if (typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype && "adoptedStyleSheets" in ShadowRoot.prototype) {
      try {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(STYLES);
        sharedSheet = sheet;
      } catch (_) { /* keep the <style> fallback */ }
    }
  }
  if (sharedSheet) {
    try {
      root.adoptedStyleSheets = [sharedSheet];
      return;
    } catch (_) { /* a sheet from another document: fall back to <style> */ }
  }
  var style = document.createElement("style");
  style.textContent = STYLES;
  root.appendChild(style);
}

// The `/` key focuses one element per page, so several elements never fight over it: the first
// connected element with a `shortcut` attribute, else the first connected one. An element with
// `shortcut="off"` never takes it. Only the owner shows the `/` hint.
var connectedElements = [];
function shortcutOwner() {
  var candidates = connectedElements.filter(function (element) { return element.getAttribute("shortcut") !== "off"; });
  for (var i = 0; i < candidates.length; i++) if (candidates[i].hasAttribute("shortcut")) return candidates[i];
  return candidates[0] || null;
}
function showShortcutHints() {
  var owner = shortcutOwner();
  connectedElements.forEach(function (element) { element._slash.hidden = element !== owner; });
}

// Appends `text` to `parent` with the `[start, end)` UTF-16 spans wrapped in <mark>.
// Spans come from the engine, sorted; anything out of order or range is skipped, not trusted.
function appendHighlighted(parent, text, spans) {
  var at = 0;
  for (var i = 0; i < spans.length; i++) {
    var start = spans[i][0], end = spans[i][1];
    if (start < at || end <= start || end > text.length) continue;
    if (start > at) parent.appendChild(document.createTextNode(text.slice(at, start)));
    var mark = document.createElement("mark");
    mark.textContent = text.slice(start, end);
    parent.appendChild(mark);
    at = end;
  }
  if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
}

// The href for a record's url, or null when it must not become a link. Record urls come from
// files other tools wrote: only http(s) targets, and relative paths (which keep the page's own
// scheme), are linked, so a `javascript:` or `data:` url stays inert text.
function linkTarget(url) {
  if (typeof url !== "string" || url.trim() === "") return null;
  var absolute;
  try {
    absolute = new URL(url);
  } catch (_) {
    absolute = null; // no scheme of its own: relative to the page
  }
  if (absolute !== null) return absolute.protocol === "http:" || absolute.protocol === "https:" ? absolute.href : null;
  // A colon before the first "/", "?" or "#" reads as a scheme (RFC 3986 section 4.2 forbids
  // it in a relative path), as in "java script:..." that the URL parser refused above.
  if (/^[^/?#]*:/.test(url)) return null;
  try {
    return new URL(url, document.baseURI).href;
  } catch (_) {
    return null;
  }
}

function isEditable(target) {
  if (!target || !target.tagName) return false;
  var tag = target.tagName;
  return target.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
}

function pressedValues(box) {
  var values = [];
  box.querySelectorAll("button[aria-pressed=true]").forEach(function (button) { values.push(button.dataset.value); });
  return values;
}

function messageOf(error) {
  return String((error && error.message) || error);
}

function plural(n, word) {
  return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s");
}

// A query quoted in the status line, at most 60 characters: its start, or its end when `tail`.
function clip(text, tail) {
  var chars = Array.from(text);
  if (chars.length <= 60) return text;
  return tail ? "…" + chars.slice(-59).join("") : chars.slice(0, 59).join("") + "…";
}

function readHashQuery() {
  var hash = location.hash.replace(/^#/, "");
  if (!/(^|&)q=/.test(hash)) return null;
  try {
    return new URLSearchParams(hash).get("q");
  } catch (_) {
    return null;
  }
}

export function defineElement(name) {
  name = name || ELEMENT_NAME;
  if (typeof customElements === "undefined") {
    throw new Error("papersift: defineElement needs a browser (customElements is missing)");
  }
  if (customElements.get(name)) return customElements.get(name);

  var PapersiftSearch = class extends HTMLElement {
    constructor() {
      super();
      this._index = null;
      this._hits = [];
      this._active = -1;
      this._venues = [];
      // The corpus's most frequent authors; null while a sharded index has not loaded them
      // (its authors pieces are large, so they load only when the visitor asks for them).
      this._authors = [];
      this._docs = 0;
      this._own = null; // the index built from a visitor's file, while it is searched
      this._opening = 0; // counts file opens, so only the latest one takes effect
      // Every query gets the next number; an answer is rendered only if its number is still the
      // latest, so answers that arrive out of order never show stale results.
      this._sequence = 0;
      this._loadingTimer = 0;
      this._whenAnswered = null;
      var root = this.attachShadow({ mode: "open" });
      applyStyles(root);
      root.appendChild(buildBox());
      var $ = function (selector) { return root.querySelector(selector); };
      this._input = $(".query");
      this._status = $(".status");
      this._results = $(".results");
      this._moreButton = $(".more");
      this._more = null; // loads the rest of the hits of the query on screen, while it has more
      this._suggestion = $(".suggestion");
      this._suggested = $(".suggested");
      this._filters = $(".filters");
      this._yearMin = $(".year-min");
      this._yearMax = $(".year-max");
      this._venueBox = $(".venues");
      this._authorBox = $(".authors");
      this._ownBox = $(".own");
      this._fileInput = $(".file");
      this._source = $(".source");
      this._sourceText = $(".source-text");
      this._fileErrors = $(".file-errors");
      this._announce = $(".announce");
      this._slash = $(".slash");
      this._box = $(".box");
      this._onGlobalKey = this._onGlobalKey.bind(this);
      this._onHashChange = this._onHashChange.bind(this);
      this._wire();
      this._wireOwnFile();
    }

    static get observedAttributes() { return ["shortcut"]; }

    attributeChangedCallback() { showShortcutHints(); }

    connectedCallback() {
      connectedElements.push(this);
      showShortcutHints();
      this._input.placeholder = this.getAttribute("placeholder") || "Search papers: title, abstract, author:…";
      this._ownBox.hidden = !this.hasAttribute("open-file");
      document.addEventListener("keydown", this._onGlobalKey);
      if (this._usesHash()) window.addEventListener("hashchange", this._onHashChange);
      var initial = this._usesHash() ? readHashQuery() : null;
      if (initial !== null) this._input.value = initial;
      if (this._index === null) {
        var self = this;
        this._setStatus("Loading…");
        Papersift.embedded().then(
          function (index) { if (self._index === null) self._use(index); },
          function (error) { self._setStatus(String(error && error.message || error)); }
        );
      } else {
        this._search();
      }
    }

    disconnectedCallback() {
      connectedElements.splice(connectedElements.indexOf(this), 1);
      showShortcutHints();
      document.removeEventListener("keydown", this._onGlobalKey);
      window.removeEventListener("hashchange", this._onHashChange);
    }

    /** The Papersift handle this element searches; set it to search another index. */
    get index() { return this._index; }
    set index(handle) { this._hideSource(); this._switchTo(handle, false); }

    /** The current query. */
    get value() { return this._input.value; }
    set value(query) { this._input.value = query; this._search(); }

    _usesHash() { return this.getAttribute("hash") !== "off"; }

    _limit() {
      var limit = parseInt(this.getAttribute("limit"), 10);
      return limit > 0 ? limit : DEFAULT_LIMIT;
    }

    _use(handle) {
      this._index = handle;
      this._whenAnswered = null;
      this._docs = handle.stats().docs;
      // What the filters offer: an empty query has no hits, but its facets cover the corpus.
      if (!isSharded(handle)) {
        this._ready(handle, handle.facets("", {}), true);
        return;
      }
      // A sharded index answers the query (say one from the URL) first, without facets, and
      // only then loads the facets piece to offer the year and venue filters: the first result
      // waits on nothing it does not show. Author filters wait for the visitor to ask.
      var self = this;
      this._authors = null;
      this._whenAnswered = function () {
        var sequence = self._sequence;
        handle.facetsAsync("", { authorFacets: false }).then(
          function (all) { if (self._index === handle) self._ready(handle, all, false); },
          function (error) { if (self._index === handle && sequence === self._sequence) self._showError(error, ""); }
        );
      };
      this._search();
    }

    // Runs once, after the first answer (or error) is on screen.
    _answered() {
      var next = this._whenAnswered;
      this._whenAnswered = null;
      if (next) next();
    }

    _ready(handle, all, withAuthors) {
      var years = all.years;
      this._venues = all.venues;
      this._authors = withAuthors ? all.authors || [] : null;
      this._filters.hidden = years.length === 0 && this._venues.length === 0 && this._authors !== null && this._authors.length === 0;
      if (years.length > 0) {
        this._yearMin.placeholder = String(years[0][0]);
        this._yearMax.placeholder = String(years[years.length - 1][0]);
      }
      this._yearMin.parentNode.hidden = this._yearMax.parentNode.hidden = years.length === 0;
      this._search();
      this.dispatchEvent(new CustomEvent("papersift-ready", { detail: { docs: this._docs } }));
    }

    _wire() {
      var self = this;
      this._input.addEventListener("input", function () { self._search(); });
      this._input.addEventListener("keydown", function (event) { self._onInputKey(event); });
      this._yearMin.addEventListener("input", function () { self._search(); });
      this._yearMax.addEventListener("input", function () { self._search(); });
      this._suggested.addEventListener("click", function () {
        self._input.value = self._suggested.textContent;
        self._input.focus();
        self._search();
      });
      this._moreButton.addEventListener("click", function () { self._showMore(); });
      this._results.addEventListener("mousemove", function (event) {
        var option = event.target.closest && event.target.closest("[role=option]");
        if (option) self._setActive(Number(option.dataset.rank));
      });
    }

    _options() {
      var options = { limit: this._limit(), facets: !this._filters.hidden };
      if (this._authors === null) options.authorFacets = false;
      var min = parseInt(this._yearMin.value, 10), max = parseInt(this._yearMax.value, 10);
      if (min >= 0) options.yearMin = min;
      if (max >= 0) options.yearMax = max;
      var venues = pressedValues(this._venueBox), authors = pressedValues(this._authorBox);
      if (venues.length) options.venues = venues;
      if (authors.length) options.authors = authors;
      return options;
    }

    _search() {
      var query = this._input.value;
      if (this._usesHash()) this._writeHash(query);
      if (this._index === null) return;
      var sequence = ++this._sequence;
      var handle = this._index;
      if (query.trim() === "" || !isSharded(handle)) {
        var results;
        try {
          results = query.trim() === "" ? null : handle.results(query, this._options());
        } catch (error) {
          this._showError(error, query);
          return;
        }
        this._settle();
        this._render(query, results);
        this._dispatchResults(query, results);
        return;
      }
      var self = this;
      clearTimeout(this._loadingTimer);
      this._loadingTimer = setTimeout(function () {
        if (sequence === self._sequence) self._setState("loading", "Searching…");
      }, LOADING_DELAY_MS);
      var options = this._options();
      var limit = options.limit;
      options.limit = Math.min(limit, FIRST_HITS);
      handle.resultsAsync(query, options).then(
        function (results) {
          if (sequence !== self._sequence) return;
          self._settle();
          self._render(query, results);
          self._offerMore(query, options, limit, results);
          self._dispatchResults(query, results);
        },
        function (error) { if (sequence === self._sequence) self._showError(error, query); }
      );
    }

    // The first answer of a sharded index holds its first hits only; the rest (up to the limit)
    // load when the visitor asks for them, with the button or by moving past the last hit. The
    // engine ranks the same way at any limit, so the longer answer starts with the hits shown.
    _offerMore(query, options, limit, results) {
      var shown = results.hits.length;
      if (shown >= Math.min(limit, results.total)) return;
      var self = this, sequence = this._sequence, handle = this._index;
      this._moreButton.hidden = false;
      this._more = function () {
        self._more = null;
        self._moreButton.disabled = true;
        options.limit = limit;
        return handle.resultsAsync(query, options).then(
          function (all) {
            if (sequence !== self._sequence) return;
            self._moreButton.hidden = true;
            self._moreButton.disabled = false;
            for (var i = shown; i < all.hits.length; i++) {
              self._hits.push(all.hits[i]);
              self._results.appendChild(self._renderHit(all.hits[i], i));
            }
            self._setStatus(self._statusText(query, all));
            self.dispatchEvent(new CustomEvent("papersift-more", { detail: { query: query, shown: self._hits.length } }));
          },
          function (error) { if (sequence === self._sequence) self._showError(error, query); }
        );
      };
    }

    _showMore() {
      if (this._more) this._more();
    }

    // `papersift-results` once a query's answer is on screen (a sharded index answers later than
    // the keystroke), so a page can follow what is shown.
    _dispatchResults(query, results) {
      if (results === null) return;
      this.dispatchEvent(new CustomEvent("papersift-results", { detail: { query: query, total: results.total } }));
    }

    // The query in flight is answered: no loading state, no error state.
    _settle() {
      clearTimeout(this._loadingTimer);
      this._setState(null);
      this._answered();
    }

    // An engine or loading error: its message, as text, in the status line, with no results,
    // and `papersift-error` for the page.
    _showError(error, query) {
      clearTimeout(this._loadingTimer);
      this._results.textContent = "";
      this._hits = [];
      this._active = -1;
      this._more = null;
      this._moreButton.hidden = true;
      this._input.setAttribute("aria-expanded", "false");
      this._input.removeAttribute("aria-activedescendant");
      this._suggestion.hidden = true;
      var message = String((error && error.message) || error);
      this._setState("error", message);
      this.dispatchEvent(new CustomEvent("papersift-error", { detail: { query: query, message: message } }));
      this._answered();
    }

    // `state` is null, "loading" or "error"; the host's `state` attribute lets pages style it.
    _setState(state, text) {
      if (state === null) {
        this._box.removeAttribute("data-state");
        this.removeAttribute("state");
        this._results.removeAttribute("aria-busy");
        return;
      }
      this._box.setAttribute("data-state", state);
      this.setAttribute("state", state);
      if (state === "loading") this._results.setAttribute("aria-busy", "true");
      else this._results.removeAttribute("aria-busy");
      this._setStatus(text);
    }

    _writeHash(query) {
      var current = readHashQuery();
      if ((current || "") === query) return;
      var hash = query === "" ? "" : "#q=" + encodeURIComponent(query);
      history.replaceState(history.state, "", location.pathname + location.search + hash);
    }

    _onHashChange() {
      var query = readHashQuery() || "";
      if (query !== this._input.value) { this._input.value = query; this._search(); }
    }

    _render(query, results) {
      var list = this._results;
      list.textContent = "";
      this._more = null;
      this._moreButton.hidden = true;
      this._moreButton.disabled = false;
      this._hits = results ? results.hits : [];
      this._active = -1;
      this._input.removeAttribute("aria-activedescendant");
      this._suggestion.hidden = true;
      if (results === null) {
        this._setStatus("Type to search " + plural(this._docs, "paper") + ". Typos and word starts are fine; try \"quotes\", -exclude, author:, year:2020..2024.");
        this._renderFacets(null);
        this._input.setAttribute("aria-expanded", "false");
        return;
      }
      this._renderFacets(results.facets);
      for (var i = 0; i < this._hits.length; i++) list.appendChild(this._renderHit(this._hits[i], i));
      this._input.setAttribute("aria-expanded", String(this._hits.length > 0));
      // "Did you mean" shows whenever the engine has one: with typo tolerance, a misspelt
      // query usually still has hits, and the correction is still worth offering.
      if (results.suggestion && results.suggestion !== query.trim()) {
        this._suggested.textContent = results.suggestion;
        this._suggestion.hidden = false;
      }
      this._setStatus(this._statusText(query, results));
    }

    _statusText(query, results) {
      var status;
      if (results.total === 0) {
        status = "No papers match “" + clip(query.trim()) + "”.";
      } else {
        var shown = results.hits.length < results.total ? " (showing " + results.hits.length + ")" : "";
        status = plural(results.total, "paper") + shown;
      }
      // The engine searches a bounded part of a long query; say where it stopped.
      if (typeof results.ignoredFrom === "number") {
        status += " The query is too long: it was searched up to “" + clip(query.slice(0, results.ignoredFrom).trim(), true) + "”.";
      }
      if (results.unverified > 0) {
        status += " " + plural(results.unverified, "more candidate") + " not checked for the phrase.";
      }
      return status;
    }

    _renderHit(hit, rank) {
      var item = document.createElement("li");
      item.id = "hit-" + rank;
      item.className = "hit";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.rank = String(rank);
      var href = linkTarget(hit.url);
      var title = document.createElement(href ? "a" : "span");
      title.className = "title";
      if (href) { title.href = href; title.tabIndex = -1; title.rel = "noopener"; }
      appendHighlighted(title, hit.title || hit.id, hit.highlights);
      var heading = document.createElement("div");
      heading.className = "heading";
      heading.appendChild(title);
      item.appendChild(heading);
      var meta = [];
      if (hit.authors && hit.authors.length) meta.push(hit.authors.length > 4 ? hit.authors.slice(0, 3).join(", ") + " et al." : hit.authors.join(", "));
      if (hit.year) meta.push(String(hit.year));
      if (hit.venue) meta.push(hit.venue);
      if (meta.length) {
        var line = document.createElement("div");
        line.className = "meta";
        line.textContent = meta.join(" · ");
        item.appendChild(line);
      }
      if (hit.snippet && hit.snippet.text) {
        var snippet = document.createElement("p");
        snippet.className = "snippet";
        appendHighlighted(snippet, hit.snippet.text, hit.snippet.highlights);
        item.appendChild(snippet);
      }
      var self = this;
      var cite = document.createElement("button");
      cite.type = "button";
      cite.className = "cite";
      cite.textContent = "Copy citation";
      cite.title = "Copy this paper as a BibTeX entry";
      cite.addEventListener("click", function (event) {
        event.stopPropagation(); // copying does not open the paper
        self._copyCitation(hit, cite, item);
      });
      item.appendChild(cite);
      item.addEventListener("click", function (event) {
        if (event.target === title) return; // the link itself navigates
        self._setActive(rank);
        self._open(rank);
      });
      return item;
    }

    // Venue and author buttons, each with its count. Without a query they show the whole
    // corpus; with one, venues keep their places (counts follow the results) while authors are
    // those most frequent in the results. Pressed buttons stay, whatever their count.
    _renderFacets(facets) {
      this._renderFacet(this._venueBox, "venue", this._venues, facets && facets.venues, false);
      if (this._authors === null) this._renderShowAuthors();
      else this._renderFacet(this._authorBox, "author", this._authors, facets && facets.authors, true);
    }

    // Until a sharded index's authors are loaded, the author filter is one button that loads them.
    _renderShowAuthors() {
      if (this._authorBox.querySelector(".show-authors")) return;
      var self = this;
      var button = buildNode("button", { type: "button", class: "facet-value show-authors" }, ["Filter by author"]);
      button.addEventListener("click", function () {
        // aria-disabled rather than disabled while loading: a disabled button drops its focus.
        if (button.getAttribute("aria-disabled") !== "true") self._loadAuthors(button);
      });
      this._authorBox.textContent = "";
      this._authorBox.appendChild(button);
      this._authorBox.hidden = false;
    }

    // Loads the corpus's author facets (every authors piece of a sharded index), with the same
    // loading and error states as a query, then searches again so the results count them too.
    _loadAuthors(button) {
      var self = this, handle = this._index;
      button.setAttribute("aria-disabled", "true");
      this._setState("loading", "Loading authors…");
      handle.facetsAsync("", {}).then(
        function (all) {
          if (self._index !== handle) return;
          self._authors = all.authors;
          if (all.authors.length === 0 && self._venues.length === 0 && self._yearMin.parentNode.hidden) self._filters.hidden = true;
          self._setState(null);
          self._search();
        },
        function (error) {
          if (self._index !== handle) return;
          button.removeAttribute("aria-disabled");
          self._showError(error, self._input.value);
        }
      );
    }

    _renderFacet(box, kind, corpus, counted, followResults) {
      var pressed = pressedValues(box);
      // The buttons are made anew; the one with keyboard focus hands it to its successor.
      var focused = this.shadowRoot.activeElement;
      var counts = {};
      (counted || []).forEach(function (pair) { counts[pair[0]] = pair[1]; });
      var values = (counted && followResults ? counted : corpus).slice(0, FACET_BUTTONS).map(function (pair) { return pair[0]; });
      pressed.forEach(function (value) { if (values.indexOf(value) < 0) values.push(value); });
      // "Filter by author", which has no value, hands its focus to the first author.
      var focusedValue = focused && focused.parentNode === box ? focused.dataset.value || values[0] : null;
      box.textContent = "";
      box.hidden = values.length === 0;
      var self = this;
      values.forEach(function (value) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "facet-value " + kind;
        button.dataset.value = value;
        button.setAttribute("aria-pressed", pressed.indexOf(value) >= 0 ? "true" : "false");
        button.textContent = value + " ";
        var count = document.createElement("span");
        count.className = "count";
        var total = counted ? counts[value] || 0 : (corpus.filter(function (pair) { return pair[0] === value; })[0] || [0, 0])[1];
        count.textContent = String(total);
        button.appendChild(count);
        button.addEventListener("click", function () {
          button.setAttribute("aria-pressed", button.getAttribute("aria-pressed") === "true" ? "false" : "true");
          self._search();
        });
        box.appendChild(button);
        if (value === focusedValue) button.focus();
      });
    }

    _copyCitation(hit, button, item) {
      var text;
      try {
        text = this._index.citation(hit.id);
      } catch (error) {
        this._announce.textContent = messageOf(error);
        return;
      }
      var announce = this._announce;
      copyText(text, this.shadowRoot).then(
        function () {
          button.textContent = "Copied";
          button.classList.add("copied");
          announce.textContent = "Copied the citation of " + (hit.title || hit.id) + " as BibTeX.";
          setTimeout(function () { button.textContent = "Copy citation"; button.classList.remove("copied"); }, 2000);
        },
        function () {
          // No clipboard at all: show the entry selected, for the visitor to copy.
          var area = item.querySelector("textarea.citation") || document.createElement("textarea");
          area.className = "citation";
          area.readOnly = true;
          area.value = text;
          area.setAttribute("aria-label", "BibTeX entry; the clipboard is unavailable, copy it from here");
          item.appendChild(area);
          area.focus();
          area.select();
          announce.textContent = "The clipboard is unavailable: the BibTeX entry is selected below the paper.";
        }
      );
    }

    _wireOwnFile() {
      var self = this;
      this._ownBox.querySelector(".open-file").addEventListener("click", function () { self._fileInput.click(); });
      this._fileInput.addEventListener("change", function () {
        var file = self._fileInput.files && self._fileInput.files[0];
        if (file) self.openFile(file);
      });
      this._source.querySelector(".back").addEventListener("click", function () { self._backToBuiltIn(); });
      var dropping = function (event) {
        if (!self.hasAttribute("open-file") || !event.dataTransfer || Array.prototype.indexOf.call(event.dataTransfer.types, "Files") < 0) return false;
        event.preventDefault();
        return true;
      };
      this.addEventListener("dragover", function (event) {
        if (dropping(event)) { event.dataTransfer.dropEffect = "copy"; self.classList.add("dropping"); }
      });
      this.addEventListener("dragleave", function () { self.classList.remove("dropping"); });
      this.addEventListener("drop", function (event) {
        self.classList.remove("dropping");
        if (!dropping(event)) return;
        var file = event.dataTransfer.files[0];
        if (file) self.openFile(file);
      });
    }

    /**
     * Indexes a visitor's file (a File or Blob with a name) in the page and searches it. The
     * builder script is loaded on first use; bad records are skipped and listed.
     */
    openFile(file) {
      var self = this;
      var name = (file && file.name) || "file";
      var opening = ++this._opening;
      var current = function () { return opening === self._opening; };
      this._showSource("Indexing " + name + "…", [], false);
      var url = builderUrl(this.getAttribute("builder"));
      var bytes = Promise.resolve(file).then(function (blob) {
        if (!blob || typeof blob.arrayBuffer !== "function") throw new TypeError("papersift: openFile expects a File, got " + typeof blob);
        return blob.arrayBuffer();
      });
      return Promise.all([loadBuilder(url), bytes])
        .then(function (loaded) {
          if (!current()) return null;
          return loaded[0].build(new Uint8Array(loaded[1]), name, { skipInvalid: true });
        })
        .then(function (built) {
          if (!built || !current()) return;
          var report = built.report;
          if (report.indexed === 0) {
            self._showSource("No papers could be read from " + name + ", " + report.skipped + " skipped.", report.errors, self._own !== null);
            return;
          }
          return Papersift.fromBytes(built.index).then(function (handle) {
            if (!current()) { handle.free(); return; }
            self._switchTo(handle, true);
            self._showSource(plural(report.indexed, "paper") + " from " + name + ", " + report.skipped + " skipped.", report.errors, true);
          });
        })
        .catch(function (error) {
          if (current()) self._showSource(messageOf(error), [], self._own !== null);
        });
    }

    _showSource(text, errors, canGoBack) {
      this._source.hidden = false;
      this._sourceText.textContent = text;
      this._source.querySelector(".back").hidden = !canGoBack;
      var list = this._fileErrors;
      list.textContent = "";
      // The engine bounds the list: the first 100 skipped records, then a count per file and field.
      errors.forEach(function (message) {
        var line = document.createElement("li");
        line.textContent = message; // record text from the visitor's file: text, never markup
        list.appendChild(line);
      });
      list.hidden = errors.length === 0;
    }

    _backToBuiltIn() {
      var self = this;
      this._opening++; // a file still being indexed no longer takes over
      Papersift.embedded().then(
        function (handle) { self._hideSource(); self._switchTo(handle, false); self._input.focus(); },
        function (error) { self._showSource(messageOf(error), [], true); }
      );
    }

    _hideSource() {
      this._source.hidden = true;
      this._fileInput.value = ""; // choosing the same file again is a change again
    }

    // Searches `handle` from now on. The index built from a visitor's file is freed once it is
    // no longer searched: it can be large, and nothing else holds it.
    _switchTo(handle, fromFile) {
      var previous = this._own;
      this._own = fromFile ? handle : null;
      this._use(handle);
      if (previous !== null && previous !== handle) previous.free();
    }

    _setStatus(text) { this._status.textContent = text; }

    _setActive(rank) {
      if (rank === this._active) return;
      var previous = this._results.querySelector("[aria-selected=true]");
      if (previous) previous.setAttribute("aria-selected", "false");
      this._active = rank;
      if (rank < 0) { this._input.removeAttribute("aria-activedescendant"); return; }
      var item = this._results.children[rank];
      item.setAttribute("aria-selected", "true");
      this._input.setAttribute("aria-activedescendant", item.id);
      if (item.scrollIntoView) item.scrollIntoView({ block: "nearest" });
    }

    _open(rank) {
      var hit = this._hits[rank];
      if (!hit) return;
      var event = new CustomEvent("papersift-open", { detail: hit, cancelable: true, bubbles: true, composed: true });
      if (!this.dispatchEvent(event)) return;
      var link = this._results.children[rank].querySelector("a.title");
      if (link) link.click();
    }

    _onInputKey(event) {
      var count = this._hits.length;
      if (event.key === "ArrowDown" && count) {
        event.preventDefault();
        if (this._active + 1 >= count && this._more) {
          var self = this, sequence = this._sequence;
          this._more().then(function () {
            if (sequence === self._sequence && self._hits.length > count) self._setActive(count);
          });
          return;
        }
        this._setActive(this._active + 1 >= count ? 0 : this._active + 1);
      } else if (event.key === "ArrowUp" && count) {
        event.preventDefault();
        this._setActive(this._active <= 0 ? count - 1 : this._active - 1);
      } else if (event.key === "Enter" && count) {
        event.preventDefault();
        this._open(this._active < 0 ? 0 : this._active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        if (this._input.value === "") { this._input.blur(); return; }
        this._input.value = "";
        this._search();
      }
    }

    _onGlobalKey(event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (shortcutOwner() !== this) return;
      var target = event.composedPath ? event.composedPath()[0] : event.target;
      if (isEditable(target)) return;
      event.preventDefault();
      this._input.focus();
      this._input.select();
    }
  };
  customElements.define(name, PapersiftSearch);
  return PapersiftSearch;
}
