#!/usr/bin/env node
// Bundles the ES modules in js/ with esbuild, together with the wasm-bindgen glue
// (`--target web`) and the optimized wasm (deflated by Zopfli, inlined as base64), into the delivered files:
//
//   dist/papersift.js         classic script: window.Papersift and <papersift-search>, default corpus
//   dist/papersift.mjs        ES module (bundlers, browsers): Papersift, defineElement; no side effects
//   dist/papersift.cjs        CommonJS (bundlers)
//   dist/papersift.node.mjs   the same API for Node (the package's `node` export condition), ES
//   dist/papersift.node.cjs   module and CommonJS, reading dist/papersift.wasm beside them
//   dist/papersift.wasm       the engine with the default index, for the two Node entries
//   dist/element.mjs          ES module that registers <papersift-search> on import
//   dist/papersift-engine.js  classic script with no index: `papersift build` splices one in
//   dist/papersift.d.ts       types for all of the above
//   dist/papersift-builder.js classic script: window.PapersiftBuilder, the in-browser index builder
//                             (with --builder; <papersift-search> loads it only when a file is opened)
//
// With --www it also writes the demo: www/papersift.js (and www/papersift-builder.js) and
// www/index.html, the page template that `papersift build` fills too.
//
// Usage: node scripts/bundle.mjs --full pkg/full --engine pkg/engine [--builder pkg/builder] --out dist [--www www]

import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateRawSync } from "node:zlib";
import { build } from "esbuild";
import { deflateAsync as zopfliDeflate } from "@gfx/zopfli";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), [])
);
for (const required of ["full", "engine", "out"]) {
  if (!args[required]) {
    console.error(`papersift: bundle.mjs needs --${required} DIR (usage: --full pkg/full --engine pkg/engine [--builder pkg/builder] --out dist [--www www])`);
    process.exit(2);
  }
}

const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
const js = (name) => join(root, "js", name);

/** Where `papersift build` puts a custom index: the `null` in it becomes a base64 string
 * literal. One file holds it; crates/papersift-cli/src/site.rs includes the same file. */
const INDEX_MARKER = readFileSync(js("index-marker.txt"), "utf8");
if (INDEX_MARKER !== INDEX_MARKER.trim() || !INDEX_MARKER.endsWith("null")) {
  throw new Error(`papersift: js/index-marker.txt must be one line ending in null, with no trailing newline; got ${JSON.stringify(INDEX_MARKER)}`);
}
// esbuild drops comments inside code, so the classic scripts are bundled with this free
// identifier in the marker's place, and it is swapped for the marker afterwards.
const MARKER_PLACEHOLDER = "__papersift_index_marker__";

const banner = `/*! papersift ${version} | MIT OR Apache-2.0 | instant offline search over research papers */`;

/**
 * The glue, with its two tests for fetch's classes made false. The loaders always hand it the
 * wasm's bytes, never a URL, Request or Response, so those branches are dead; but evaluating
 * `typeof Response` in Node makes Node load its whole fetch implementation, which took longer
 * than compiling the engine (bench/startup.mjs).
 */
function glueSource(glue) {
  let text = readFileSync(glue, "utf8");
  if (!/\b__wbg_init as default\b/.test(text)) {
    throw new Error(`papersift: ${glue} is not wasm-bindgen --target web output (scripts/build.sh makes it)`);
  }
  for (const test of ["typeof Request === 'function' && module_or_path instanceof Request", "typeof Response === 'function' && module instanceof Response"]) {
    const parts = text.split(test);
    if (parts.length !== 2) throw new Error(`papersift: expected \`${test}\` once in ${glue}, found it ${parts.length - 1} times; has wasm-bindgen changed?`);
    text = parts.join("false");
  }
  return text;
}

/**
 * The wasm's raw deflate stream as base64; js/bytes.js (inflateWasm) reverses it. Zopfli writes
 * a smaller deflate stream than zlib at level 9 (the engine wasm: 142,198 bytes against
 * Node's 157,724, docs/BENCHMARKS.md); every inflater reads it. Each wasm is deflated once.
 */
const deflated = new Map();
function deflatedWasm(path) {
  if (!deflated.has(path)) {
    deflated.set(
      path,
      (async () => {
        const wasm = readFileSync(path);
        const stream = Buffer.from(await zopfliDeflate(wasm, { numiterations: 15 }));
        if (!inflateRawSync(stream).equals(wasm)) throw new Error(`papersift: the deflated ${path} does not inflate to the same bytes`);
        return stream.toString("base64");
      })()
    );
  }
  return deflated.get(path);
}

/** The file name of the wasm the Node entries read from beside themselves. */
const NODE_WASM = "papersift.wasm";

/**
 * The `papersift:wasm` module: a function that returns a promise of the wasm's bytes or
 * compiled module. Inlined (deflated, as base64), or for the Node entries read from
 * NODE_WASM beside the bundle: that skips decoding base64 and inflating (bytes.js), and the
 * bundle Node parses at import is a tenth of the size (docs/BENCHMARKS.md, "Start-up in Node
 * and the engine's bytes").
 */
async function wasmSource(wasm, from) {
  const missing = `throw new Error("papersift: cannot read ${NODE_WASM} beside this module (" + e.message + "); the package ships it in dist/");`;
  if (from === "inline") {
    return `import { wasmModule } from "./bytes.js";\nexport default function () { return wasmModule(${JSON.stringify(await deflatedWasm(wasm))}); }`;
  }
  if (from === "esm-file") {
    return `import { readFileSync } from "node:fs";\nexport default function () {\n  try { return Promise.resolve(readFileSync(new URL("./${NODE_WASM}", import.meta.url))); } catch (e) { ${missing} }\n}`;
  }
  return `export default function () {\n  try { return Promise.resolve(require("node:fs").readFileSync(require("node:path").join(__dirname, "${NODE_WASM}"))); } catch (e) { ${missing} }\n}`;
}

/**
 * Supplies the `papersift:*` imports of js/loader.js for one wasm variant: the wasm-bindgen
 * glue, its wasm (`from`: "inline", or "esm-file" / "cjs-file" for the Node entries), and the
 * index slot (`null`, or the marker for the classic scripts).
 */
function engineVariant(pkgDir, indexSlot, from = "inline") {
  const glue = resolve(pkgDir, "papersift.js");
  const glueText = glueSource(glue);
  const wasm = resolve(pkgDir, "papersift_bg.wasm");
  return {
    name: "papersift-engine-variant",
    setup(esbuild) {
      esbuild.onResolve({ filter: /^papersift:glue$/ }, () => ({ path: glue }));
      esbuild.onLoad({ filter: /papersift\.js$/ }, (args) => (args.path === glue ? { contents: glueText, loader: "js", resolveDir: pkgDir } : undefined));
      esbuild.onResolve({ filter: /^papersift:wasm$/ }, () => ({ path: "wasm", namespace: "papersift" }));
      esbuild.onLoad({ filter: /^wasm$/, namespace: "papersift" }, async () => ({
        contents: await wasmSource(wasm, from),
        loader: "js",
        resolveDir: join(root, "js"),
      }));
      esbuild.onResolve({ filter: /^papersift:index$/ }, () => ({ path: "index", namespace: "papersift" }));
      esbuild.onLoad({ filter: /^index$/, namespace: "papersift" }, () => ({
        contents: `export const indexBase64 = ${indexSlot};`,
        loader: "js",
      }));
    },
  };
}

/** dist/element.mjs imports the package build beside it instead of bundling a second engine. */
const packageExternal = {
  name: "papersift-package-external",
  setup(esbuild) {
    esbuild.onResolve({ filter: /^\.\/index\.js$/ }, () => ({ path: "./papersift.mjs", external: true }));
  },
};

/** Bundles `entry` into one file and returns its text. */
async function bundle(entry, options, plugins) {
  const result = await build({
    entryPoints: [js(entry)],
    bundle: true,
    write: false,
    platform: "neutral",
    charset: "utf8",
    legalComments: "none",
    // ES modules are strict; the IIFE and CommonJS builds say so, so the bundled code runs with
    // the semantics it was written for.
    banner: { js: options.format === "esm" ? banner : `${banner}\n"use strict";` },
    loader: { ".css": "text" },
    // The glue's fallback (fetching papersift_bg.wasm beside the module) never runs: the loader
    // always hands it the bytes. Defining this keeps esbuild from warning about import.meta in
    // the classic and CommonJS builds; the Node ES module needs it to find its wasm.
    define: options.node && options.format === "esm" ? {} : { "import.meta.url": "undefined" },
    // The Node entries read their wasm with node:fs and node:path.
    external: ["node:*"],
    logLevel: "warning",
    plugins,
    ...Object.fromEntries(Object.entries(options).filter(([key]) => key !== "node")),
  });
  return result.outputFiles[0].text;
}

/** The classic script: one IIFE, with the index marker exactly once. */
async function classic(pkgDir) {
  const text = await bundle("script.js", { format: "iife", minify: true }, [engineVariant(pkgDir, MARKER_PLACEHOLDER)]);
  const parts = text.split(MARKER_PLACEHOLDER);
  if (parts.length !== 2) throw new Error(`papersift: the ${pkgDir} script holds the index slot ${parts.length - 1} times, not once`);
  return parts.join(INDEX_MARKER);
}

const full = engineVariant(args.full, "null");
const outputs = {
  "papersift.js": await classic(args.full),
  "papersift.mjs": await bundle("index.js", { format: "esm" }, [full]),
  "papersift.cjs": await bundle("index.js", { format: "cjs" }, [full]),
  "papersift.node.mjs": await bundle("index.js", { format: "esm", node: true }, [engineVariant(args.full, "null", "esm-file")]),
  "papersift.node.cjs": await bundle("index.js", { format: "cjs", node: true }, [engineVariant(args.full, "null", "cjs-file")]),
  "element.mjs": await bundle("register.js", { format: "esm" }, [packageExternal]),
  "papersift-engine.js": await classic(args.engine),
  "papersift.d.ts": readFileSync(js("papersift.d.ts"), "utf8"),
};
if (args.builder) {
  // The builder's wasm-bindgen output has the engine's file names (--out-name papersift), so the
  // same plugin supplies its glue and wasm; it has no index slot.
  outputs["papersift-builder.js"] = await bundle("builder-script.js", { format: "iife", minify: true }, [engineVariant(args.builder, "null")]);
}

mkdirSync(args.out, { recursive: true });
for (const [name, text] of Object.entries(outputs)) writeFileSync(join(args.out, name), text);
copyFileSync(resolve(args.full, "papersift_bg.wasm"), join(args.out, NODE_WASM));

/** The one page template, shared with `papersift build` (crates/papersift-cli/src/site.rs). */
function fillPage(slots) {
  const template = readFileSync(join(root, "www", "template.html"), "utf8");
  return template.replace(/\{\{(\w+)\}\}/g, (_, name) => {
    if (!(name in slots)) throw new Error(`papersift: www/template.html has {{${name}}}, which bundle.mjs does not fill`);
    return slots[name];
  });
}

if (args.www) {
  mkdirSync(args.www, { recursive: true });
  copyFileSync(join(args.out, "papersift.js"), join(args.www, "papersift.js"));
  if (args.builder) copyFileSync(join(args.out, "papersift-builder.js"), join(args.www, "papersift-builder.js"));
  writeFileSync(
    join(args.www, "index.html"),
    fillPage({
      title: "papersift — instant offline paper search",
      heading: "papersift",
      intro: "Instant, offline, typo-tolerant search over the Daily Papers corpus.",
    })
  );
}
for (const [name, text] of Object.entries(outputs)) {
  console.log(`  ${join(args.out, name)}  ${Buffer.byteLength(text).toLocaleString("en")} bytes`);
}
