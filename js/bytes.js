// Small helpers shared by the engine loader and the builder loader: base64 to bytes (the wasm
// modules are inlined as base64 so the scripts work from file://), and a value's description for
// error messages.

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

export function describe(value) {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return (value.constructor && value.constructor.name) || "object";
}
