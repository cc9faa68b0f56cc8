// The classic script (dist/papersift.js, dist/papersift-engine.js): window.Papersift, and
// <papersift-search> registered wherever custom elements exist. Bundled as one IIFE so that it
// runs from a plain <script src> on file:// pages, where browsers refuse ES modules.
import { Papersift, defineElement } from "./index.js";

globalThis.Papersift = Papersift;
if (typeof customElements !== "undefined") defineElement();
