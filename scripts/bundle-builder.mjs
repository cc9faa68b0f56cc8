#!/usr/bin/env node
// Wraps the builder's wasm-bindgen glue (`--target no-modules`), its optimized wasm (as base64)
// and crates/papersift-builder/js/builder.js into one classic script that defines
// `PapersiftBuilder`. It works from file:// (no fetch) and compiles nothing until used.
//
// Usage: node scripts/bundle-builder.mjs --pkg pkg/builder --out dist [--www www]

import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), [])
);
if (!args.pkg || !args.out) {
  console.error("papersift: bundle-builder.mjs needs --pkg DIR and --out DIR (usage: --pkg pkg/builder --out dist [--www www])");
  process.exit(2);
}

const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
const glue = readFileSync(join(args.pkg, "papersift_builder.js"), "utf8");
if (!/let wasm_bindgen\b/.test(glue)) {
  throw new Error(`papersift: ${args.pkg}/papersift_builder.js is not wasm-bindgen --target no-modules output`);
}
const wasm = readFileSync(join(args.pkg, "papersift_builder_bg.wasm"));
const decoder = readFileSync(join(root, "js", "loader.js"), "utf8").match(/^function decodeBase64[\s\S]*?^}\n/m);
if (!decoder) throw new Error("papersift: js/loader.js no longer defines decodeBase64 at the top level");

const script = [
  `/*! papersift-builder ${version} | MIT OR Apache-2.0 | indexes a file in the browser, offline */`,
  "(function () {",
  '"use strict";',
  `var VERSION = ${JSON.stringify(version)};`,
  `var WASM_BASE64 = "${wasm.toString("base64")}";`,
  decoder[0],
  glue,
  readFileSync(join(root, "crates/papersift-builder/js/builder.js"), "utf8"),
  "(typeof globalThis !== \"undefined\" ? globalThis : window).PapersiftBuilder = PapersiftBuilder;",
  "})();",
  "",
].join("\n");

mkdirSync(args.out, { recursive: true });
writeFileSync(join(args.out, "papersift-builder.js"), script);
if (args.www) copyFileSync(join(args.out, "papersift-builder.js"), join(args.www, "papersift-builder.js"));
console.log(`  ${join(args.out, "papersift-builder.js")}  ${script.length.toLocaleString("en")} bytes`);
