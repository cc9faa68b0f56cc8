// PapersiftBuilder: indexes a file in the page (or in Node) with the core's builder compiled to
// wasm, offline: the bytes never leave the machine. Bundled on its own into
// dist/papersift-builder.js, which <papersift-search> loads only when a visitor opens a file.
// The `papersift:*` imports are supplied by scripts/bundle.mjs: the builder's wasm-bindgen glue
// and a function that returns its optimized wasm (inlined: deflated, as base64).

import initBuilder, { build as buildIndex } from "papersift:glue";
import loadWasm from "papersift:wasm";
import { version } from "../package.json";
import { describe } from "./bytes.js";

var compiled = null;

// Compiles the inlined wasm once, on first use: loading the script compiles nothing.
function loadBuilder() {
  if (compiled === null) {
    compiled = loadWasm().then(function (wasm) {
      return initBuilder({ module_or_path: wasm });
    });
    compiled.catch(function () { compiled = null; });
  }
  return compiled;
}

function skipInvalidOption(options) {
  if (options === undefined || options === null) return false;
  if (typeof options !== "object") throw new TypeError("papersift: build options must be an object, got " + describe(options));
  Object.keys(options).forEach(function (key) {
    if (key !== "skipInvalid") throw new TypeError("papersift: unknown build option `" + key + "`; the options are skipInvalid");
  });
  if (options.skipInvalid !== undefined && typeof options.skipInvalid !== "boolean") {
    throw new TypeError("papersift: build option skipInvalid must be a boolean, got " + describe(options.skipInvalid));
  }
  return options.skipInvalid === true;
}

export var PapersiftBuilder = {
  /**
   * Indexes the records in `bytes` (a .bib, .json, .jsonl, .csv, … file, gzipped or not), read
   * as the file `fileName`, whose extension and content pick the format. Resolves to
   * `{ index, report }`: `index` is a Uint8Array for `Papersift.fromBytes`, `report` is
   * `{ read, indexed, skipped, errors }` with one `file:line: field: reason` message per skipped
   * record, the first 100 of them, then one line per file and field counting the rest. Without `{ skipInvalid: true }`, a bad record rejects with an Error listing them all.
   */
  build: function (bytes, fileName, options) {
    return new Promise(function (resolve) {
      if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
      if (!(bytes instanceof Uint8Array)) {
        throw new TypeError("papersift: PapersiftBuilder.build expects a Uint8Array or ArrayBuffer, got " + describe(bytes));
      }
      if (typeof fileName !== "string" || fileName === "") {
        throw new TypeError("papersift: PapersiftBuilder.build needs the file's name (its extension picks the format), got " + describe(fileName));
      }
      var skipInvalid = skipInvalidOption(options);
      resolve(loadBuilder().then(function () { return buildIndex(bytes, fileName, skipInvalid); }));
    });
  },
  version: version,
};
