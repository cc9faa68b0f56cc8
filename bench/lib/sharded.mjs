// Sharded sites against the peers: papersift's sharded site (`papersift build --shards on`),
// MiniSearch (its bundle and its whole serialized index) and Pagefind (its own chunked index)
// over the same corpora, in Chromium. Per engine: the bytes and requests until the first result
// and its time, over http and (papersift alone) from file://; the first query of a fresh page
// (cold: nothing of the index loaded beyond what loading the engine takes); and p50/p95 per
// query class once each query has run (warm: pieces, chunks and fragments cached).
import { mkdirSync, writeFileSync, existsSync, renameSync, symlinkSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repo, dataDir, scaleDir, synthTool } from "./paths.mjs";
import { recordsFile, queryClasses } from "./corpus.mjs";
import { runChild, peerBundle } from "./measure.mjs";
import { version, minisearch } from "./engines.mjs";
import { buildKey, cachedBuild, buildPapersiftSite, buildPagefind } from "./sites.mjs";
import { serve, fileUrlPath, openToFirstResult, shardedEngines, shardedPage, coldInPage, latencyInPage } from "./browser.mjs";

/** Why a peer has no file:// figure: it is not left blank. */
export const NO_FILE_MODE = {
  MiniSearch: "no file:// mode: its page fetch()es the serialized index, which Chromium refuses from file://",
  Pagefind: "no file:// mode: pagefind.js loads its index and fragments with fetch(), which Chromium refuses from file://",
};

/** The classes whose first query of a fresh page is timed (cold). */
export const COLD_CLASSES = ["exact", "twoWord", "prefix", "typo"];
/** The classes whose first query is also the first result of a page (bytes, requests, time). */
export const FIRST_CLASSES = ["twoWord", "typo"];

const SYNTH = /^synth_(\d+)(k|m)?$/;

/**
 * The records file of a corpus of the sharded section: `synth_1m` (and `synth_250k`, …) is
 * `synth_papers.py N` in the scale data folder, generated on first use and kept; `daily_papers`
 * in --tiny is the committed dump; anything else is a folder of the shared data.
 */
export function shardedRecords(name, { tiny, log }) {
  if (tiny && name === "daily_papers") return join(repo, "data", "daily_papers.txt");
  const synth = SYNTH.exec(name);
  if (!synth) return recordsFile(join(dataDir, name));
  const file = join(scaleDir, `${name}.jsonl.gz`);
  if (!existsSync(file)) {
    const n = Number(synth[1]) * ({ k: 1e3, m: 1e6 }[synth[2]] ?? 1);
    if (!existsSync(synthTool)) return null;
    log(`${name}: generating ${n.toLocaleString("en")} records (${synthTool})`);
    mkdirSync(scaleDir, { recursive: true });
    const part = join(scaleDir, `${name}.part.jsonl.gz`);
    execFileSync("python3", [synthTool, String(n), "-o", part], { stdio: ["ignore", "ignore", "inherit"] });
    renameSync(part, file);
  }
  return file;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : null; };
const why = (e) => String(e?.message ?? e).split("\n")[0].slice(0, 200);

/** Median time and the request/byte figures of the first run of `runs` loads (they load the same files). */
function summarize(loads) {
  const ok = loads.filter((l) => !l.failed);
  if (!ok.length) return { failed: loads[0]?.failed ?? "no load" };
  const { requests, bytes, gzipped, pieces, hits } = ok[0];
  return { ms: median(ok.map((l) => l.ms)), all: ok.map((l) => l.ms), runs: ok.length, requests, pieces, bytes, gzipped, hits };
}

/**
 * Runs the section over `names`; resolves to `{ corpora: { name: { records, queries, engines } }, loadavg }`.
 * `done(partial)` gets the same after each corpus, so a run that dies later keeps what it measured.
 */
export async function shardedSection({ names, plan, bin, browser, work, log, cacheDir, tiny, childOpts, done = () => {} }) {
  const out = {};
  const loads = [];
  for (const name of names) {
    const at = (when) => loads.push({ corpus: name, when, loadavg: loadavg().map((x) => Number(x.toFixed(2))) });
    at("start");
    const records = shardedRecords(name, { tiny, log });
    if (!records) { out[name] = { failed: `no records for ${name} (looked in ${dataDir} and ${scaleDir})` }; continue; }
    const corpus = { recordsFile: records.replace(repo + "/", ""), engines: {} };
    out[name] = corpus;

    // papersift's sharded site; its titles give the query classes, so it comes first.
    const ps = await buildPapersiftSite({ bin, records, shards: "on", timeoutMs: plan.shardedBuildTimeoutMs * 4, cacheDir, name });
    if (ps.failed) throw new Error(`bench: papersift could not build the sharded site of ${name}: ${ps.failed}`);
    const stats = JSON.parse(execFileSync(bin, ["stats", "--json", ps.dir], { encoding: "utf8" }));
    corpus.records = stats.docs;
    corpus.engines.papersift = {
      build: ps.build, cached: ps.cached ?? null,
      site: { pieces: stats.pieces, rootBytes: stats.root_bytes, indexBytes: stats.bytes, sections: stats.sections },
    };
    log(`sharded ${name}: ${stats.docs} papers, ${stats.pieces} pieces${ps.cached ? ` (site built ${ps.cached}, reused)` : ` (built in ${(ps.build.wallMs / 1000).toFixed(0)} s)`}`);
    const classes = queryClasses(join(ps.dir, "papersift.idx"), plan.shardedQueries, 1);
    corpus.queries = Object.fromEntries(FIRST_CLASSES.map((c) => [c, classes[c][0]]));
    corpus.examples = Object.fromEntries(Object.entries(classes).map(([k, v]) => [k, v.slice(0, 4)]));

    // The peers' indexes, each under its build budget.
    const ms = await cachedBuild(join(cacheDir, `minisearch-${name}`), buildKey(["MiniSearch", version("minisearch"), minisearch.options, { file: records }]), async (dir) => {
      const index = join(dir, "index.json");
      const built = await runChild({ kind: "build", engine: "MiniSearch", records, out: index }, join(work, `task-sharded-ms-${name}.json`), childOpts(plan.shardedBuildTimeoutMs));
      return built.failed ? { failed: built.failed } : { build: { wallMs: built.buildMs, peakRssMiB: built.peakRssMiB } };
    });
    corpus.engines.MiniSearch = ms.failed ? { failed: ms.failed } : { build: ms.build, cached: ms.cached ?? null };
    log(`  MiniSearch: ${ms.failed ?? (ms.cached ? `index built ${ms.cached}, reused` : `built in ${(ms.build.wallMs / 1000).toFixed(0)} s`)}`);
    const pf = await cachedBuild(join(cacheDir, `pagefind-${name}`), buildKey(["Pagefind", version("pagefind"), { file: records }]), (dir) =>
      buildPagefind({ records, site: dir, timeoutMs: plan.shardedBuildTimeoutMs, maxMemoryMiB: plan.pagefindMaxMemoryMiB, sizes: false }));
    corpus.engines.Pagefind = pf.failed ? { failed: pf.failed } : { build: pf.build, cached: pf.cached ?? null };
    log(`  Pagefind: ${pf.failed ?? (pf.cached ? `built ${pf.cached}, reused` : `built in ${(pf.build.wallMs / 1000).toFixed(0)} s`)}`);
    at("built");

    // One folder per engine: its pages, and links to its site's files (a 1M-paper site is not copied).
    const root = join(work, `www-sharded-${name}`);
    const msBundle = join(work, "sharded-MiniSearch.lib.js");
    if (!ms.failed && !existsSync(msBundle)) await peerBundle("MiniSearch", msBundle);
    const files = {
      papersift: { "papersift.js": join(ps.dir, "papersift.js"), papersift: join(ps.dir, "papersift") },
      MiniSearch: ms.failed ? null : { "lib.js": msBundle, "index.json": join(ms.dir, "index.json") },
      Pagefind: pf.failed ? null : { pagefind: join(pf.dir, "pagefind") },
    };
    const engines = Object.keys(files).filter((e) => files[e]);
    for (const engine of engines) {
      const dir = join(root, engine);
      mkdirSync(dir, { recursive: true });
      for (const [target, source] of Object.entries(files[engine])) symlinkSync(source, join(dir, target));
      writeFileSync(join(dir, "ready.html"), shardedPage(engine, "ready"));
      for (const cls of FIRST_CLASSES) writeFileSync(join(dir, `first-${cls}.html`), shardedPage(engine, "first", corpus.queries[cls], cls));
    }
    const server = await serve(root);
    const timeoutMs = Math.min(plan.measureTimeoutMs, 120000);
    const modes = (engine) => [["http", `${server.url}/${engine}/`, server.localPath], ...(engine === "papersift" ? [["file", pathToFileURL(join(root, engine)).href + "/", fileUrlPath]] : [])];
    try {
      // A browser's first page pays for starting its renderer and compiling its first wasm: one
      // load, not counted, before any that is.
      try { const { page } = await openToFirstResult(browser, `${server.url}/papersift/ready.html`, { localPath: server.localPath, timeoutMs }); await page.close(); }
      catch (e) { log(`  warm-up load failed: ${why(e)}`); }
      // The first result: every engine in turn within each run, so that load on the machine
      // falls on all of them alike.
      const first = {};
      for (const cls of FIRST_CLASSES) {
        for (let run = 0; run < plan.shardedRuns; run++) {
          for (const engine of engines) {
            for (const [mode, base, localPath] of modes(engine)) {
              const slot = ((first[engine] ??= {})[cls] ??= {})[mode] ??= [];
              try {
                const { page, first: f } = await openToFirstResult(browser, `${base}first-${cls}.html`, { localPath, timeoutMs });
                await page.close();
                // Index files: papersift's pieces, Pagefind's files, beside the engine's page.
                slot.push({ ...f, pieces: f.urls.filter((u) => /^(papersift|pagefind)\//.test(u.slice(base.length))).length });
              } catch (e) { slot.push({ failed: why(e) }); }
            }
          }
        }
      }
      for (const engine of engines) {
        corpus.engines[engine].firstResult = Object.fromEntries(FIRST_CLASSES.map((cls) => [cls, {
          ...Object.fromEntries(Object.entries(first[engine][cls]).map(([mode, l]) => [mode, summarize(l)])),
          ...(NO_FILE_MODE[engine] ? { file: { unsupported: NO_FILE_MODE[engine] } } : {}),
        }]));
        log(`  ${engine} first result: ${JSON.stringify(Object.fromEntries(FIRST_CLASSES.map((c) => [c, Object.fromEntries(Object.entries(corpus.engines[engine].firstResult[c]).map(([m, v]) => [m, v.ms != null ? `${v.ms.toFixed(0)} ms, ${v.gzipped} B gz` : v.failed ?? "n/a"]))])))}`);
      }
      at("first result");
      // Cold, then warm, engine by engine.
      const coldQueries = Object.fromEntries(COLD_CLASSES.map((c) => [c, classes[c].slice(0, plan.shardedRuns)]));
      for (const engine of engines) {
        const url = `${server.url}/${engine}/ready.html`;
        try { corpus.engines[engine].cold = await coldInPage(browser, url, coldQueries, shardedEngines[engine].search, { timeoutMs }); }
        catch (e) { corpus.engines[engine].cold = { failed: why(e) }; }
        try {
          corpus.engines[engine].warm = await latencyInPage(browser, url, classes, shardedEngines[engine].search,
            { repeats: plan.repeats, budgetMs: plan.classBudgetMs, timeoutMs, warmBudgetMs: plan.shardedWarmBudgetMs });
        } catch (e) { corpus.engines[engine].warm = { failed: why(e) }; }
        log(`  ${engine}: cold ${JSON.stringify(corpus.engines[engine].cold.exact?.ms ?? corpus.engines[engine].cold.failed)} ms (exact), warm ${JSON.stringify(corpus.engines[engine].warm.exact ?? corpus.engines[engine].warm.failed)}`);
      }
      at("end");
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
    done({ corpora: out, loadavg: loads });
  }
  return { corpora: out, loadavg: loads };
}
