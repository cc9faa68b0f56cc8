// The sites the browser measurements load: papersift's (`papersift build`, single file or
// sharded) and Pagefind's (its CLI over one HTML page per paper), built under a budget, and
// optionally kept between runs. A sharded 1M-paper site takes many minutes to build, so a run
// that gives `cacheDir` reuses a site whose inputs (records file, CLI, engine script, arguments)
// have not changed, and says so in its results.
import { mkdirSync, writeFileSync, readFileSync, existsSync, rmSync, statSync, renameSync } from "node:fs";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { timedWithRss, treeSizes } from "./measure.mjs";
import { jsonlRecords, loadRecords } from "./corpus.mjs";
import { peerModules, distDir } from "./paths.mjs";

const STAMP = ".bench-stamp.json";

/**
 * Removes a folder without waiting: it is renamed aside at once, and `rm -rf` deletes it in the
 * background. Deleting a million pages one by one takes longer than building them.
 */
export function discard(dir) {
  if (!existsSync(dir)) return;
  const trash = `${dir}.discarded-${process.pid}-${Date.now()}`;
  renameSync(dir, trash);
  spawn("nice", ["-n", "19", "rm", "-rf", trash], { detached: true, stdio: "ignore" }).unref();
}

/** A digest of what a build depends on: file contents (small files), sizes and times (large ones), and plain values. */
export function buildKey(parts) {
  const hash = createHash("sha256");
  for (const part of parts) {
    if (part && typeof part === "object" && part.file) {
      const s = statSync(part.file);
      if (s.size < 64 << 20) hash.update(readFileSync(part.file));
      else hash.update(`${part.file} ${s.size} ${s.mtimeMs}`);
    } else hash.update(JSON.stringify(part));
    hash.update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * `build(dir)` into `dir`, or, when `dir` holds a finished build with the same key, its earlier
 * result with `cached: <date it was built>`. A failed build is never kept: its reason is this run's.
 */
export async function cachedBuild(dir, key, build) {
  const stamp = join(dir, STAMP);
  if (existsSync(stamp)) {
    const kept = JSON.parse(readFileSync(stamp, "utf8"));
    if (kept.key === key) return { ...kept.result, dir, cached: kept.date };
  }
  discard(dir);
  mkdirSync(dir, { recursive: true });
  const result = await build(dir);
  if (result.failed) discard(dir);
  else writeFileSync(stamp, JSON.stringify({ key, date: new Date().toISOString(), result }));
  return { ...result, dir };
}

/**
 * `papersift build RECORDS -o DIR --skip-invalid --shards on|off` under /usr/bin/time, with the
 * engine script of the dist/ being measured: { dir, build } or { failed }.
 */
export async function buildPapersiftSite({ bin, records, shards, timeoutMs, cacheDir, name }) {
  const engine = join(distDir, "papersift-engine.js");
  const args = ["build", records, "-o", null, "--skip-invalid", "--shards", shards];
  const run = async (dir) => {
    args[3] = dir;
    const build = await timedWithRss(bin, args, { timeoutMs, env: { ...process.env, PAPERSIFT_ENGINE: engine } });
    return build.failed ? { failed: build.failed } : { build };
  };
  const dir = join(cacheDir, `papersift-${name}-shards-${shards}`);
  return cachedBuild(dir, buildKey([{ file: bin }, { file: engine }, { file: records }, args.slice(4)]), run);
}

const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

/**
 * Pagefind indexes HTML: one page per paper (`p/N/index.html`, title in <h1>, abstract in <p>),
 * then its CLI over them. Writing the pages and the CLI share one budget, `timeoutMs`; a build
 * past it fails with "did not finish in N s", saying how far it got. `maxMemoryMiB` caps the CLI's
 * address space, so a build that would need more fails instead of pressing the machine.
 * Resolves to { site, ids, build, bytes } (`ids[N]` is page N's record id; `bytes` unless `sizes`
 * is false: compressing every file of a large index takes a while) or { failed }.
 */
export async function buildPagefind({ records, site, timeoutMs, maxMemoryMiB, sizes = true }) {
  const deadline = Date.now() + timeoutMs;
  const budget = `did not finish in ${Math.round(timeoutMs / 1000)} s`;
  const pages = join(site, "p");
  mkdirSync(pages, { recursive: true });
  const ids = [];
  const started = process.hrtime.bigint();
  const source = Array.isArray(records) ? records : typeof records === "string" && records.endsWith(".txt") ? loadRecords(records) : jsonlRecords(records);
  for (const r of source) {
    const i = ids.length;
    mkdirSync(join(pages, String(i)));
    writeFileSync(join(pages, String(i), "index.html"),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(r.title)}</title></head>` +
      `<body><main><h1>${escapeHtml(r.title)}</h1><p>${escapeHtml(r.abstract)}</p></main></body></html>`);
    ids.push(r.id);
    if (i % 1000 === 0 && Date.now() > deadline) return { failed: `pagefind: ${budget} (writing its HTML pages: ${ids.length.toLocaleString("en")} written)` };
  }
  const pagesMs = Number(process.hrtime.bigint() - started) / 1e6;
  const bin = join(peerModules, ".bin", "pagefind");
  const left = deadline - Date.now();
  if (left <= 0) return { failed: `pagefind: ${budget} (its ${ids.length.toLocaleString("en")} HTML pages took ${(pagesMs / 1000).toFixed(0)} s)` };
  const cmd = maxMemoryMiB ? "prlimit" : bin;
  const args = [...(maxMemoryMiB ? [`--as=${maxMemoryMiB * 1048576}`, bin] : []), "--site", site, "--output-subdir", "pagefind", "--quiet"];
  const build = await timedWithRss(cmd, args, { timeoutMs: left });
  if (build.timedOut) return { failed: `pagefind: ${budget} (${ids.length.toLocaleString("en")} pages written in ${(pagesMs / 1000).toFixed(0)} s, then its CLI)` };
  if (build.failed) return { failed: `pagefind: ${build.failed}${maxMemoryMiB ? ` (address space capped at ${maxMemoryMiB} MiB)` : ""}` };
  // The pages were the CLI's input; the site serves only what it wrote.
  discard(pages);
  const bytes = sizes ? { total: treeSizes(join(site, "pagefind")), file: "every file under pagefind/ (each compressed on its own)" } : null;
  return { site, ids, build: { ...build, pagesMs }, bytes };
}
