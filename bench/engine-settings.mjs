#!/usr/bin/env node
// The engine's size and speed under each compiler setting: rustc opt-level z, s and 3 (the
// wasm-release profile otherwise unchanged), each through several wasm-opt settings. For every
// pair: the engine wasm's bytes raw and gzipped (gzip -9, zlib), its cold start-up in Node (a
// fresh process per run: compile, instantiate, load the daily_papers index, first query) and
// the p50 over the harness's query classes (each query timed warm, the median of 3 runs).
//
//   node bench/engine-settings.mjs [--runs N] [--levels z,s,3]    (N cold runs per pair, default 9)
//
// Levels other than z build into target directories of their own (target/settings-LEVEL): the
// first run compiles the engine twice more (about 10 minutes on 2 busy cores); later runs reuse them.
// Prints a Markdown table (docs/BENCHMARKS.md keeps the last one).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { gzipSync, constants } from "node:zlib";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { repo, papersiftBin } from "./lib/paths.mjs";

// --child PKG WASM INDEX MODE [QUERIES_JSON]: one measurement in this fresh process.
if (process.argv[2] === "--child") {
  const [pkg, wasmPath, indexPath, mode, queriesPath] = process.argv.slice(3);
  const t0 = performance.now();
  const glue = await import(pathToFileURL(join(pkg, "papersift.js")).href);
  const module = await WebAssembly.compile(readFileSync(wasmPath));
  glue.initSync({ module });
  const handle = glue.Papersift.fromBytes(new Uint8Array(readFileSync(indexPath)));
  handle.search("model", { limit: 10 });
  const coldMs = performance.now() - t0;
  if (mode === "cold") {
    console.log(JSON.stringify({ coldMs }));
  } else {
    const queries = JSON.parse(readFileSync(queriesPath, "utf8"));
    for (const q of queries) handle.search(q, { limit: 10 });
    const perQuery = queries.map((q) => {
      const times = [0, 1, 2].map(() => { const s = performance.now(); handle.search(q, { limit: 10 }); return performance.now() - s; });
      return times.sort((a, b) => a - b)[1];
    });
    console.log(JSON.stringify({ p50: median(perQuery) }));
  }
  process.exit(0);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const runs = Number(option("--runs", "9"));
const levels = option("--levels", "z,s,3").split(",");
const wasmOptSettings = [["none"], ["-Oz"], ["-Os"], ["-O3"], ["-Oz", "--converge"], ["-Os", "--converge"]];
// The features rustc enables for wasm32-unknown-unknown, as in scripts/build.sh.
const features = ["--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
  "--enable-mutable-globals", "--enable-multivalue", "--enable-reference-types"];

const work = mkdtempSync(join(tmpdir(), "papersift-settings-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
const run = (cmd, argv, env = {}) => execFileSync(cmd, argv, { cwd: repo, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ...env } });

const bin = papersiftBin();
run(bin, ["build", join(repo, "data", "daily_papers.txt"), "-o", join(work, "site")]);
const index = join(work, "site", "papersift.idx");
const classes = join(work, "classes.jsonl");
run(bin, ["eval", index, "--write-classes", classes, "--per-class", "50", "--seed", "1"]);
const queries = readFileSync(classes, "utf8").trim().split("\n").flatMap((line) => JSON.parse(line).queries);
const queriesPath = join(work, "queries.json");
writeFileSync(queriesPath, JSON.stringify(queries));

function child(pkg, wasm, mode) {
  const out = spawnSync(process.execPath, [join(repo, "bench", "engine-settings.mjs"), "--child", pkg, wasm, index, mode, queriesPath], { encoding: "utf8" });
  if (out.status !== 0) throw new Error(`bench: ${wasm}: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split("\n").pop());
}

const rows = [];
for (const level of levels) {
  // z is the wasm-release profile's own level: scripts/build.sh's engine build, in the usual place.
  const targetDir = level === "z" ? join(repo, "target") : join(repo, "target", `settings-${level}`);
  console.error(`engine-settings: building opt-level ${level} into ${targetDir}`);
  run("cargo", ["build", "--lib", "--target", "wasm32-unknown-unknown", "--profile", "wasm-release", "--no-default-features"],
    { CARGO_TARGET_DIR: targetDir, CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL: level });
  const pkg = join(work, `pkg-${level}`);
  mkdirSync(pkg);
  run("wasm-bindgen", ["--target", "web", "--no-typescript", "--out-dir", pkg, join(targetDir, "wasm32-unknown-unknown", "wasm-release", "papersift.wasm")]);
  for (const setting of wasmOptSettings) {
    const wasm = join(work, `${level}-${setting.join("")}.wasm`);
    if (setting[0] === "none") run("cp", [join(pkg, "papersift_bg.wasm"), wasm]);
    else run(join(repo, "node_modules", ".bin", "wasm-opt"), [...setting, ...features, join(pkg, "papersift_bg.wasm"), "-o", wasm]);
    const bytes = readFileSync(wasm);
    const cold = [];
    for (let i = 0; i < runs; i++) cold.push(child(pkg, wasm, "cold").coldMs);
    const { p50 } = child(pkg, wasm, "warm");
    const row = { level, wasmOpt: setting.join(" "), raw: bytes.length, gzip: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length, startup: median(cold), p50 };
    console.error(`engine-settings: ${JSON.stringify(row)}`);
    rows.push(row);
  }
}

console.log(`Engine wasm without an index (wasm-bindgen output; "none" still has its name section), ${runs} cold runs per row, ${queries.length} queries, Node ${process.version}:\n`);
console.log("| opt-level | wasm-opt | raw bytes | gzip bytes | start-up (ms) | p50 query (ms) |");
console.log("|---|---|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(`| ${r.level} | ${r.wasmOpt} | ${r.raw.toLocaleString("en")} | ${r.gzip.toLocaleString("en")} | ${r.startup.toFixed(1)} | ${r.p50.toFixed(3)} |`);
}
