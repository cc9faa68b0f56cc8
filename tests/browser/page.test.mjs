// The page and the index marker exist once: www/template.html and js/index-marker.txt are read
// by scripts/bundle.mjs (the demo, the engine script) and compiled into `papersift build`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repo, fixture, buildSite } from "./helpers.mjs";

const read = (...parts) => readFileSync(join(...parts), "utf8");

test("the demo page and a built site's page are the one template with its slots filled", () => {
  const template = read(repo, "www", "template.html");
  const slots = template.match(/\{\{\w+\}\}/g);
  assert.ok(slots && slots.length >= 3, "the template has slots");
  const escaped = template.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\\\{\\\{\w+\\\}\\\}/g, "([^<>]*?)");
  const shape = new RegExp(`^${escaped}$`);
  const demo = read(repo, "www", "index.html");
  const site = read(buildSite(fixture("papers.bib")), "index.html");
  for (const [name, page] of [["www/index.html", demo], ["site/index.html", site]]) {
    const filled = shape.exec(page);
    assert.ok(filled, `${name} is not www/template.html filled in`);
    assert.ok(filled.slice(1).every((text) => text.trim() !== "" && !text.includes("{{")), `${name} leaves a slot empty`);
  }
  assert.notEqual(demo, site, "the demo and a built site say different things in their slots");
});

test("the engine script carries the marker from js/index-marker.txt once, and a built site's script carries the index there instead", () => {
  const marker = read(repo, "js", "index-marker.txt");
  const engine = read(repo, "dist", "papersift-engine.js");
  assert.equal(engine.split(marker).length, 2, "dist/papersift-engine.js holds the marker exactly once");
  const script = read(buildSite(fixture("papers.bib")), "papersift.js");
  assert.ok(!script.includes(marker), "the marker was replaced");
  const [before, after] = engine.split(marker);
  assert.ok(script.startsWith(before) && script.endsWith(after), "only the marker's null changed");
  const literal = script.slice(before.length, script.length - after.length);
  assert.match(literal, new RegExp(`^${marker.replace(/null$/, "").replace(/[*/]/g, "\\$&")}"[A-Za-z0-9+/]+=*"$`));
});
