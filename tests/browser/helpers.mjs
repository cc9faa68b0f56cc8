// Shared by the browser scenarios and the npm consumer test: paths, the papersift CLI, temp
// dirs, and a Chromium driven by playwright-core (Debian's /usr/bin/chromium; never a download).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { execFileSync } from "node:child_process";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const fixture = (...parts) => join(repo, "tests", "fixtures", ...parts);
export const fileUrl = (path) => pathToFileURL(path).href;

/** A fresh temp directory, removed when the process exits. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `papersift-${prefix}-`));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The papersift binary: $PAPERSIFT_BIN, else target/debug/papersift (scripts/test.sh builds it). */
export const papersiftBin = process.env.PAPERSIFT_BIN || join(repo, "target", "debug", "papersift");

/** Runs `papersift build INPUT -o DIR` and returns DIR. */
export function buildSite(input, dir = tempDir("site")) {
  execFileSync(papersiftBin, ["build", input, "-o", dir], { stdio: ["ignore", "pipe", "inherit"] });
  return dir;
}

const chromiumArgs = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];

/** A headless Chromium with a fresh profile. Resolves to { context, newPage, close }. */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  const profile = tempDir("chromium");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1000, height: 800 },
  });
  // No test may reach the network: links the scenarios open are answered here. Servers the
  // tests start on this machine are reached as usual.
  const remote = (url) => /^https?:$/.test(url.protocol) && !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  await context.route(remote, (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<title>opened</title>opened" }));
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      page.errors = [];
      page.on("pageerror", (error) => page.errors.push(error));
      page.on("console", (message) => { if (message.type() === "error") page.errors.push(new Error(message.text())); });
      return page;
    },
    close: () => context.close(),
  };
}
