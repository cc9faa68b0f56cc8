// The measuring primitives the runner composes: child processes with a budget, the papersift
// CLI build under /usr/bin/time, compressed sizes, and the peers' browser bundles.
import { spawn, execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync, readdirSync, statSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants as zc } from "node:zlib";
import { join } from "node:path";
import { repo, child, peerModules } from "./paths.mjs";

/**
 * Runs one child task (see child.mjs) and resolves to its result, or to { failed: reason } when
 * it times out ("did not finish in N s"), runs out of memory, or throws.
 */
export function runChild(task, file, { timeoutMs, maxOldMiB }) {
  writeFileSync(file, JSON.stringify(task));
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ["--expose-gc", `--max-old-space-size=${maxOldMiB}`, child, file],
      { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let timedOut = false;
    proc.stdout.on("data", (d) => { out += d; });
    proc.stderr.on("data", (d) => { err += d; if (err.length > 20000) err = err.slice(-10000); });
    const timer = setTimeout(() => { timedOut = true; proc.kill("SIGKILL"); }, timeoutMs);
    proc.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = out.split("\n").find((l) => l.startsWith("BENCH-RESULT "));
      if (line) return resolve(JSON.parse(line.slice("BENCH-RESULT ".length)));
      if (timedOut) return resolve({ failed: `did not finish in ${Math.round(timeoutMs / 1000)} s` });
      if (/heap out of memory|Allocation failed|Invalid string length|Array buffer allocation failed/.test(err)) {
        const why = /Invalid string length/.test(err) ? "serialized index exceeds V8's maximum string length" : `out of memory (--max-old-space-size=${maxOldMiB})`;
        return resolve({ failed: why });
      }
      // V8's fatal errors print "# Fatal error in , line 0" first and the reason on the next line.
      if (/Fatal error/.test(err) && /JsonStringify/.test(err)) {
        return resolve({ failed: "V8 crashed in JSON.stringify: the serialized index is larger than V8's maximum string length" });
      }
      const fatal = /# Fatal error[^\n]*\n#?\s*([^\n]+)/.exec(err);
      if (fatal) return resolve({ failed: `V8 fatal error: ${fatal[1].trim().slice(0, 160)}` });
      const last = err.trim().split("\n").filter((l) => /Error|error/.test(l)).slice(-1)[0] ?? `exit ${code ?? signal}`;
      resolve({ failed: last.slice(0, 200) });
    });
  });
}

/** Raw, gzip (-9) and brotli (quality 9, 16 MiB window) sizes of some bytes. */
export function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [zc.BROTLI_PARAM_QUALITY]: 9, [zc.BROTLI_PARAM_LGWIN]: 24, [zc.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length,
  };
}

export const addSizes = (...xs) => ({ raw: xs.reduce((a, x) => a + x.raw, 0), gzip: xs.reduce((a, x) => a + x.gzip, 0), brotli: xs.reduce((a, x) => a + x.brotli, 0) });

/** Sizes summed file by file over a directory tree (what a static host serves one by one). */
export function treeSizes(dir) {
  let total = { raw: 0, gzip: 0, brotli: 0 };
  let files = 0;
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else { total = addSizes(total, sizes(readFileSync(p))); files++; }
    }
  };
  walk(dir);
  return { ...total, files };
}

/** Runs a command under `/usr/bin/time -v`: { wallMs, peakRssMiB, stdout } or throws. */
export function timed(cmd, args, opts = {}) {
  const started = process.hrtime.bigint();
  const out = execFileSync("/usr/bin/time", ["-v", cmd, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 28, ...opts });
  return { wallMs: Number(process.hrtime.bigint() - started) / 1e6, stdout: out };
}

/** Like `timed`, but also parses time's report from stderr (spawn, so stderr is kept). */
export function timedWithRss(cmd, args, { timeoutMs = 600000, cwd, env } = {}) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const proc = spawn("/usr/bin/time", ["-v", cmd, ...args], { stdio: ["ignore", "pipe", "pipe"], cwd, env, detached: true });
    let err = "";
    let out = "";
    proc.stdout.on("data", (d) => { out += d; if (out.length > 1e6) out = out.slice(-1e5); });
    proc.stderr.on("data", (d) => { err += d; if (err.length > 1e6) err = err.slice(-1e5); });
    let timedOut = false;
    // Killing /usr/bin/time alone would leave the command running: the command is in time's
    // process group (detached above), and the whole group goes.
    const timer = setTimeout(() => { timedOut = true; try { process.kill(-proc.pid, "SIGKILL"); } catch { proc.kill("SIGKILL"); } }, timeoutMs);
    proc.on("close", (code) => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (timedOut) return resolve({ failed: `did not finish in ${Math.round(timeoutMs / 1000)} s`, timedOut: true });
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      const user = /User time \(seconds\): ([\d.]+)/.exec(err);
      if (code !== 0) resolve({ failed: (err.split("\n").find((l) => /error|Error/.test(l)) ?? `exit ${code}`).slice(0, 200) });
      else resolve({ wallMs, userMs: user ? Number(user[1]) * 1000 : null, peakRssMiB: rss ? Number(rss[1]) / 1024 : null });
    });
  });
}

// The file each peer's bundle comes from. Where the package ships a minified browser bundle we
// use it as it is; MiniSearch and Orama ship none, so esbuild bundles and minifies their ES
// modules. Either way esbuild wraps the result into one IIFE (global `Lib`) for the page; the bytes
// shipped are that IIFE's.
export const bundleSources = {
  MiniSearch: { file: "minisearch/dist/es/index.js", minify: true, note: "dist/es/index.js, minified by esbuild (no minified bundle shipped)" },
  FlexSearch: { file: "flexsearch/dist/flexsearch.bundle.min.js", minify: false, note: "dist/flexsearch.bundle.min.js (the full bundle, as shipped)" },
  lunr: { file: "lunr/lunr.min.js", minify: false, note: "lunr.min.js (as shipped)" },
  "Fuse.js": { file: "fuse.js/dist/fuse.min.mjs", minify: false, note: "dist/fuse.min.mjs (as shipped)" },
  Orama: { file: "@orama/orama/dist/browser/index.js", minify: true, note: "dist/browser/index.js and its imports, bundled and minified by esbuild (no bundle shipped)" },
};

/** Writes the IIFE bundle for a peer to `out` and returns its bytes. */
export async function peerBundle(name, out) {
  const esbuild = await import("esbuild");
  const { file, minify } = bundleSources[name];
  await esbuild.build({
    entryPoints: [join(peerModules, file)], bundle: true, format: "iife", globalName: "Lib",
    minify, outfile: out, logLevel: "error", platform: "browser", legalComments: "none",
  });
  return readFileSync(out);
}

/** What this machine is, for the report. */
export function machine() {
  const cpu = /Model name:\s*(.+)/.exec(execFileSync("lscpu", { encoding: "utf8" }))?.[1]?.trim() ?? "unknown";
  const memKiB = Number(/MemTotal:\s+(\d+)/.exec(readFileSync("/proc/meminfo", "utf8"))?.[1] ?? 0);
  const nproc = Number(execFileSync("nproc", { encoding: "utf8" }).trim());
  return { nproc, cpu, memoryGiB: Math.round(memKiB / 1048576) };
}

export function chromiumVersion() {
  try { return execFileSync(process.env.CHROMIUM || "/usr/bin/chromium", ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim(); } catch { return null; }
}

export function gitDescribe() {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repo, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: repo, encoding: "utf8" }).trim() !== "";
    return `${head}${dirty ? " + uncommitted changes" : ""}`;
  } catch { return null; }
}

export const exists = existsSync;
