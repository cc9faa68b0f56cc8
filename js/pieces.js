// Loading the pieces of a sharded index. The engine says which pieces a query needs (by name);
// this module brings their bytes. Over http(s) a piece is `fetch(base + name + ".bin")`. From
// file://, where fetch, XHR, ES modules and workers are all refused, the only thing a page can
// load is another classic script, so each piece also exists as `base + name + ".js"`, whose
// whole job is `papersiftPiece(buildId, name, base64)`. docs/SHARDS.md says why this is JS and
// not web-sys in the engine.

import { decodeBase64 } from "./bytes.js";
import { scriptURL } from "./trusted.js";

/** How long one piece may take before its request is given up: a last resort, so nothing hangs
 * when neither a response nor an `error` event ever comes. */
export var PIECE_TIMEOUT_MS = 30000;

// Pending piece scripts, by build id and name, shared by every papersift bundle on the page (the
// classic script and the ES module each have their own copy of this module), so that two
// indexes on one page, or two bundles, never take each other's pieces.
var SHARED = typeof Symbol === "function" ? Symbol.for("papersift.pieceScripts") : "__papersiftPieceScripts";
function pieceScripts() {
  if (!globalThis[SHARED]) globalThis[SHARED] = { waiting: new Map(), strays: new Map() };
  return globalThis[SHARED];
}

function key(buildId, name) {
  return buildId + "\u0000" + name;
}

// The callback every piece script calls. A piece nobody waits for (a script of another build at
// the URL this build expected) is kept as a stray, so the waiter can say what arrived instead.
function receivePiece(buildId, name, base64) {
  var scripts = pieceScripts();
  var waiters = scripts.waiting.get(key(String(buildId), String(name)));
  if (waiters) waiters.forEach(function (waiter) { waiter(base64); });
  else scripts.strays.set(String(name), String(buildId));
}

function installReceiver() {
  if (typeof globalThis.papersiftPiece !== "function") globalThis.papersiftPiece = receivePiece;
}

function failure(name, reason) {
  return new Error("papersift: " + name + " could not be loaded (" + reason + ")");
}

// Rejects with the timeout error unless `promise` settles first.
function withTimeout(promise, name, url, onTimeout) {
  var timer;
  var timeout = new Promise(function (_, reject) {
    timer = setTimeout(function () {
      if (onTimeout) onTimeout();
      reject(failure(name, "no answer from " + url + " within " + PIECE_TIMEOUT_MS / 1000 + " s"));
    }, PIECE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(function () { clearTimeout(timer); });
}

function fetchPiece(base, name) {
  var url = new URL(name + ".bin", base).href;
  var controller = typeof AbortController === "function" ? new AbortController() : null;
  var request = fetch(url, controller ? { signal: controller.signal } : undefined).then(
    function (response) {
      if (!response.ok) throw failure(name, "HTTP " + response.status + " from " + url);
      return response.arrayBuffer().then(function (buffer) { return new Uint8Array(buffer); });
    },
    function (error) { throw failure(name, (error && error.message) || String(error)); }
  );
  return withTimeout(request, name, url, function () { if (controller) controller.abort(); });
}

function scriptPiece(base, buildId, name) {
  installReceiver();
  var url = new URL(name + ".js", base).href;
  var scripts = pieceScripts();
  var id = key(buildId, name);
  var script = document.createElement("script");
  var waiter;
  var arrived = new Promise(function (resolve, reject) {
    waiter = function (base64) {
      try {
        resolve(decodeBase64(String(base64)));
      } catch (error) {
        reject(failure(name, "its script holds no valid base64: " + ((error && error.message) || error)));
      }
    };
    // Two handles over one build (two elements on the root of one site) may wait on one name.
    if (!scripts.waiting.has(id)) scripts.waiting.set(id, []);
    scripts.waiting.get(id).push(waiter);
    script.addEventListener("error", function () { reject(failure(name, "the script " + url + " failed to load")); });
    // The script has run by its `load` event; if it did not hand over this piece, it never will.
    script.addEventListener("load", function () {
      var other = scripts.strays.get(name);
      scripts.strays.delete(name);
      if (other !== undefined && other !== buildId) {
        reject(new Error("papersift: " + name + " belongs to another build (its script says " + other + ", this index is " + buildId + ")"));
      } else {
        reject(failure(name, "the script " + url + " did not hand over its bytes"));
      }
    });
  });
  script.async = true;
  script.src = scriptURL(url);
  (document.head || document.documentElement).appendChild(script);
  return withTimeout(arrived, name, url).finally(function () {
    var waiters = scripts.waiting.get(id) || [];
    waiters.splice(waiters.indexOf(waiter), 1);
    if (waiters.length === 0) scripts.waiting.delete(id);
    script.remove();
  });
}

/**
 * Where the pieces of an index live, and how to bring them: `load(name)` resolves to the piece's
 * bytes. `source` is `{ base, buildId }` (over http(s) by fetch, from file: by script) or
 * `{ loadPiece }`, a function of the name returning bytes (for Node, or any other transport).
 */
export function pieceFetcher(source) {
  if (typeof source.loadPiece === "function") {
    return function (name) {
      return Promise.resolve()
        .then(function () { return source.loadPiece(name); })
        .then(
          function (bytes) {
            if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
            if (bytes instanceof Uint8Array) return bytes;
            throw failure(name, "loadPiece returned " + (bytes === null ? "null" : typeof bytes) + ", not a Uint8Array or ArrayBuffer");
          },
          function (error) {
            throw String((error && error.message) || "").indexOf("papersift:") === 0 ? error : failure(name, (error && error.message) || String(error));
          }
        );
    };
  }
  if (!source.base) {
    return function (name) {
      return Promise.reject(failure(name, "this index does not know where its pieces are; pass { base } or { loadPiece } to Papersift.fromBytes"));
    };
  }
  var base = new URL(String(source.base), typeof document !== "undefined" ? document.baseURI : undefined).href;
  var byScript = new URL(base).protocol === "file:";
  return function (name) {
    return byScript ? scriptPiece(base, source.buildId, name) : fetchPiece(base, name);
  };
}

/**
 * Brings a handle's missing pieces into it. One request per piece, however many queries ask for
 * it at once; a piece that failed is asked for again by the next query that needs it.
 */
export function pieceCache(handle, fetchPiece) {
  var added = new Map(); // name -> promise of the piece being in the engine
  function ensure(name) {
    var pending = added.get(name);
    if (pending) return pending;
    pending = fetchPiece(name).then(function (bytes) {
      try {
        handle.addPiece(name, bytes);
      } catch (error) {
        var message = String((error && error.message) || error);
        throw new Error(message.indexOf("papersift:") === 0 ? message : "papersift: " + message);
      }
    });
    pending.catch(function () { added.delete(name); });
    added.set(name, pending);
    return pending;
  }
  return {
    /** Loads every piece `query` needs, round after round, until the engine can answer it. */
    prepare: function (query, options) {
      var rounds = 0;
      function round() {
        var names = handle.needs(query, options);
        if (names.length === 0) return undefined;
        // A piece the engine took but still asks for would loop forever; say so instead.
        if (++rounds > 64) throw new Error("papersift: the query still needs " + names.join(", ") + " after 64 rounds of loading");
        return Promise.all(names.map(ensure)).then(round);
      }
      return Promise.resolve().then(round);
    },
  };
}
