// The npm package as a user gets it: `npm pack`, install the tarball into an empty project,
// and use it from Node 20 (ESM and CommonJS) with no Rust and no network.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repo, fixture, tempDir, buildSite } from "../browser/helpers.mjs";

let project;
let packed;

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

before(() => {
  const packDir = tempDir("pack");
  packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", packDir], repo))[0];
  project = tempDir("consumer");
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--offline", join(packDir, packed.filename)], project);
});

test("the tarball holds only the whitelisted files", () => {
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files, [
    "README.md",
    "bin/papersift.mjs",
    "dist/element.mjs",
    "dist/papersift-builder.js",
    "dist/papersift-cli.wasm",
    "dist/papersift-engine.js",
    "dist/papersift.cjs",
    "dist/papersift.d.ts",
    "dist/papersift.js",
    "dist/papersift.mjs",
    "dist/papersift.node.cjs",
    "dist/papersift.node.mjs",
    "dist/papersift.wasm",
    "package.json",
  ]);
});

test("an empty project imports papersift in Node 20, searches the embedded corpus, and loads another index from bytes", () => {
  const site = buildSite(fixture("papers.bib"));
  writeFileSync(join(project, "main.mjs"), `
import { readFileSync } from "node:fs";
import { Papersift } from "papersift";
import Default from "papersift";
const ps = await Papersift.embedded();
const hits = ps.search("model merging", { limit: 3 });
const other = await Papersift.fromBytes(readFileSync(${JSON.stringify(join(site, "papersift.idx"))}));
const translation = other.search("translaton", { limit: 5 });
let error = null;
try { await Papersift.fromBytes(new Uint8Array([0])); } catch (e) { error = e.message; }
console.log(JSON.stringify({
  same: Default === Papersift,
  hits: hits.map((h) => [h.title, h.title.slice(...h.highlights[0])]),
  translation: translation.map((h) => h.title),
  error,
}));
`);
  const out = JSON.parse(run(process.execPath, ["main.mjs"], project));
  assert.equal(out.same, true);
  assert.ok(out.hits.length > 0 && out.hits.length <= 3);
  assert.ok(out.hits.some(([, marked]) => /^(model|merging)$/i.test(marked)), JSON.stringify(out.hits));
  assert.ok(out.translation.some((t) => /machine translation/i.test(t)), JSON.stringify(out.translation));
  assert.match(out.error, /^papersift: /);
});

test("require('papersift') works from CommonJS", () => {
  writeFileSync(join(project, "main.cjs"), `
const { Papersift } = require("papersift");
Papersift.embedded().then((ps) => console.log(ps.stats().docs));
`);
  assert.ok(Number(run(process.execPath, ["main.cjs"], project)) > 0);
});

test("Node gets the entries that read the wasm file beside them, and they answer as the inlined ones do", () => {
  writeFileSync(join(project, "entries.mjs"), `
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const queries = ["model merging", "translaton", "diffusion 2023", "graph neural"];
const answers = async (Papersift) => {
  const ps = await Papersift.embedded();
  return queries.map((q) => ps.search(q, { limit: 5 }));
};
const dist = (entry) => new URL(entry, import.meta.resolve("papersift/package.json")).href;
console.log(JSON.stringify({
  imported: import.meta.resolve("papersift"),
  required: require.resolve("papersift"),
  node: await answers((await import("papersift")).Papersift),
  nodeCjs: await answers(require("papersift").Papersift),
  inlined: await answers((await import(dist("./dist/papersift.mjs"))).Papersift),
}));
`);
  const out = JSON.parse(run(process.execPath, ["entries.mjs"], project));
  assert.match(out.imported, /\/dist\/papersift\.node\.mjs$/);
  assert.match(out.required, /\/dist\/papersift\.node\.cjs$/);
  assert.ok(out.inlined.every((hits) => hits.length > 0), JSON.stringify(out.inlined));
  assert.deepEqual(out.node, out.inlined);
  assert.deepEqual(out.nodeCjs, out.inlined);
});

test("a Node entry without its wasm file says which file it needs", () => {
  const copy = tempDir("no-wasm");
  for (const name of ["papersift.node.mjs", "package.json"]) {
    writeFileSync(join(copy, name), name === "package.json" ? JSON.stringify({ type: "module" }) : readFileSync(join(repo, "dist", name)));
  }
  writeFileSync(join(copy, "main.mjs"), `
import { Papersift } from "./papersift.node.mjs";
try { await Papersift.embedded(); console.log("loaded"); } catch (e) { console.log(e.message); }
`);
  assert.match(run(process.execPath, ["main.mjs"], copy), /^papersift: cannot read papersift\.wasm beside this module \(ENOENT/);
});

test("the types declare the whole API", () => {
  const types = readFileSync(join(project, "node_modules", "papersift", "dist", "papersift.d.ts"), "utf8");
  for (const name of ["embedded", "fromBytes", "search", "results", "facets", "suggest", "stats", "citation", "defineElement", "SearchOptions", "Hit", "PapersiftBuilderStatic", "BuildReport"]) {
    assert.match(types, new RegExp(`\\b${name}\\b`), `${name} is not declared`);
  }
});

test("the README's API example runs as written", () => {
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const block = readme.split("<!-- readme-example:")[1]?.match(/```js\n([\s\S]*?)```/)?.[1];
  assert.ok(block, "README.md lost its readme-example block");
  writeFileSync(join(project, "readme.mjs"), block);
  const out = run(process.execPath, ["readme.mjs"], project);
  assert.match(out, /papersift: unknown search option `yearmin`/);
});
