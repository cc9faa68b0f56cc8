// Where things are: the repository, the shared data sets, the binaries the harness runs.
import { dirname, resolve, join } from "node:path";
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The shared data sets: $PAPERSIFT_DATA, else ../shared/data beside the repository. */
export const dataDir = process.env.PAPERSIFT_DATA || resolve(repo, "..", "shared", "data");
/** The release CLI (`cargo build --release -p papersift-cli`), or $PAPERSIFT_BIN. */
export const cliBin = process.env.PAPERSIFT_BENCH_BIN || join(repo, "target", "release", "papersift");
export const child = join(repo, "bench", "lib", "child.mjs");
/** The peers, installed by bench/package.json (scripts/setup.sh runs `npm ci` there). */
export const peerModules = join(repo, "bench", "node_modules");
/** An installed package's folder: a peer's in bench/node_modules, a build tool's in node_modules. */
export const packageDir = (pkg) => (existsSync(join(peerModules, pkg)) ? join(peerModules, pkg) : join(repo, "node_modules", pkg));
