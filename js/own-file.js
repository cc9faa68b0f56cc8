// What <papersift-search> needs beyond the engine: the builder script, loaded on first use
// beside this script, and the clipboard.

import { scriptURL } from "./trusted.js";

// The URL of the classic script this code runs from (dist/papersift.js), read while it runs:
// `document.currentScript` is only set then. The builder script is looked up beside it. Null in
// the ES module builds, where the page's own URL is the base instead.
var SCRIPT_URL = typeof document !== "undefined" && document.currentScript && document.currentScript.src ? document.currentScript.src : null;

/** Where papersift-builder.js is: `override` (the element's `builder` attribute), else beside this script. */
export function builderUrl(override) {
  return new URL(override || "papersift-builder.js", SCRIPT_URL || document.baseURI).href;
}

var loading = {};

/**
 * Loads the builder's classic script once, with a <script src> (which file:// pages allow, where
 * fetch and ES modules are refused), and resolves to its PapersiftBuilder.
 */
export function loadBuilder(url) {
  if (globalThis.PapersiftBuilder) return Promise.resolve(globalThis.PapersiftBuilder);
  if (!loading[url]) {
    loading[url] = new Promise(function (resolve, reject) {
      // scriptURL throws for a URL that is not http(s) or file; the promise carries that error.
      var script = document.createElement("script");
      script.src = scriptURL(url); // a TrustedScriptURL where the page enforces Trusted Types
      script.async = true;
      script.onload = function () {
        if (globalThis.PapersiftBuilder) resolve(globalThis.PapersiftBuilder);
        else reject(new Error("papersift: " + url + " loaded but defined no PapersiftBuilder; is it papersift-builder.js?"));
      };
      script.onerror = function () {
        delete loading[url];
        reject(new Error("papersift: cannot load the builder script " + url + "; put papersift-builder.js beside papersift.js (npm run build writes it to dist/)"));
      };
      document.head.appendChild(script);
    });
  }
  return loading[url];
}

/**
 * Puts `text` on the clipboard: the async Clipboard API, else a selected textarea and the copy
 * command (older browsers, pages without clipboard permission). Rejects when neither works.
 */
export function copyText(text, root) {
  var viaSelection = function () {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    root.appendChild(area);
    area.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (_) {
      copied = false;
    }
    root.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("papersift: the clipboard is unavailable"));
  };
  if (typeof navigator !== "undefined" && navigator.clipboard && navigator.clipboard.writeText) {
    return navigator.clipboard.writeText(text).catch(viaSelection);
  }
  return viaSelection();
}
