// The package's API (dist/papersift.mjs and .cjs): the Papersift loader and defineElement.
// Importing it has no side effects; dist/element.mjs registers the element.
export { Papersift, Papersift as default } from "./loader.js";
export { defineElement } from "./element.js";
