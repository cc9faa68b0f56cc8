// dist/element.mjs: importing it registers <papersift-search>. It re-exports the package's API
// from ./papersift.mjs (scripts/bundle.mjs keeps that import external), so importing both
// loads one engine, not two.
import { Papersift, defineElement } from "./index.js";

defineElement();

export { Papersift, defineElement };
export default Papersift;
