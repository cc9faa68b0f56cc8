// The JS API: loads the inlined engine once and hands out `Papersift` handles.
// Every decision about text and ranking is made in Rust; this module only decodes bytes and
// forwards calls. The `papersift:*` imports are supplied by scripts/bundle.mjs at build time:
// the wasm-bindgen glue and the optimized wasm (as base64) of the variant being bundled, and the
// index `papersift build` spliced into the engine script, if any.

import initEngine, { Papersift as Engine } from "papersift:glue";
import wasmBase64 from "papersift:wasm";
import { indexBase64 } from "papersift:index";
import { version } from "../package.json";
import { decodeBase64, describe } from "./bytes.js";

var engine = null;
var embeddedIndex = null;

// Compiles and instantiates the inlined wasm once (asynchronously: browsers refuse to compile
// large modules synchronously on the main thread).
function loadEngine() {
  if (engine === null) {
    engine = initEngine({ module_or_path: decodeBase64(wasmBase64) }).then(function () {
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
  /** Any index written by `papersift build` (its papersift.idx), as a Uint8Array or ArrayBuffer. */
  fromBytes: function (bytes) {
    return loadEngine().then(function (Engine) {
      if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
      if (!(bytes instanceof Uint8Array)) {
        throw new TypeError("papersift: fromBytes expects a Uint8Array or ArrayBuffer, got " + describe(bytes));
      }
      return Engine.fromBytes(bytes);
    });
  },
  version: version,
};
