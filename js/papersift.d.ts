// Types for papersift: `import { Papersift } from "papersift"`, or `window.Papersift` from the
// classic script (dist/papersift.js).

/** A highlighted range `[start, end)` in UTF-16 code units: `text.slice(start, end)`. */
export type Span = [start: number, end: number];

/** Options for {@link PapersiftIndex.search}, {@link PapersiftIndex.results} and {@link PapersiftIndex.facets}. Unknown keys throw. */
export interface SearchOptions {
  /** How many hits to return. Default 10. */
  limit?: number;
  /** How many of the best hits to skip, for paging. Default 0. */
  offset?: number;
  /** Only papers from this year on. */
  yearMin?: number;
  /** Only papers up to this year. */
  yearMax?: number;
  /** Only papers with an author matching each of these names. */
  authors?: string[];
  /** Only papers from one of these venues (exact names, as in the facets). */
  venues?: string[];
  /** Let the last word match as a prefix (search as you type). Default true. */
  prefix?: boolean;
  /** Let words match with typos. Default true. */
  fuzzy?: boolean;
  /** With `results`: also count years, venues and authors over the whole result set. Default false. */
  facets?: boolean;
  /** With facets: count authors too. Default true. False counts years and venues alone, so a sharded index loads no authors pieces for them. */
  authorFacets?: boolean;
  /** Compute title highlights and the abstract snippet. Default true. */
  highlight?: boolean;
  /** Approximate snippet length in characters. Default 200. */
  snippetChars?: number;
}

/** One paper found, with what to highlight. Missing fields are `null`. */
export interface Hit {
  id: string;
  /** Relevance; higher is better. Hits come best first. */
  score: number;
  title: string;
  authors: string[];
  year: number | null;
  venue: string | null;
  url: string | null;
  /** The best window of the abstract (`text` may start or end with "…") and its matches. */
  snippet: { text: string; highlights: Span[] };
  /** Matches in `title`. */
  highlights: Span[];
}

/**
 * Counts over a whole result set: `[year, papers]` by year, `[venue, papers]` most first, and
 * `[author, papers]` for the 50 most frequent authors, most first (ties by name).
 */
export interface FacetCounts {
  years: [year: number, papers: number][];
  venues: [venue: string, papers: number][];
  authors: [author: string, papers: number][];
}

/** Everything one search yields. */
export interface Results {
  /** How many papers matched in all (not only this page). */
  total: number;
  hits: Hit[];
  /** Present when `options.facets` was true. */
  facets: FacetCounts | null;
  /** "Did you mean", when some word of the query has no exact match. */
  suggestion: string | null;
  /** Where (in UTF-16 code units of the query) the query stopped being searched: a query is
   * searched up to 32 words and 4096 bytes. `null` when every word was searched. */
  ignoredFrom: number | null;
  /** Candidates left out unchecked once 20,000 papers were checked for the query's phrases;
   * `total` counts only checked papers. Usually 0. */
  unverified: number;
}

/** Sizes and counts of a loaded index. */
export interface IndexStats {
  version: number;
  docs: number;
  terms: number;
  bytes: number;
  sections: [name: string, bytes: number][];
  /** For a sharded index: how many pieces it has, how many are loaded so far, and the bytes of its root. `null` for a single-file index. */
  pieces: { total: number; loaded: number; rootBytes: number } | null;
}

/**
 * Where the pieces of a sharded index come from, for {@link PapersiftStatic.fromBytes}:
 * `base`, the URL of the folder `papersift build` wrote them to (`site/papersift/`), fetched as
 * `<name>.bin` over http(s) and loaded as `<name>.js` scripts from file://; or `loadPiece`, a
 * function returning a piece's bytes by name (Node, or any other transport).
 */
export type PieceSource =
  | { base: string | URL; loadPiece?: undefined }
  | { loadPiece: (name: string) => Uint8Array | ArrayBuffer | Promise<Uint8Array | ArrayBuffer>; base?: undefined };

/**
 * A loaded index: one opaque handle into the wasm engine. Errors are `Error`s whose message
 * starts with `papersift:`.
 *
 * The sync methods answer a single-file index at once. A sharded index (an arXiv-size corpus:
 * a small root plus pieces) answers with the `...Async` methods, which load the pieces a query
 * needs (in parallel, each once, cached), then answer; its sync methods throw
 * `papersift: this index is sharded; use resultsAsync` for a query whose pieces are not loaded.
 * The async methods work on every index, so code that uses them works with both.
 */
export interface PapersiftIndex {
  /** `search`, after loading the pieces the query needs. A piece that cannot be loaded rejects with `papersift: <piece> ...`. */
  searchAsync(query: string, options?: SearchOptions): Promise<Hit[]>;
  /** `results`, after loading the pieces the query needs. */
  resultsAsync(query: string, options?: SearchOptions): Promise<Results>;
  /** `facets`, after loading the pieces the count needs. */
  facetsAsync(query: string, options?: SearchOptions): Promise<FacetCounts & { total: number }>;
  /** Whether this is the root of a sharded index (the async methods load its pieces). */
  sharded(): boolean;
  /** The names of the pieces `query` still needs, none when it can be answered now. */
  needs(query: string, options?: SearchOptions): string[];
  /** Hands the engine a piece's bytes; checks its checksum and build, and throws naming the piece. */
  addPiece(name: string, bytes: Uint8Array): void;
  /** The build id every piece of this index carries. */
  buildId(): string;
  /** The best hits, best first. `ps.search("model merging", { limit: 10 })` */
  search(query: string, options?: SearchOptions): Hit[];
  /** Hits plus total, facets and suggestion, in one call (what a results page needs). */
  results(query: string, options?: SearchOptions): Results;
  /** Year and venue counts for every paper matching `query` and the filters. */
  facets(query: string, options?: SearchOptions): FacetCounts & { total: number };
  /** "Did you mean" for a query with words that match nothing exactly, else `undefined`. */
  suggest(query: string): string | undefined;
  stats(): IndexStats;
  /**
   * The paper with this id (a hit's `id`) as a BibTeX entry: `@article` when it has a venue,
   * `@misc` otherwise, keyed like `vaswani2017attention`. Throws for an id no paper has.
   */
  citation(id: string): string;
  /** Releases the index's memory. Don't free the shared handle from `embedded()`. */
  free(): void;
}

export interface PapersiftStatic {
  /**
   * The index built into this bundle: the default corpus, or the one `papersift build` added.
   * Loaded once and shared.
   */
  embedded(): Promise<PapersiftIndex>;
  /**
   * Any index written by `papersift build` (its `papersift.idx`). The bytes are copied. For the
   * root of a sharded site, `pieces` says where its pieces are.
   */
  fromBytes(bytes: Uint8Array | ArrayBuffer, pieces?: PieceSource): Promise<PapersiftIndex>;
  /** The package version. */
  readonly version: string;
}

export declare const Papersift: PapersiftStatic;
export default Papersift;

/** What {@link PapersiftBuilderStatic.build} read from a file. `read` = `indexed` + `skipped`. */
export interface BuildReport {
  read: number;
  indexed: number;
  skipped: number;
  /** One `file:line: field: reason` message per skipped record, for the first 100; then one
   * line per file and field counting the rest (`… and 900 more in p.jsonl, field id, the first: …`). */
  errors: string[];
}

/**
 * The in-browser index builder: `window.PapersiftBuilder` from the classic script
 * `papersift-builder.js` (in `dist/`, and beside every site's `papersift.js`).
 */
export interface PapersiftBuilderStatic {
  /**
   * Indexes a records file (.bib, .json, .jsonl, .csv, …, gzipped or not) read as `fileName`,
   * whose extension and content pick the format, with no network. The index loads with
   * `Papersift.fromBytes`. Without `skipInvalid`, any bad record rejects with an Error whose
   * message lists every bad record; with it, they are left out and listed in `report.errors`.
   */
  build(bytes: Uint8Array | ArrayBuffer, fileName: string, options?: { skipInvalid?: boolean }): Promise<{ index: Uint8Array; report: BuildReport }>;
  /** The package version. */
  readonly version: string;
}

/**
 * Registers `<papersift-search>` (or `name`) with `customElements` and returns the class.
 * Importing "papersift/element" or loading the classic script does it for you.
 * Attributes: `placeholder`, `limit` (default 20), `hash="off"` (don't keep the query in `#q=`),
 * `shortcut` (this element takes the `/` key; `shortcut="off"`: never), `open-file` (offer
 * "Open your own file" and file drops), `builder` (the URL of papersift-builder.js; default:
 * beside papersift.js).
 * Properties: `index` (the PapersiftIndex it searches; set it to search another), `value`.
 * Methods: `openFile(file: File)` indexes a file in the page and searches it.
 * While a query of a sharded index waits on pieces for more than 150 ms the element has
 * `state="loading"`; when a piece cannot be loaded, `state="error"` and the message in its status.
 * Events: `papersift-ready` ({ docs }), `papersift-open` (the Hit; cancelable),
 * `papersift-results` ({ query, total }: an answer is on screen), `papersift-error` ({ query, message }).
 * Theme with CSS custom properties: --papersift-accent, -bg, -fg, -muted, -border, -mark-bg,
 * -mark-fg, -active-bg, -radius, -font, -font-size.
 */
export declare function defineElement(name?: string): CustomElementConstructor;

declare global {
  interface Window {
    Papersift: PapersiftStatic;
    /** Defined once papersift-builder.js has loaded. */
    PapersiftBuilder?: PapersiftBuilderStatic;
  }
}
