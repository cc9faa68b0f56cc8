// PapersiftBuilder: indexes a file in the browser (or Node) with the core's builder compiled to
// wasm, offline. `wasm_bindgen` (the generated glue), `WASM_BASE64`, `VERSION` and
// `decodeBase64` are in scope: scripts/bundle-builder.mjs wraps this file with them.

function describeValue(value) {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return (value.constructor && value.constructor.name) || "object";
}

var builderModule = null;

// Compiles the inlined wasm once, on first use: merely loading this script costs no compile.
function loadBuilder() {
  if (builderModule === null) {
    builderModule = wasm_bindgen({ module_or_path: decodeBase64(WASM_BASE64) });
    builderModule.catch(function () { builderModule = null; });
  }
  return builderModule;
}

function skipInvalidOption(options) {
  if (options === undefined || options === null) return false;
  if (typeof options !== "object") {
    throw new TypeError("papersift: build options must be an object, got " + describeValue(options));
  }
  Object.keys(options).forEach(function (key) {
    if (key !== "skipInvalid") throw new TypeError("papersift: unknown build option `" + key + "`; the options are skipInvalid");
  });
  if (options.skipInvalid !== undefined && typeof options.skipInvalid !== "boolean") {
    throw new TypeError("papersift: build option skipInvalid must be a boolean, got " + describeValue(options.skipInvalid));
  }
  return options.skipInvalid === true;
}

var PapersiftBuilder = {
  /**
   * Indexes the records in `bytes` (a .bib, .json, .jsonl, .csv, … file, gzipped or not), read
   * as `fileName`, whose extension and content pick the format. Resolves to `{ index, report }`:
   * `index` is a Uint8Array for `Papersift.fromBytes`, `report` is `{ read, indexed, skipped,
   * errors }` with one `file:line: field: reason` message per skipped record. Without
   * `{ skipInvalid: true }`, a bad record rejects with an Error listing every bad record.
   */
  build: function (bytes, fileName, options) {
    return new Promise(function (resolve) {
      if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
      if (!(bytes instanceof Uint8Array)) {
        throw new TypeError("papersift: PapersiftBuilder.build expects a Uint8Array or ArrayBuffer, got " + describeValue(bytes));
      }
      if (typeof fileName !== "string" || fileName === "") {
        throw new TypeError("papersift: PapersiftBuilder.build needs the file's name (its extension picks the format), got " + describeValue(fileName));
      }
      var skipInvalid = skipInvalidOption(options);
      resolve(loadBuilder().then(function () {
        return wasm_bindgen.build(bytes, fileName, skipInvalid);
      }));
    });
  },
  version: VERSION,
};
