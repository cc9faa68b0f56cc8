#!/usr/bin/env node
// `papersift` from the npm package: the native command line (crates/papersift-cli) compiled to
// wasm32-wasip1 and run by Node's built-in WASI, so a machine with only Node builds, queries
// and inspects indexes. Being the same program, it parses the same arguments, prints the same
// messages, exits with the same codes and writes the same bytes as the native binary.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";

// Node before 24 lets WASI's fast API calls write through a stale pointer once the module's
// memory grows (nodejs/node#53087): big builds segfault at random. The plain calls are sound.
setFlagsFromString("--no-turbo-fast-api-calls");

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

// Node flags WASI as experimental on every use; that notice would be noise in the command's
// stderr, which must match the native binary's.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  const type = typeof rest[0] === "object" ? rest[0]?.type : rest[0];
  if (type === "ExperimentalWarning" && String(warning?.message ?? warning).includes("WASI")) return;
  return emitWarning.call(this, warning, ...rest);
};
const { WASI } = await import("node:wasi");

const wasi = new WASI({
  version: "preview1",
  // clap names the program after argv[0]'s file name, as the native binary's usage lines do.
  args: ["papersift", ...process.argv.slice(2)],
  env: {
    // `build` splices its index into the engine script shipped beside this module, unless the
    // caller points it elsewhere as they would the native binary.
    PAPERSIFT_ENGINE: join(dist, "papersift-engine.js"),
    ...process.env,
    PWD: process.cwd(),
  },
  // The whole file system, as the native binary sees it: absolute paths map to themselves and
  // relative ones to the working directory, so paths in messages read exactly as typed.
  preopens: { "/": "/" },
  // Exit through Node, not C's exit() from inside a WASI call, which can crash Node on the way.
  returnOnExit: true,
});

const module = await WebAssembly.compile(await readFile(join(dist, "papersift-cli.wasm")));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
