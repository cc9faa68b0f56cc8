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

for (const name of ["papers.bib", "papers.jsonl", "papers.json", "papers.csv", "papers.jsonl.gz", "latex_accents.bib", "papers_real.bib", "papers.ris", "papers.csl.json", "zotero.csv", "arxiv.xml"]) {
  test(`${name} gives the same index bytes in the browser builder as with \`papersift build\``, async () => {
    const native = readFileSync(join(buildSite(fixture(name)), "papersift.idx"));
    const { index, report } = await PapersiftBuilder.build(bytesOf(fixture(name)), name);
    assert.equal(report.skipped, 0);
    assert.ok(Buffer.from(index).equals(native), `${name}: ${index.length} bytes in the browser, ${native.length} from the CLI`);
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

test("author facets of a built index count papers per author over all matches, and the authors option filters", async () => {
  const ps = await Papersift.fromBytes((await PapersiftBuilder.build(bytesOf(fixture("papers.bib")), "papers.bib")).index);
  const { facets } = ps.results("salient vision safe", { limit: 1, facets: true });
  const authors = new Map(facets.authors);
  assert.equal(authors.get("Xingqian Xu"), 1);
  assert.equal(authors.get("Yu Qiu"), 1);
  assert.ok(facets.authors.every(([, papers], i, all) => i === 0 || all[i - 1][1] >= papers), "not most frequent first");
  const filtered = ps.results("salient vision safe", { limit: 10, facets: true, authors: ["Yu Qiu"] });
  assert.deepEqual(filtered.hits.map((hit) => hit.id), ["2503.16910"]);
  assert.ok(filtered.facets.authors.some(([name]) => name === "Yu Qiu"));
  assert.ok(!filtered.facets.authors.some(([name]) => name === "Xingqian Xu"));
});
