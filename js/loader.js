// The JS API: loads the inlined engine once and hands out `Papersift` handles.
// Every decision about text and ranking is made in Rust; this module only decodes bytes and
// forwards calls. The `papersift:*` imports are supplied by scripts/bundle.mjs at build time:
// the wasm-bindgen glue, the optimized wasm of the variant being bundled (a function that returns
// it: inlined, or read from a file by the Node entries), and the index `papersift build` spliced
// into the engine script, if any.

import initEngine, { Papersift as Engine } from "papersift:glue";
import loadWasm from "papersift:wasm";
import { indexBase64 } from "papersift:index";
import { version } from "../package.json";
import { decodeBase64, describe } from "./bytes.js";
import { pieceFetcher, pieceCache } from "./pieces.js";

// Where the pieces of a sharded index spliced into this script live: `papersift/` beside the
// script. `document.currentScript` exists only while a classic script first runs, so it is read
// now, not when the index is opened.
var scriptBase = (function () {
  var script = typeof document !== "undefined" ? document.currentScript : null;
  return script && script.src ? new URL("papersift/", script.src).href : null;
})();

var engine = null;
// Each handle's piece cache, made on its first async call; handles never carry JS fields.
var caches = new WeakMap();
var sources = new WeakMap();

/** Whether `handle` is the root of a sharded index, whose queries may need pieces loaded first
 * (the async methods). A single-file index answers the sync methods at once. */
export function isSharded(handle) {
  return typeof handle.sharded === "function" && handle.sharded();
}

function prepared(handle, query, options) {
  if (!isSharded(handle)) return Promise.resolve();
  var cache = caches.get(handle);
  if (!cache) {
    var source = sources.get(handle) || { base: scriptBase };
    cache = pieceCache(handle, pieceFetcher({ base: source.base, loadPiece: source.loadPiece, buildId: handle.buildId() }));
    caches.set(handle, cache);
  }
  return cache.prepare(query, options);
}

// The async methods live on the engine's handle class, so every handle has them; they load what
// the query needs, then make the same call as the sync method.
function addAsyncMethods(Engine) {
  if (Engine.prototype.resultsAsync) return;
  Engine.prototype.resultsAsync = function (query, options) {
    var handle = this;
    return prepared(handle, query, options).then(function () { return handle.results(query, options); });
  };
  Engine.prototype.searchAsync = function (query, options) {
    var handle = this;
    return prepared(handle, query, options).then(function () { return handle.search(query, options); });
  };
  Engine.prototype.facetsAsync = function (query, options) {
    var handle = this;
    var counting = Object.assign({}, options, { facets: true, limit: 0, highlight: false });
    return prepared(handle, query, counting).then(function () { return handle.facets(query, options); });
  };
}
var embeddedIndex = null;

// Compiles and instantiates the wasm once (asynchronously: browsers refuse to compile
// large modules synchronously on the main thread).
function loadEngine() {
  if (engine === null) {
    engine = loadWasm().then(function (wasm) {
      return initEngine({ module_or_path: wasm });
    }).then(function () {
      addAsyncMethods(Engine);
      return Engine;
    });
  }
  return engine;
}

export var Papersift = {
  /** The index built into this script: the default corpus, or the one `papersift build` added. */
  embedded: function () {
    if (embeddedIndex === null) {
      embeddedIndex = loadEngine().then(function (Engine) {
        return indexBase64 === null ? Engine.embedded() : Engine.fromBytes(decodeBase64(indexBase64));
      });
      embeddedIndex.catch(function () { embeddedIndex = null; });
    }
    return embeddedIndex;
  },
  /**
   * Any index written by `papersift build` (its papersift.idx), as a Uint8Array or ArrayBuffer.
   * For the root of a sharded index, `pieces` says where its pieces are: `{ base }` (the URL of
   * its `papersift/` folder) or `{ loadPiece: name => bytes }`.
   */
  fromBytes: function (bytes, pieces) {
    return loadEngine().then(function (Engine) {
      if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
      if (!(bytes instanceof Uint8Array)) {
        throw new TypeError("papersift: fromBytes expects a Uint8Array or ArrayBuffer, got " + describe(bytes));
      }
      if (pieces !== undefined && (pieces === null || typeof pieces !== "object")) {
        throw new TypeError("papersift: fromBytes's second argument must be { base } or { loadPiece }, got " + describe(pieces));
      }
      var handle = Engine.fromBytes(bytes);
      if (pieces) sources.set(handle, { base: pieces.base === undefined ? null : pieces.base, loadPiece: pieces.loadPiece });
      return handle;
    });
  },
  version: version,
};
