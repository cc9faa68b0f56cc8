// The `papersift` command of the npm package, as a user with only Node gets it: `npm pack`,
// install the tarball into an empty project, and run `npx papersift` on a PATH with no Rust
// toolchain. Then the parity contract: the npm command is the native CLI compiled to WASI, so
// for the same arguments both print the same bytes, exit with the same code and write the same
// files.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { repo, fixture, fileUrl, tempDir, papersiftBin, launchChromium } from "../browser/helpers.mjs";

// Node's own directory and the system's: enough for node, npm and npx, and checked below to
// hold no cargo or rustc.
const bareDirs = [...new Set([dirname(process.execPath), "/usr/bin", "/bin"])];
const barePath = bareDirs.join(delimiter);
const bareEnv = { HOME: process.env.HOME, PATH: barePath, LANG: "C.UTF-8" };

let project;
let npmBin;
let browser;

before(async () => {
  const packDir = tempDir("cli-pack");
  const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", packDir], repo))[0];
  project = tempDir("cli-consumer");
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  run("npm", ["install", "--no-audit", "--no-fund", "--offline", join(packDir, packed.filename)], project);
  npmBin = join(project, "node_modules", ".bin", "papersift");
  browser = await launchChromium();
});

after(async () => { await browser?.close(); });

/** Runs `npx papersift ARGS` in `cwd` with only Node's and the system's directories on PATH. */
function npx(args, cwd = project) {
  return spawnSync("npx", ["--no-install", "papersift", ...args], { cwd, env: bareEnv, encoding: "utf8" });
}

/** Types `query` into the page's <papersift-search> and returns the hit titles once it settles. */
async function searchTitles(page, query) {
  await page.locator("papersift-search input.query").fill(query);
  await page.waitForFunction((q) => {
    const el = document.querySelector("papersift-search");
    return el?.index && el.value === q && !/Loading/.test(el.shadowRoot.querySelector(".status").textContent);
  }, query);
  return page.locator("papersift-search .hit .title").allTextContents();
}

test("the bare PATH has node and npx but no cargo or rustc", () => {
  for (const tool of ["cargo", "rustc"]) {
    assert.deepEqual(bareDirs.filter((dir) => existsSync(join(dir, tool))), [], `${tool} is on the bare PATH`);
    assert.equal(spawnSync(tool, ["--version"], { env: bareEnv }).error?.code, "ENOENT", `${tool} runs on the bare PATH`);
  }
  assert.equal(spawnSync("npx", ["--version"], { env: bareEnv }).status, 0);
});

for (const [name, query, title] of [
  ["papers.bib", "translation summit", "Learning Translations from Monolingual Corpora"],
  ["papers.jsonl", "unsafe weights", "Safe Vision-Language Models via Unsafe Weights Manipulation"],
  ["papers.csv", "salient trafic", "Salient Object Detection in Traffic Scene through the TSOD10K Dataset"],
]) {
  test(`npx papersift build ${name} writes a site that Chromium opens from file:// and finds "${title}" in`, async () => {
    const site = join(tempDir("cli-site"), "site");
    const built = npx(["build", fixture(name), "-o", site]);
    assert.equal(built.status, 0, built.stderr);
    assert.match(built.stdout, /^records indexed: +[1-9]\d*$/m);
    assert.match(built.stdout, /^records skipped: +0$/m);
    assert.match(built.stdout, new RegExp(`^wrote ${site}/index.html$`, "m"));
    assert.match(built.stdout, new RegExp(`^wrote ${site}/papersift-builder.js$`, "m"), "the site cannot open a visitor's file");
    assert.equal(built.stderr, "");

    const page = await browser.newPage();
    await page.goto(fileUrl(join(site, "index.html")));
    await page.waitForFunction(() => document.querySelector("papersift-search")?.index);
    assert.ok((await searchTitles(page, query)).includes(title), `no "${title}" for "${query}"`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test("npx papersift query and stats read the index npx papersift build wrote", () => {
  const site = join(tempDir("cli-site"), "site");
  assert.equal(npx(["build", fixture("papers.jsonl"), "-o", site]).status, 0);

  const found = npx(["query", site, "machine translaton", "--json"]);
  assert.equal(found.status, 0, found.stderr);
  const titles = found.stdout.trim().split("\n").map((line) => JSON.parse(line).title);
  assert.ok(titles.includes("Machine translation from designers to users: management problems and solutions"), titles.join("; "));

  const stats = npx(["stats", site]);
  assert.equal(stats.status, 0, stats.stderr);
  assert.match(stats.stdout, /^documents:\s+[1-9]\d*$/m);
  assert.equal(stats.stdout.match(/^total bytes:\s+(\d+)$/m)?.[1], String(readFileSync(join(site, "papersift.idx")).length));
});

const buildTiny = ["build", fixture("cli", "tiny.jsonl"), "-o", "site"];

test("in a terminal, npx papersift build shows its progress bar", () => {
  const site = join(tempDir("cli-site"), "site");
  // util-linux `script` runs the command on a pseudo-terminal, as a person would; without TERM
  // the native binary draws no bar either.
  const command = `npx --no-install papersift build '${fixture("papers.jsonl")}' -o '${site}'`;
  const env = { ...bareEnv, TERM: "xterm-256color" };
  const run = spawnSync("script", ["-qec", command, "/dev/null"], { cwd: project, env, encoding: "utf8" });
  assert.equal(run.status, 0, run.stdout);
  assert.match(run.stdout, /reading \d+(\.\d+)? (B|KiB)\/\d+(\.\d+)? KiB/);
  assert.match(run.stdout, /^records indexed: +[1-9]\d*\r?$/m);
});

// Parity: each case runs the native binary and the npm command in fresh, identical working
// directories, so relative output paths print the same.
const parityCases = [
  { name: "a BibTeX build", args: ["build", fixture("papers.bib"), "-o", "site"] },
  { name: "a JSON Lines build", args: ["build", fixture("papers.jsonl"), "-o", "site"] },
  { name: "a CSV build", args: ["build", fixture("papers.csv"), "-o", "site"] },
  { name: "a gzipped build", args: ["build", fixture("papers.jsonl.gz"), "-o", "site"] },
  { name: "a build from standard input", args: ["build", "-", "-o", "site"], stdin: readFileSync(fixture("papers.bib")) },
  { name: "a build of two files sharing ids", args: ["build", fixture("papers.jsonl"), fixture("papers.csv"), "-o", "site"] },
  { name: "a CSL-JSON build", args: ["build", fixture("papers.csl.json"), "-o", "site"] },
  { name: "a RIS build", args: ["build", fixture("papers.ris"), "-o", "site"] },
  { name: "a Zotero CSV build", args: ["build", fixture("zotero.csv"), "-o", "site"] },
  { name: "an arXiv Atom build", args: ["build", fixture("arxiv.xml"), "-o", "site"] },
  { name: "a BibTeX build with crossref, macros and math", args: ["build", fixture("papers_real.bib"), "-o", "site"] },
  { name: "a RIS record with a bad year", args: ["build", fixture("bad", "bad_year.ris"), "-o", "site"] },
  { name: "a file in no known format", args: ["build", fixture("bad", "notes.dat"), "-o", "site"] },
  { name: "a bad record", args: ["build", fixture("bad", "wrong_type.jsonl"), "-o", "site"] },
  { name: "a bad record skipped", args: ["build", fixture("bad", "wrong_type.jsonl"), "--skip-invalid", "-o", "site"] },
  { name: "a bad BibTeX entry", args: ["build", fixture("bad", "bad_field.bib"), "-o", "site"] },
  { name: "a missing input file", args: ["build", "missing.bib", "-o", "site"] },
  { name: "build with no input", args: ["build"] },
  { name: "build with no output", args: ["build", fixture("papers.bib")] },
  { name: "an unknown flag", args: ["build", fixture("papers.bib"), "-o", "site", "--frobnicate"] },
  { name: "an unknown format", args: ["build", fixture("papers.bib"), "-o", "site", "--format", "ris2"] },
  { name: "no subcommand", args: [] },
  { name: "--help", args: ["--help"] },
  { name: "help build", args: ["help", "build"] },
  { name: "build --help", args: ["build", "--help"] },
  { name: "--version", args: ["--version"] },
  { name: "a query", prepare: buildTiny, args: ["query", "site", "narwhal tusk", "--limit", "2"] },
  { name: "a query with a typo, as JSON", prepare: buildTiny, args: ["query", "site", "axolotll", "--json"] },
  { name: "a query matching nothing", prepare: buildTiny, args: ["query", "site", "zzzzqqq"] },
  { name: "stats", prepare: buildTiny, args: ["stats", "site"] },
  { name: "eval", prepare: buildTiny, args: ["eval", "site", "--queries", fixture("cli", "tiny_queries.jsonl"), "--qrels", fixture("cli", "tiny_qrels.tsv")] },
  { name: "eval with a bad query file", prepare: buildTiny, args: ["eval", "site", "--queries", fixture("cli", "bad_queries.jsonl"), "--qrels", fixture("cli", "tiny_qrels.tsv")] },
  { name: "a query of a missing index", args: ["query", "nowhere", "translation"] },
  { name: "stats of a file that is no index", args: ["stats", fixture("papers.bib")] },
];

/** Runs one CLI in a fresh directory; returns what a user sees and the site it wrote. */
function runIn(command, { prepare, args, stdin }) {
  const cwd = tempDir("cli-parity");
  // Both CLIs splice the same engine: the native one gets the checkout's, the npm one uses the
  // copy in its package (packed from that same file).
  const env = command === npmBin ? bareEnv : { ...bareEnv, PAPERSIFT_ENGINE: join(repo, "dist", "papersift-engine.js") };
  if (prepare) {
    const prepared = spawnSync(command, prepare, { cwd, env, encoding: "utf8" });
    assert.equal(prepared.status, 0, `${command} ${prepare.join(" ")}: ${prepared.stderr}`);
  }
  const result = spawnSync(command, args, { cwd, env, input: stdin ?? "", encoding: "utf8" });
  const site = Object.fromEntries(
    ["papersift.idx", "papersift.js", "papersift-builder.js", "index.html"]
      .filter((file) => existsSync(join(cwd, "site", file)))
      .map((file) => [file, readFileSync(join(cwd, "site", file))])
  );
  // The build's duration is the one line that differs from run to run.
  const untimed = (text) => text.replace(/^time: .*$/m, "time: <elapsed>");
  return { status: result.status, stdout: untimed(result.stdout), stderr: result.stderr, site };
}

for (const parityCase of parityCases) {
  test(`the native and the npm papersift agree on ${parityCase.name}`, () => {
    const native = runIn(papersiftBin, parityCase);
    const npm = runIn(npmBin, parityCase);
    assert.equal(npm.status, native.status, `exit codes differ\nnpm stderr: ${npm.stderr}`);
    assert.equal(npm.stdout, native.stdout);
    assert.equal(npm.stderr, native.stderr);
    assert.deepEqual(Object.keys(npm.site), Object.keys(native.site));
    for (const [file, bytes] of Object.entries(native.site)) {
      assert.ok(npm.site[file].equals(bytes), `${file} differs`);
    }
  });
}

test("the parity cases cover success, bad records and bad arguments", () => {
  const native = parityCases.map((parityCase) => runIn(papersiftBin, parityCase));
  const statuses = new Set(native.map((result) => result.status));
  assert.deepEqual([...statuses].sort(), [0, 1, 2]);
  assert.ok(native.filter((result) => result.site["papersift.idx"]).length >= 5);
  assert.ok(native.some((result) => /:\d+: /.test(result.stderr)), "no case names a file:line");
});
