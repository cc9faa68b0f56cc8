// The builder's classic script (dist/papersift-builder.js): defines window.PapersiftBuilder.
// One IIFE, so <papersift-search> can add it with a plain <script src>, from file:// too.
import { PapersiftBuilder } from "./builder.js";

globalThis.PapersiftBuilder = PapersiftBuilder;
