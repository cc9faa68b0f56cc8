// The one place papersift hands a URL to a script-loading sink. Pages that enforce Trusted Types
// (`Content-Security-Policy: require-trusted-types-for 'script'`) refuse a plain string in
// `script.src`; they accept a TrustedScriptURL made by a named policy the page allows
// (`trusted-types papersift`). Every `src` papersift sets on a <script> goes through
// `scriptURL`, so the policy's rule lives here once.

var POLICY_NAME = "papersift";

// Two papersift bundles on one page (say the classic script and the ES module) must share one
// policy: a second createPolicy("papersift") throws unless the page allows duplicates.
var SHARED = typeof Symbol === "function" ? Symbol.for("papersift.trustedTypesPolicy") : "__papersiftTrustedTypesPolicy";

// Only http(s) and file: scripts may be loaded: a `javascript:`, `data:` or `blob:` URL would
// run text that did not come from a file the page's author put there.
function checkedScriptURL(url) {
  var resolved = new URL(String(url), document.baseURI);
  if (resolved.protocol !== "http:" && resolved.protocol !== "https:" && resolved.protocol !== "file:") {
    throw new TypeError("papersift: refusing to load a script from a " + resolved.protocol + " URL (" + String(url).slice(0, 80) + "); only http(s) and file URLs are loaded");
  }
  return resolved.href;
}

function policy() {
  var tt = typeof window !== "undefined" ? window.trustedTypes : undefined;
  if (!tt || typeof tt.createPolicy !== "function") return null;
  if (!window[SHARED]) {
    try {
      window[SHARED] = tt.createPolicy(POLICY_NAME, { createScriptURL: checkedScriptURL });
    } catch (_) {
      // The page's `trusted-types` directive does not list "papersift". Without enforcement a
      // plain string still works; with it, the sink refuses the string and names the directive.
      window[SHARED] = { createScriptURL: checkedScriptURL };
    }
  }
  return window[SHARED];
}

/**
 * `url` in the form a `<script>`'s `src` accepts on this page: a TrustedScriptURL from the
 * `papersift` policy where the browser has Trusted Types, the checked URL string otherwise.
 * Throws a `papersift:` TypeError for a URL that is not http(s) or file.
 */
export function scriptURL(url) {
  var p = policy();
  return p === null ? checkedScriptURL(url) : p.createScriptURL(url);
}
