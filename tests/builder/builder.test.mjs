// The in-browser builder (dist/papersift-builder.js) run in Node: the classic script defines
// PapersiftBuilder, its index loads with Papersift.fromBytes, and it writes the same bytes as
// `papersift build` for the same file. scripts/build.sh writes dist/; scripts/test.sh builds the CLI.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { runInThisContext } from "node:vm";
import { join, basename } from "node:path";
import { repo, fixture, buildSite } from "../browser/helpers.mjs";
import { Papersift } from "../../dist/papersift.mjs";

/** Runs the classic script as a page's <script> would, and returns the globals it added. */
function loadBuilderScript() {
  const before = new Set(Object.keys(globalThis));
  runInThisContext(readFileSync(join(repo, "dist", "papersift-builder.js"), "utf8"), { filename: "papersift-builder.js" });
  return Object.keys(globalThis).filter((key) => !before.has(key));
}

const added = loadBuilderScript();
const { PapersiftBuilder } = globalThis;
const bytesOf = (path) => new Uint8Array(readFileSync(path));

test("the script defines only PapersiftBuilder, with build and the package version", () => {
  assert.deepEqual(added, ["PapersiftBuilder"]);
  assert.equal(typeof PapersiftBuilder.build, "function");
  assert.equal(PapersiftBuilder.version, JSON.parse(readFileSync(join(repo, "package.json"), "utf8")).version);
});

test("a .bib file becomes an index that Papersift.fromBytes loads and searches", async () => {
  const { index, report } = await PapersiftBuilder.build(bytesOf(fixture("papers.bib")), "papers.bib");
  assert.ok(index instanceof Uint8Array);
  assert.deepEqual(report, { read: 4, indexed: 4, skipped: 0, errors: [] });
  const ps = await Papersift.fromBytes(index);
  assert.equal(ps.stats().docs, 4);
  const [best] = ps.search("translaton from designers", { limit: 1 });
  assert.equal(best.title, "Machine translation from designers to users: management problems and solutions");
});

// Not the same bytes: the fst crate hashes its node cache with the pointer width, so a wasm32
// build minimizes the term dictionary slightly differently. Everything a search sees is the same.
for (const name of ["papers.bib", "papers.jsonl", "papers.json", "papers.csv", "papers.jsonl.gz", "latex_accents.bib", "papers_real.bib", "papers.ris", "papers.csl.json", "zotero.csv", "arxiv.xml"]) {
  test(`${name} indexed in the browser builder answers exactly as \`papersift build\`'s index`, async () => {
    const native = await Papersift.fromBytes(readFileSync(join(buildSite(fixture(name)), "papersift.idx")));
    const built = await Papersift.fromBytes((await PapersiftBuilder.build(bytesOf(fixture(name)), name)).index);
    const { docs, terms } = native.stats();
    assert.deepEqual([built.stats().docs, built.stats().terms], [docs, terms]);
    const ids = new Set();
    for (const query of ["translation", "safe vision models", "mergng", "author:xu", "year:2020..", "schrodinger", "the", "a"]) {
      const answer = (ps) => ps.results(query, { limit: 20, facets: true });
      assert.deepEqual(answer(built), answer(native), `${name}: ${query}`);
      for (const hit of answer(native).hits) ids.add(hit.id);
    }
    assert.ok(ids.size > 0, "the queries found nothing to compare");
    for (const id of ids) assert.equal(built.citation(id), native.citation(id));
  });
}

test("with skipInvalid, bad records are left out and listed as file:line: field: reason", async () => {
  const { index, report } = await PapersiftBuilder.build(bytesOf(fixture("bad", "unclosed.bib")), "unclosed.bib", { skipInvalid: true });
  assert.deepEqual(report, {
    read: 3,
    indexed: 2,
    skipped: 1,
    errors: ["unclosed.bib:6: entry is never closed; add the missing `}` (or remove an extra `{`)"],
  });
  const ps = await Papersift.fromBytes(index);
  assert.equal(ps.search("deep belief nets", { limit: 1 })[0].id, "hinton2006");
});

test("without skipInvalid, a bad record rejects with a papersift: error naming its line and field", async () => {
  await assert.rejects(PapersiftBuilder.build(bytesOf(fixture("bad", "bad_field.bib")), "refs.bib"), (error) => {
    assert.ok(error instanceof Error);
    const [summary, ...records] = error.message.split("\n");
    assert.match(summary, /^papersift: 1 of 2 records are invalid, so no index was made; .*\{ skipInvalid: true \}/);
    assert.deepEqual(records, ['  refs.bib:8: year: "to appear" is not a year; expected an integer or a string holding a year, like 2023']);
    return true;
  });
});

test("wrong arguments are TypeErrors that name what was wrong", async () => {
  const bib = bytesOf(fixture("papers.bib"));
  await assert.rejects(PapersiftBuilder.build("@article{a}", "a.bib"), { name: "TypeError", message: /^papersift: .*expects a Uint8Array or ArrayBuffer, got string/ });
  await assert.rejects(PapersiftBuilder.build(bib), { name: "TypeError", message: /^papersift: .*needs the file's name/ });
  await assert.rejects(PapersiftBuilder.build(bib, "a.bib", { skipinvalid: true }), { message: /^papersift: unknown build option `skipinvalid`/ });
  await assert.rejects(PapersiftBuilder.build(bib, "a.bib", { skipInvalid: "yes" }), { message: /^papersift: build option skipInvalid must be a boolean, got string/ });
  const { report } = await PapersiftBuilder.build(bib.buffer.slice(bib.byteOffset, bib.byteOffset + bib.byteLength), basename("x/papers.bib"));
  assert.equal(report.indexed, 4, "an ArrayBuffer is accepted");
});
