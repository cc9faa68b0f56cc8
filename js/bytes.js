// Small helpers shared by the engine loader and the builder loader: base64 to bytes (the wasm
// modules are inlined as base64 so the scripts work from file://), raw deflate to bytes (the
// inlined wasm is deflated first: see inflateWasm), and a value's description for error messages.

export function decodeBase64(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  if (typeof Buffer === "function") {
    var buffer = Buffer.from(text, "base64");
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }
  var binary = atob(text);
  var bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The wasm module inlined by scripts/bundle.mjs (base64 of its raw deflate stream), ready for the
 * wasm-bindgen glue: its bytes, or the compiled module. Deflating before base64 halves the script
 * and makes its gzip a quarter smaller (base64 hides the wasm's redundancy from the server's
 * gzip). Node inflates synchronously with zlib (`process.getBuiltinModule`, Node 20.16);
 * browsers inflate with `DecompressionStream` straight into a streaming compile.
 */
export function wasmModule(base64) {
  var deflated = decodeBase64(base64);
  var node = typeof process === "object" && process !== null && typeof process.getBuiltinModule === "function";
  if (node) return Promise.resolve(process.getBuiltinModule("node:zlib").inflateRawSync(deflated));
  var inflated = new Blob([deflated]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  var response = new Response(inflated, { headers: { "Content-Type": "application/wasm" } });
  if (typeof WebAssembly.compileStreaming === "function") return WebAssembly.compileStreaming(response);
  return response.arrayBuffer();
}

export function describe(value) {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return (value.constructor && value.constructor.name) || "object";
}
