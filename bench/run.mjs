#!/usr/bin/env node
// papersift against MiniSearch, FlexSearch, lunr, Fuse.js, Orama and Pagefind, in one run.
//
//   npm run bench                 everything (the single-file part took 36 minutes on 2 cores, the
//                                 sharded part 30 with its sites reused); writes docs/bench/ and
//                                 the "Against the peers" and "Sharded sites against the peers"
//                                 sections of docs/BENCHMARKS.md
//   npm run bench -- --quick      daily_papers and scifact, relevance on scifact and med, the sharded
//                                 site of scifact, fewer queries and repeats (~5 min); writes to
//                                 $TMPDIR/papersift-bench-quick unless --out DIR
//   node bench/run.mjs --tiny --out DIR   committed data only, seconds; what bench/smoke.test.mjs runs
//   --no-browser                  skip Chromium and Pagefind
//   --report                      only rewrite the doc sections and charts from results.json and
//                                 sharded.json (with --sections, only those)
//   --corpora a,b  --judged a,b   only these corpora (timed) and judged sets (relevance; `none` for
//                                 none) of /work/shared/data, with the mode's query counts
//   --peers MiniSearch,lunr       only these peers beside papersift (`none` for papersift alone)
//   --sections peers,sharded      only these parts: `peers` (single-file index against every peer,
//                                 results.json) and `sharded` (sharded sites against MiniSearch and
//                                 Pagefind in Chromium, sharded.json)
//   --sharded a,b                 the sharded part's corpora: folders of the shared data, or
//                                 synth_1m (synth_papers.py 1000000, generated once into ../scale-data)
//
// The sharded part keeps the sites it builds in ../scale-data/sites (or $PAPERSIFT_SCALE_DATA/sites)
// and reuses one whose records, CLI, engine script and arguments are unchanged (--tiny keeps none).
//
// Corpora come from ../shared/data (or $PAPERSIFT_DATA); without them the run stops and says so.
import { mkdirSync, mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { tmpdir, loadavg } from "node:os";
import { repo, dataDir, cliBin, scaleDir } from "./lib/paths.mjs";
import { loadRecords, recordsFile, queryClasses, loadJudged, typoQueries, scoreRankings } from "./lib/corpus.mjs";
import { nodePeers as allPeers, papersift, papersiftExact, version } from "./lib/engines.mjs";
import { runChild, sizes, addSizes, treeSizes, timedWithRss, peerBundle, bundleSources, machine, chromiumVersion, gitDescribe } from "./lib/measure.mjs";
import { writeReport, writeShardedReport } from "./lib/report.mjs";
import { buildPagefind as buildPagefindSite } from "./lib/sites.mjs";
import { shardedSection } from "./lib/sharded.mjs";

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : null; };
const mode = flag("--tiny") ? "tiny" : flag("--quick") ? "quick" : "full";
const browserOn = !flag("--no-browser");
// Only a full run publishes (docs/bench/ and docs/BENCHMARKS.md); --quick and --tiny write to a
// temp folder unless --out says where, so a quick look never overwrites the published numbers.
const outDir = option("--out") ?? (mode === "full" ? join(repo, "docs", "bench") : join(tmpdir(), `papersift-bench-${mode}`));
const writeDoc = !option("--out") && mode === "full";

// What each mode runs. Budgets keep a slow peer from hanging the run: it gets "did not finish".
const plans = {
  full: {
    corpora: ["daily_papers", "scifact", "acl_anthology", "arxiv_cs_daily"], judged: ["scifact", "cranfield", "cisi", "med"],
    queries: 200, repeats: 3, startups: 3, browserStartups: 3, classBudgetMs: 8000, relevanceBudgetMs: 25000,
    buildTimeoutMs: 150000, measureTimeoutMs: 240000, maxOldMiB: 8192, pagefindCorpora: ["daily_papers", "scifact", "acl_anthology", "arxiv_cs_daily"],
    sharded: ["arxiv_cs_daily", "synth_1m"], shardedQueries: 50, shardedRuns: 3, shardedWarmBudgetMs: 20000, shardedBuildTimeoutMs: 300000, pagefindMaxMemoryMiB: 12288,
  },
  quick: {
    corpora: ["daily_papers", "scifact"], judged: ["scifact", "med"],
    queries: 50, repeats: 1, startups: 1, browserStartups: 1, classBudgetMs: 4000, relevanceBudgetMs: 10000,
    buildTimeoutMs: 60000, measureTimeoutMs: 90000, maxOldMiB: 8192, pagefindCorpora: ["daily_papers", "scifact"],
    sharded: ["scifact"], shardedQueries: 20, shardedRuns: 1, shardedWarmBudgetMs: 8000, shardedBuildTimeoutMs: 60000, pagefindMaxMemoryMiB: 12288,
  },
  tiny: {
    corpora: ["daily_papers"], judged: ["fixture"],
    queries: 10, repeats: 1, startups: 1, browserStartups: 1, classBudgetMs: 2000, relevanceBudgetMs: 5000,
    buildTimeoutMs: 30000, measureTimeoutMs: 30000, maxOldMiB: 2048, pagefindCorpora: ["daily_papers"],
    sharded: ["daily_papers"], shardedQueries: 10, shardedRuns: 1, shardedWarmBudgetMs: 4000, shardedBuildTimeoutMs: 30000, pagefindMaxMemoryMiB: 4096,
  },
};
const plan = { ...plans[mode] };
const list = (name) => (option(name) === "none" ? [] : option(name)?.split(",").map((x) => x.trim()).filter(Boolean));
if (option("--corpora")) plan.corpora = list("--corpora");
if (option("--judged")) plan.judged = list("--judged");
if (option("--corpora") || option("--judged")) plan.pagefindCorpora = plan.pagefindCorpora.filter((n) => plan.corpora.includes(n));
if (option("--sharded")) plan.sharded = list("--sharded");
const sections = option("--sections") ? list("--sections") : ["peers", "sharded"];
const unknownSections = sections.filter((x) => x !== "peers" && x !== "sharded");
if (unknownSections.length) {
  console.error(`bench: unknown section ${unknownSections.join(", ")}; the sections are peers and sharded`);
  process.exit(2);
}
const runPeers = sections.includes("peers");
const runSharded = sections.includes("sharded") && plan.sharded.length > 0;
const peerNames = option("--peers") ? list("--peers") : null;
const unknownPeers = (peerNames ?? []).filter((n) => !allPeers.some((p) => p.name === n));
if (unknownPeers.length) {
  console.error(`bench: unknown peer ${unknownPeers.join(", ")}; the peers are ${allPeers.map((p) => p.name).join(", ")}`);
  process.exit(2);
}
const nodePeers = peerNames ? allPeers.filter((p) => peerNames.includes(p.name)) : allPeers;

// --report: write the doc and charts again from an earlier results.json (after editing NOTES.md).
const docPath = writeDoc ? join(repo, "docs", "BENCHMARKS.md") : join(outDir, "BENCHMARKS.md");
if (flag("--report")) {
  if (runPeers) {
    const results = JSON.parse(readFileSync(join(outDir, "results.json"), "utf8"));
    writeReport(results, { outDir, docPath, notesPath: join(repo, "bench", "NOTES.md") });
    console.log(`bench: wrote the report from ${join(outDir, "results.json")}`);
  }
  if (sections.includes("sharded") && existsSync(join(outDir, "sharded.json"))) {
    const peersResults = join(outDir, "results.json");
    writeShardedReport(JSON.parse(readFileSync(join(outDir, "sharded.json"), "utf8")),
      { outDir, docPath, notesPath: join(repo, "bench", "NOTES-sharded.md"), peersDate: existsSync(peersResults) ? JSON.parse(readFileSync(peersResults, "utf8")).meta.date : null });
    console.log(`bench: wrote the sharded report from ${join(outDir, "sharded.json")}`);
  }
  process.exit(0);
}
const BM25 = { scifact: 0.640, cranfield: 0.306, cisi: 0.254, med: 0.751 };

// Where each corpus's records (and judgments) are.
function corpusDir(name) {
  if (mode === "tiny") {
    if (name === "daily_papers") return { records: join(repo, "data", "daily_papers.txt") };
    if (name === "fixture") return { records: join(repo, "tests", "fixtures", "papers.jsonl"), judged: join(repo, "bench", "fixtures") };
  }
  const dir = join(dataDir, name);
  return { records: recordsFile(dir), judged: existsSync(join(dir, "qrels.tsv")) ? dir : null };
}

if (mode !== "tiny") {
  const missing = runPeers ? [...new Set([...plan.corpora, ...plan.judged])].filter((n) => !corpusDir(n).records) : [];
  if (missing.length) {
    console.error(`bench: the data sets ${missing.join(", ")} are missing from ${dataDir}.\n` +
      "bench: they are not in the repository; CI has them in ../shared/data. Set PAPERSIFT_DATA to their folder, " +
      "or run `node bench/run.mjs --tiny --out DIR` for the committed data only.");
    process.exit(2);
  }
}

const started = Date.now();
const work = mkdtempSync(join(tmpdir(), "papersift-bench-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
const log = (...xs) => console.log(`bench [${((Date.now() - started) / 1000).toFixed(0)} s]`, ...xs);
mkdirSync(outDir, { recursive: true });

// The binary: the release CLI, built here if missing (cargo keeps it current); --tiny may use a debug one.
function papersiftBinary() {
  if (process.env.PAPERSIFT_BENCH_BIN) return process.env.PAPERSIFT_BENCH_BIN;
  if (mode === "tiny") {
    for (const p of [process.env.PAPERSIFT_BIN, cliBin, join(repo, "target", "debug", "papersift")]) if (p && existsSync(p)) return p;
  }
  log("building the release CLI (cargo build --release -p papersift-cli)");
  execFileSync("cargo", ["build", "--release", "-p", "papersift-cli", "--quiet"], { cwd: repo, stdio: "inherit" });
  return cliBin;
}
const bin = papersiftBinary();
// Typo'd queries, query classes and metrics come from this same binary, here and in the children.
process.env.PAPERSIFT_BENCH_BIN = bin;
for (const f of ["dist/papersift.mjs", "dist/papersift-engine.js"]) {
  if (!existsSync(join(repo, f))) { console.error(`bench: ${f} is missing; run \`npm run build\` first`); process.exit(2); }
}

const results = {
  meta: {
    date: new Date().toISOString(), mode, command: args.length === 0 ? "npm run bench" : args.length === 1 && mode === "quick" ? "npm run bench -- --quick" : `node bench/run.mjs ${args.join(" ")}`,
    loadavgAtStart: loadavg().map((x) => Number(x.toFixed(2))),
    machine: machine(), node: process.version, chromium: browserOn ? chromiumVersion() : null, papersiftBinary: bin.replace(repo + "/", ""),
    papersift: { version: JSON.parse(readFileSync(join(repo, "package.json"), "utf8")).version, git: gitDescribe() },
    versions: Object.fromEntries([...nodePeers.map((p) => [p.name, version(p.pkg)]), ["Pagefind", version("pagefind")], ["esbuild", version("esbuild")], ["playwright-core", version("playwright-core")]]),
    plan, engines: Object.fromEntries([papersift, papersiftExact, ...nodePeers].map((e) => [e.name, { stores: e.stores, config: e.note }])),
    bundles: Object.fromEntries(Object.entries(bundleSources).map(([k, v]) => [k, v.note])),
    bm25: BM25,
  },
  corpora: {},
  relevance: {},
  wallSeconds: null,
};

const slug = (s) => s.replace(/[^A-Za-z0-9]+/g, "-");
const peerBundles = {};
for (const peer of nodePeers) {
  const file = join(work, `${slug(peer.name)}.lib.js`);
  peerBundles[peer.name] = { file, sizes: sizes(await peerBundle(peer.name, file)) };
}
const childOpts = (timeoutMs) => ({ timeoutMs, maxOldMiB: plan.maxOldMiB });

/** papersift build under /usr/bin/time: { dir, build, bytes } or { failed }. */
async function buildPapersift(name, records) {
  const dir = join(work, `papersift-${name}`);
  // One file, sharded or not: the Node figures load it with fromBytes and search synchronously.
  const build = await timedWithRss(bin, ["build", records, "-o", dir, "--skip-invalid", "--shards", "off"], { timeoutMs: plan.buildTimeoutMs * 2 });
  if (build.failed) return { failed: build.failed };
  const script = sizes(readFileSync(join(dir, "papersift.js")));
  const idx = sizes(readFileSync(join(dir, "papersift.idx")));
  return { dir, build, bytes: { total: script, index: idx, file: "papersift.js from `papersift build` (engine + index as base64)" } };
}

/** Builds a peer's serialized index in a child: { index, build, bytes } or { failed }. */
async function buildPeer(peer, name, records) {
  const index = join(work, `${slug(peer.name)}-${name}.json`);
  const build = await runChild({ kind: "build", engine: peer.name, records, out: index }, join(work, `task-${slug(peer.name)}-${name}-build.json`), childOpts(plan.buildTimeoutMs));
  if (build.failed) return { failed: build.failed };
  const idx = sizes(readFileSync(index));
  const lib = peerBundles[peer.name].sizes;
  return { index, build: { wallMs: build.buildMs, peakRssMiB: build.peakRssMiB }, bytes: { total: addSizes(lib, idx), index: idx, library: lib } };
}

// Big corpora take seconds per load for some peers: one cold start-up there, not three.
const bigCorpora = new Set();
const startupsFor = (name) => (bigCorpora.has(name) ? 1 : plan.startups);

/** Node figures for one engine over one index: latency child plus extra cold start-ups. */
async function nodeFigures(engine, name, index, classes) {
  const base = join(work, `task-${slug(engine.name)}-${name}`);
  const lat = await runChild({ kind: "latency", engine: engine.name, index, classes, repeats: plan.repeats, budgetMs: plan.classBudgetMs, startupRepeats: startupsFor(name) },
    `${base}-latency.json`, childOpts(plan.measureTimeoutMs));
  if (lat.failed) return { failed: lat.failed };
  const colds = [lat.coldMs];
  for (let i = 1; i < startupsFor(name); i++) {
    const s = await runChild({ kind: "startup", engine: engine.name, index, firstQuery: classes.exact[0] }, `${base}-startup.json`, childOpts(plan.measureTimeoutMs));
    if (!s.failed) colds.push(s.coldMs);
  }
  colds.sort((a, b) => a - b);
  return { ...lat, coldMs: colds[Math.floor((colds.length - 1) / 2)], coldRuns: colds.length };
}

// Pagefind indexes HTML: one page per paper (bench/lib/sites.mjs), in the run's temp folder.
const buildPagefind = (name, records) =>
  buildPagefindSite({ records, site: join(work, `pagefind-${name}`), timeoutMs: plan.buildTimeoutMs * 2 });

const { startup: browserStartup, latencyInPage, rankingsInPage, startupPage, pageSearch, serve, chromium } = await import("./lib/browser.mjs");
let browser = null;
if (browserOn) {
  try { browser = (await chromium()).browser; } catch (e) { results.meta.chromium = `failed: ${e.message.split("\n")[0]}`; }
}

/** Chromium start-up (and latency for papersift and Pagefind) for one corpus. */
async function browserFigures(name, engines, classes) {
  const root = join(work, `www-${name}`);
  const out = {};
  for (const [engine, files] of Object.entries(engines)) {
    const dir = join(root, slug(engine));
    mkdirSync(dir, { recursive: true });
    for (const [target, source] of Object.entries(files.copy ?? {})) execFileSync("cp", ["-r", source, join(dir, target)]);
    writeFileSync(join(dir, "bench.html"), startupPage(engine, classes.exact[0]));
  }
  const server = await serve(root);
  try {
    for (const engine of Object.keys(engines)) {
      const url = `${server.url}/${slug(engine)}/bench.html`;
      const timeoutMs = Math.min(plan.measureTimeoutMs, 120000);
      out[engine] = { startup: await browserStartup(browser, url, bigCorpora.has(name) ? 1 : plan.browserStartups, timeoutMs) };
      if (pageSearch[engine] && !out[engine].startup.failed) {
        try {
          out[engine].latency = await latencyInPage(browser, url, classes, pageSearch[engine], { repeats: plan.repeats, budgetMs: plan.classBudgetMs, timeoutMs });
        } catch (e) { out[engine].latency = { failed: e.message.split("\n")[0].slice(0, 200) }; }
      }
      log(`  chromium ${engine}: ${JSON.stringify(out[engine].startup)}`);
    }
  } finally {
    await server.close();
  }
  return out;
}

// ---- the corpora: bytes, build, start-up, latency, heap
for (const name of runPeers ? plan.corpora : []) {
  const { records: recordsPath } = corpusDir(name);
  const records = loadRecords(recordsPath);
  const jsonl = Buffer.from(records.map((r) => JSON.stringify({ id: r.id, title: r.title, abstract: r.abstract })).join("\n"));
  log(`${name}: ${records.length} records`);
  if (records.length > 20000) bigCorpora.add(name);

  // The query classes are drawn by papersift from its own index of the corpus, so it is built first.
  const ps = await buildPapersift(name, recordsPath);
  if (ps.failed) throw new Error(`bench: papersift could not build ${name}, so there are no query classes: ${ps.failed}`);
  const classes = queryClasses(join(ps.dir, "papersift.idx"), plan.queries, 1);
  const corpus = { records: records.length, recordsBytes: sizes(jsonl), examples: Object.fromEntries(Object.entries(classes).map(([k, v]) => [k, v.slice(0, 4)])), engines: {} };
  results.corpora[name] = corpus;
  const browserEngines = {};
  if (ps.failed) {
    corpus.engines[papersift.name] = { failed: ps.failed };
  } else {
    corpus.engines[papersift.name] = { bytes: ps.bytes, build: ps.build };
    const idx = join(ps.dir, "papersift.idx");
    corpus.engines[papersift.name].node = await nodeFigures(papersift, name, idx, classes);
    corpus.engines[papersiftExact.name] = { node: await nodeFigures(papersiftExact, name, idx, classes) };
    browserEngines.papersift = { copy: { "papersift.js": join(ps.dir, "papersift.js") } };
  }
  log(`  papersift: ${JSON.stringify(corpus.engines.papersift.node?.latency?.exact ?? corpus.engines.papersift.failed ?? "")}`);
  for (const peer of nodePeers) {
    const built = await buildPeer(peer, name, recordsPath);
    if (built.failed) { corpus.engines[peer.name] = { failed: built.failed }; log(`  ${peer.name}: ${built.failed}`); continue; }
    corpus.engines[peer.name] = { bytes: built.bytes, build: built.build, node: await nodeFigures(peer, name, built.index, classes) };
    browserEngines[peer.name] = { copy: { "lib.js": peerBundles[peer.name].file, "index.json": built.index } };
    log(`  ${peer.name}: built in ${(built.build.wallMs / 1000).toFixed(1)} s; ${JSON.stringify(corpus.engines[peer.name].node.latency?.exact ?? corpus.engines[peer.name].node.failed)}`);
  }
  if (browser) {
    if (plan.pagefindCorpora.includes(name)) {
      const pf = await buildPagefind(name, records);
      corpus.engines.Pagefind = pf.failed ? { failed: pf.failed } : { bytes: pf.bytes, build: pf.build };
      if (!pf.failed) browserEngines.Pagefind = { copy: { pagefind: join(pf.site, "pagefind") } };
    }
    const chromiumFigures = await browserFigures(name, browserEngines, classes);
    for (const [engine, figures] of Object.entries(chromiumFigures)) {
      corpus.engines[engine] = { ...(corpus.engines[engine] ?? {}), chromium: figures };
    }
    rmSync(join(work, `www-${name}`), { recursive: true, force: true });
    rmSync(join(work, `pagefind-${name}`), { recursive: true, force: true });
  }
  for (const peer of nodePeers) rmSync(join(work, `${slug(peer.name)}-${name}.json`), { force: true });
  writeFileSync(join(outDir, "results.json"), JSON.stringify(results, null, 1));
}

// ---- relevance on the judged sets (and scifact with one seeded typo per query)
for (const name of runPeers ? plan.judged : []) {
  const { records: recordsPath, judged } = corpusDir(name);
  const set = {};
  results.relevance[name] = set;
  const typoSeed = name === "scifact" || name === "fixture" ? 1 : null;
  const relTask = (engine, index) => ({ kind: "relevance", engine, index, set: judged, typoSeed, budgetMs: plan.relevanceBudgetMs });
  const ps = await buildPapersift(`rel-${name}`, recordsPath);
  if (ps.failed) set.papersift = { failed: ps.failed };
  else {
    const idx = join(ps.dir, "papersift.idx");
    set.papersift = await runChild(relTask(papersift.name, idx), join(work, `rel-ps-${name}.json`), childOpts(plan.measureTimeoutMs));
    if (mode !== "quick") set[papersiftExact.name] = await runChild(relTask(papersiftExact.name, idx), join(work, `rel-pse-${name}.json`), childOpts(plan.measureTimeoutMs));
  }
  for (const peer of nodePeers) {
    const built = await buildPeer(peer, `rel-${name}`, recordsPath);
    set[peer.name] = built.failed ? { failed: built.failed }
      : await runChild(relTask(peer.name, built.index), join(work, `rel-${slug(peer.name)}-${name}.json`), childOpts(plan.measureTimeoutMs));
    if (!built.failed) rmSync(built.index, { force: true });
  }
  if (browser) set.Pagefind = await pagefindRelevance(name, recordsPath, judged, typoSeed);
  log(`relevance ${name}: ${Object.entries(set).map(([k, v]) => `${k} ${v.relevance?.ndcg10?.toFixed(3) ?? v.failed ?? v.relevance?.failed}`).join("; ")}`);
  writeFileSync(join(outDir, "results.json"), JSON.stringify(results, null, 1));
}

/** Pagefind's rankings come from Chromium: build, serve, search each judged query, map urls to ids. */
async function pagefindRelevance(name, recordsPath, judgedDir, typoSeed) {
  const records = loadRecords(recordsPath);
  const pf = await buildPagefind(`rel-${name}`, records);
  if (pf.failed) return { failed: pf.failed };
  writeFileSync(join(pf.site, "bench.html"), startupPage("Pagefind", "search"));
  const server = await serve(pf.site);
  const { queries, qrels } = loadJudged(judgedDir);
  const out = {};
  try {
    const runs = [["relevance", queries]];
    if (typoSeed != null) runs.push(["relevanceTypo", typoQueries(join(judgedDir, "queries.jsonl"), typoSeed)]);
    for (const [cls, qs] of runs) {
      const judgedQs = qs.filter((q) => qrels.get(q.id) && [...qrels.get(q.id).values()].some((r) => r > 0));
      const { partial, rankings } = await rankingsInPage(browser, `${server.url}/bench.html`, judgedQs, pageSearch.Pagefind,
        { budgetMs: plan.relevanceBudgetMs, timeoutMs: plan.measureTimeoutMs });
      if (partial) { out[cls] = { failed: `did not finish in ${plan.relevanceBudgetMs / 1000} s (${Object.keys(rankings).length} queries done)` }; continue; }
      const runs = judgedQs.map((q) => ({ id: q.id, ranking: rankings[q.id].map((url) => pf.ids[Number(/\/p\/(\d+)\//.exec(url)?.[1])]) }));
      const n = judgedQs.length;
      const noHit = judgedQs.filter((q) => rankings[q.id].length === 0).length / n;
      out[cls] = { ...scoreRankings(join(judgedDir, "qrels.tsv"), runs), skipped: qs.length - n, noHit, note: "over http in Chromium" };
    }
  } catch (e) {
    return { failed: e.message.split("\n")[0].slice(0, 200) };
  } finally {
    await server.close();
    rmSync(pf.site, { recursive: true, force: true });
  }
  return out;
}

if (runPeers) {
  results.wallSeconds = Math.round((Date.now() - started) / 1000);
  results.meta.loadavgAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
  writeFileSync(join(outDir, "results.json"), JSON.stringify(results, null, 1));
  writeReport(results, { outDir, docPath, notesPath: join(repo, "bench", "NOTES.md") });
}

// ---- sharded sites against MiniSearch and Pagefind, in Chromium (sharded.json)
if (runSharded) {
  if (!browser) {
    log(`sharded: skipped (${browserOn ? `no Chromium: ${results.meta.chromium}` : "--no-browser"})`);
  } else {
    const t0 = Date.now();
    const cacheDir = mode === "tiny" ? join(work, "sites") : join(scaleDir, "sites");
    const record = ({ corpora, loadavg: loads }) => {
      const sharded = {
        meta: { ...results.meta, versions: { ...results.meta.versions, MiniSearch: version("minisearch"), Pagefind: version("pagefind") }, date: new Date(t0).toISOString(), cacheDir: mode === "tiny" ? null : cacheDir, loadavg: loads, loadavgAtEnd: loadavg().map((x) => Number(x.toFixed(2))) },
        corpora, wallSeconds: Math.round((Date.now() - t0) / 1000),
      };
      writeFileSync(join(outDir, "sharded.json"), JSON.stringify(sharded, null, 1));
      return sharded;
    };
    const sharded = record(await shardedSection({ names: plan.sharded, plan, bin, browser, work, log, cacheDir, tiny: mode === "tiny", childOpts, done: record }));
    const peersResults = join(writeDoc ? join(repo, "docs", "bench") : outDir, "results.json");
    writeShardedReport(sharded, { outDir, docPath, notesPath: join(repo, "bench", "NOTES-sharded.md"), peersDate: !runPeers && existsSync(peersResults) ? JSON.parse(readFileSync(peersResults, "utf8")).meta.date : null });
  }
}

if (browser) await browser.close();
log(`done in ${Math.round((Date.now() - started) / 1000)} s; wrote ${outDir}${writeDoc ? " and docs/BENCHMARKS.md" : ""}`);
