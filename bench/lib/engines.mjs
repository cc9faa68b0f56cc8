// One adapter per engine: how it is built from records, serialized, loaded and searched, each
// in its library's documented idiomatic configuration. Every adapter indexes title and abstract,
// boosts the title 2× where the library can (papersift's own title weight), and ranks with OR
// semantics. The option each class turns on is in `search`.
//
// Adapter shape:
//   name, pkg (npm package for the version), stores (what a results list gets back),
//   bundle: { file, note }: the file a browser ships (see bundles.mjs),
//   build(records) → serialized index (string; what a site ships beside the library),
//   load(serialized) → handle,   search(handle, query, cls, limit) → ids, best first.
//   cls is "exact" | "twoWord" | "prefix" | "typo" | "typing" | "typingScratch" | "relevance" | "relevanceTypo".
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageDir, distDir } from "./paths.mjs";

const isPrefix = (cls) => cls === "prefix" || cls === "typing" || cls === "typingScratch";
const isTypo = (cls) => cls === "typo" || cls === "relevanceTypo";

export const papersift = {
  name: "papersift",
  pkg: null,
  stores: "id, title, abstract, authors, year, venue, url (snippets and highlights come from the stored text)",
  note: "defaults: prefix and fuzzy on for every class (the product's behaviour)",
  // What `import "papersift"` gives Node: the package's `node` entry (its wasm read from a file
  // beside it), or the ES module with the wasm inlined in a dist/ built before there was one.
  async import() {
    const entry = existsSync(join(distDir, "papersift.node.mjs")) ? "papersift.node.mjs" : "papersift.mjs";
    return (await import(join(distDir, entry))).Papersift;
  },
  async load(bytes, lib) { return lib.fromBytes(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)); },
  search(ps, query, _cls, limit) { return ps.search(query, { limit }).map((h) => h.id); },
};

/** papersift with typos and prefixes off: the same index, the work peers do on exact classes. */
export const papersiftExact = {
  ...papersift,
  name: "papersift (fuzzy:false, prefix:false)",
  note: "fuzzy:false, prefix:false on every class",
  search(ps, query, _cls, limit) { return ps.search(query, { limit, fuzzy: false, prefix: false }).map((h) => h.id); },
};

export const minisearch = {
  name: "MiniSearch",
  pkg: "minisearch",
  stores: "id, title (storeFields)",
  note: "fields title+abstract, boost title 2; prefix:true for prefixes, fuzzy:0.2 for typos; OR (default)",
  options: { fields: ["title", "abstract"], storeFields: ["title"], idField: "id" },
  async import() { return (await import("minisearch")).default; },
  async build(records, MiniSearch) {
    const ms = new MiniSearch(this.options);
    ms.addAll(records);
    return JSON.stringify(ms);
  },
  async load(text, MiniSearch) { return MiniSearch.loadJSON(text, this.options); },
  /** The options of each class's search, here and in a page (bench/lib/browser.mjs). */
  searchOptions(cls) { return { boost: { title: 2 }, prefix: isPrefix(cls), fuzzy: isTypo(cls) ? 0.2 : false }; },
  search(ms, query, cls, limit) {
    return ms.search(query, this.searchOptions(cls)).slice(0, limit).map((r) => r.id);
  },
};

export const flexsearch = {
  name: "FlexSearch",
  pkg: "flexsearch",
  stores: "id, title (document store)",
  note: "Document over title+abstract, tokenize:\"forward\" (its documented prefix setup), default encoder; " +
    "suggest:true (OR) for multi-word and relevance queries; no edit-distance typo option, so typo queries get suggest:true only; " +
    "merged field results (no per-field boost in merged search)",
  options: { tokenize: "forward", document: { id: "id", index: ["title", "abstract"], store: ["title"] } },
  async import() { return (await import("flexsearch")).default; },
  async build(records, FlexSearch) {
    const doc = new FlexSearch.Document(this.options);
    for (const r of records) doc.add(r);
    const parts = {};
    await doc.export((key, data) => { parts[key] = data; });
    return JSON.stringify(parts);
  },
  async load(text, FlexSearch) {
    const doc = new FlexSearch.Document(this.options);
    for (const [key, data] of Object.entries(JSON.parse(text))) await doc.import(key, data);
    return doc;
  },
  search(doc, query, cls, limit) {
    const suggest = cls !== "exact" && cls !== "prefix";
    return doc.search(query, { limit, merge: true, suggest }).map((r) => r.id);
  },
};

export const lunr = {
  name: "lunr",
  pkg: "lunr",
  stores: "id (ref); the titles ship beside it as an {id: title} JSON map, counted in its bytes",
  note: "fields title (boost 2) + abstract, default pipeline (stemmer, stop words); query builder: " +
    "term* (wildcard TRAILING) for prefixes, editDistance:1 for typos (term~1); OR (default)",
  async import() { return (await import("lunr")).default; },
  async build(records, lunrLib) {
    const index = lunrLib(function () {
      this.ref("id");
      this.field("title", { boost: 2 });
      this.field("abstract");
      for (const r of records) this.add(r);
    });
    return JSON.stringify({ index, titles: Object.fromEntries(records.map((r) => [r.id, r.title])) });
  },
  async load(text, lunrLib) {
    const { index, titles } = JSON.parse(text);
    return { index: lunrLib.Index.load(index), titles, lunr: lunrLib };
  },
  search(h, query, cls, limit) {
    // The query builder, not idx.search(string): the string syntax throws on `:`, `~`, `^`.
    const tokens = h.lunr.tokenizer(query);
    const results = h.index.query((q) => {
      for (const token of tokens) {
        q.term(token.toString(), {
          wildcard: isPrefix(cls) ? h.lunr.Query.wildcard.TRAILING : h.lunr.Query.wildcard.NONE,
          editDistance: isTypo(cls) ? 1 : 0,
          // As lunr's own query parser does: wildcards skip the pipeline (stemming), edits keep it.
          usePipeline: !isPrefix(cls),
        });
      }
    });
    return results.slice(0, limit).map((r) => r.ref);
  },
};

export const fuse = {
  name: "Fuse.js",
  pkg: "fuse.js",
  stores: "id, title, abstract (Fuse searches the records themselves; they ship with Fuse.createIndex().toJSON())",
  note: "keys title (weight 2) + abstract, ignoreLocation:true (long abstracts); threshold 0 (exact substring) for exact, " +
    "two-word and prefix classes; the default 0.6 for typos and relevance; Fuse is fuzzy-only, with no term index",
  keys: [{ name: "title", weight: 2 }, { name: "abstract", weight: 1 }],
  async import() { return (await import("fuse.js")).default; },
  async build(records, Fuse) {
    const index = Fuse.createIndex(this.keys, records);
    return JSON.stringify({ records, index: index.toJSON() });
  },
  async load(text, Fuse) {
    const { records, index } = JSON.parse(text);
    return { Fuse, records, index: Fuse.parseIndex(index), bySetting: new Map() };
  },
  search(h, query, cls, limit) {
    const threshold = cls === "typo" || cls === "relevance" || cls === "relevanceTypo" ? 0.6 : 0;
    if (!h.bySetting.has(threshold)) {
      h.bySetting.set(threshold, new h.Fuse(h.records, { keys: this.keys, ignoreLocation: true, threshold }, h.index));
    }
    return h.bySetting.get(threshold).search(query, { limit }).map((r) => r.item.id);
  },
};

export const orama = {
  name: "Orama",
  pkg: "@orama/orama",
  stores: "the whole inserted document: id, title, abstract",
  note: "schema title+abstract (string), BM25 (default), boost title 2; its default matches every term as a prefix " +
    "(exact:true would be a case-sensitive substring filter, not word matching), tolerance:1 for typos; threshold 1 (OR, default)",
  schema: { id: "string", title: "string", abstract: "string" },
  async import() { return import("@orama/orama"); },
  async build(records, O) {
    const db = O.create({ schema: this.schema });
    await O.insertMultiple(db, records, 1000);
    return JSON.stringify(O.save(db));
  },
  async load(text, O) {
    const db = O.create({ schema: this.schema });
    O.load(db, JSON.parse(text));
    return { db, O };
  },
  search(h, query, cls, limit) {
    const result = h.O.search(h.db, {
      term: query, properties: ["title", "abstract"], boost: { title: 2 }, limit, tolerance: isTypo(cls) ? 1 : 0,
    });
    if (typeof result.then === "function") throw new Error("bench: Orama search returned a promise");
    return result.hits.map((hit) => hit.id);
  },
};

/** The peers that run in Node, in report order. */
export const nodePeers = [minisearch, flexsearch, lunr, fuse, orama];
export const byName = Object.fromEntries([papersift, papersiftExact, ...nodePeers].map((e) => [e.name, e]));

/** Exact installed version of an npm package (from its package.json). */
export function version(pkg) {
  return JSON.parse(readFileSync(join(packageDir(pkg), "package.json"), "utf8")).version;
}
