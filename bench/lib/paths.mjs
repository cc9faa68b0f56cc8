// Where things are: the repository, the shared data sets, the binaries the harness runs.
import { existsSync } from "node:fs";
import { dirname, resolve, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The shared data sets: $PAPERSIFT_DATA, else ../shared/data beside the repository. */
export const dataDir = process.env.PAPERSIFT_DATA || resolve(repo, "..", "shared", "data");
/** The release CLI (`cargo build --release -p papersift-cli`), or $PAPERSIFT_BENCH_BIN. */
export const cliBin = process.env.PAPERSIFT_BENCH_BIN || join(repo, "target", "release", "papersift");
export const child = join(repo, "bench", "lib", "child.mjs");
/** The dist/ whose papersift is timed: the repository's, or $PAPERSIFT_BENCH_DIST (an earlier build, for before/after tables). */
export const distDir = process.env.PAPERSIFT_BENCH_DIST || join(repo, "dist");
/** The peers, installed by bench/package.json (scripts/setup.sh runs `npm ci` there). */
export const peerModules = join(repo, "bench", "node_modules");
/** An installed package's folder: a peer's in bench/node_modules, a build tool's in node_modules. */
export const packageDir = (pkg) => (existsSync(join(peerModules, pkg)) ? join(peerModules, pkg) : join(repo, "node_modules", pkg));

/**
 * The CLI the harness asks for typo'd queries, query classes and metrics, looked up when called
 * (bench/run.mjs sets $PAPERSIFT_BENCH_BIN to the binary it chose, and its children inherit it):
 * $PAPERSIFT_BENCH_BIN, else $PAPERSIFT_BIN (the fresh debug build scripts/test.sh exports),
 * else the release CLI, else the debug CLI.
 */
export function papersiftBin() {
  const candidates = [process.env.PAPERSIFT_BENCH_BIN, process.env.PAPERSIFT_BIN, join(repo, "target", "release", "papersift"), join(repo, "target", "debug", "papersift")];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) throw new Error("bench: no papersift CLI found; build it with `cargo build --release -p papersift-cli` or set PAPERSIFT_BENCH_BIN");
  return found;
}

/**
 * Inputs too large for the repository and the sites built from them, kept between runs:
 * $PAPERSIFT_SCALE_DATA, else ../scale-data beside the repository.
 */
export const scaleDir = process.env.PAPERSIFT_SCALE_DATA || resolve(repo, "..", "scale-data");
/** The generator of synthetic corpora (records recombined from arXiv CS), beside the shared data. */
export const synthTool = resolve(dataDir, "..", "tools", "synth_papers.py");
