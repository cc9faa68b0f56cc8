#!/usr/bin/env node
// Wraps the wasm-bindgen glue (`--target no-modules`), the optimized wasm (as base64) and the
// JS sources in js/ into the delivered files:
//
//   dist/papersift.js         classic script: window.Papersift and <papersift-search>, default corpus
//   dist/papersift.mjs        ES module (Node 20, bundlers): Papersift, defineElement; no side effects
//   dist/papersift.cjs        CommonJS, for require() in Node
//   dist/element.mjs          ES module that registers <papersift-search> on import
//   dist/papersift-engine.js  classic script with no index: `papersift build` splices one in
//   dist/papersift.d.ts       types for all of the above
//
// Usage: node scripts/bundle.mjs --full pkg/full --engine pkg/engine --out dist --www www

import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), [])
);
for (const required of ["full", "engine", "out"]) {
  if (!args[required]) {
    console.error(`papersift: bundle.mjs needs --${required} DIR (usage: --full pkg/full --engine pkg/engine --out dist [--www www])`);
    process.exit(2);
  }
}

const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
const source = (name) => readFileSync(join(root, "js", name), "utf8");

// The one place where `papersift build` puts a custom index. Keep in sync with INDEX_MARKER in
// crates/papersift-cli/src/site.rs (and a future npm builder): it replaces the `null` after it
// with the base64 of papersift.idx, as a JS string literal.
export const INDEX_MARKER = "/*papersift:index*/null";

/** The body of the factory shared by every output: returns { Papersift, defineElement }. */
function factory(pkgDir) {
  const glue = readFileSync(join(pkgDir, "papersift.js"), "utf8");
  const wasm = readFileSync(join(pkgDir, "papersift_bg.wasm"));
  if (!/let wasm_bindgen\b/.test(glue)) {
    throw new Error(`papersift: ${pkgDir}/papersift.js is not wasm-bindgen --target no-modules output`);
  }
  return [
    "function (indexBase64) {",
    '"use strict";',
    `var VERSION = ${JSON.stringify(version)};`,
    `var WASM_BASE64 = "${wasm.toString("base64")}";`,
    `var STYLES = ${JSON.stringify(source("styles.css"))};`,
    glue,
    source("loader.js"),
    source("element.js"),
    "return { Papersift: Papersift, defineElement: defineElement };",
    "}",
  ].join("\n");
}

const banner = `/*! papersift ${version} | MIT OR Apache-2.0 | instant offline search over research papers */`;

function classic(pkgDir) {
  return [
    banner,
    "(function (factory) {",
    `  var api = factory(${INDEX_MARKER});`,
    "  var root = typeof globalThis !== \"undefined\" ? globalThis : window;",
    "  root.Papersift = api.Papersift;",
    "  if (typeof customElements !== \"undefined\") api.defineElement();",
    `})(${factory(pkgDir)});`,
    "",
  ].join("\n");
}

function esm(pkgDir) {
  return [
    banner,
    `const api = (${factory(pkgDir)})(null);`,
    "export const Papersift = api.Papersift;",
    "export const defineElement = api.defineElement;",
    "export default Papersift;",
    "",
  ].join("\n");
}

function cjs(pkgDir) {
  return [
    banner,
    '"use strict";',
    `const api = (${factory(pkgDir)})(null);`,
    "module.exports = { Papersift: api.Papersift, defineElement: api.defineElement, default: api.Papersift };",
    "",
  ].join("\n");
}

const element = [
  banner,
  'import { Papersift, defineElement } from "./papersift.mjs";',
  "defineElement();",
  "export { Papersift, defineElement };",
  "export default Papersift;",
  "",
].join("\n");

mkdirSync(args.out, { recursive: true });
const outputs = {
  "papersift.js": classic(args.full),
  "papersift.mjs": esm(args.full),
  "papersift.cjs": cjs(args.full),
  "element.mjs": element,
  "papersift-engine.js": classic(args.engine),
  "papersift.d.ts": source("papersift.d.ts"),
};
for (const [name, text] of Object.entries(outputs)) {
  if (name.endsWith(".js") && text.split(INDEX_MARKER).length !== 2) {
    throw new Error(`papersift: ${name} must contain the index marker exactly once`);
  }
  writeFileSync(join(args.out, name), text);
}
if (args.www) {
  mkdirSync(args.www, { recursive: true });
  copyFileSync(join(args.out, "papersift.js"), join(args.www, "papersift.js"));
}
for (const name of Object.keys(outputs)) {
  console.log(`  ${join(args.out, name)}  ${outputs[name].length.toLocaleString("en")} bytes`);
}
