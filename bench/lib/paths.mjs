// Where things are: the repository, the shared data sets, the binaries the harness runs.
import { dirname, resolve, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The shared data sets: $PAPERSIFT_DATA, else ../shared/data beside the repository. */
export const dataDir = process.env.PAPERSIFT_DATA || resolve(repo, "..", "shared", "data");
/** The release CLI (`cargo build --release -p papersift-cli`), or $PAPERSIFT_BIN. */
export const cliBin = process.env.PAPERSIFT_BENCH_BIN || join(repo, "target", "release", "papersift");
export const child = join(repo, "bench", "lib", "child.mjs");
