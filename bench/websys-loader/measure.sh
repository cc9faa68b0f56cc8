#!/usr/bin/env bash
# What the piece loader would add to the engine wasm if written with web-sys (docs/SHARDS.md,
# "Why JS and not web-sys"): builds this crate with and without the loader, with the engine's
# profile, wasm-bindgen and wasm-opt -Oz, and prints raw and gzip sizes of the wasm and glue.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"
repo=../..
out=$(mktemp -d)
for variant in base websys; do
  features=()
  [ "$variant" = websys ] && features=(--features websys)
  cargo build --quiet --lib --target wasm32-unknown-unknown --profile wasm-release --target-dir "$out/target" "${features[@]}"
  wasm-bindgen --target web --no-typescript --out-dir "$out/$variant" --out-name loader "$out/target/wasm32-unknown-unknown/wasm-release/websys_loader.wasm"
  "$repo/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-multivalue --enable-reference-types "$out/$variant/loader_bg.wasm" -o "$out/$variant/loader_bg.wasm"
  printf '%-7s wasm %7d gzip %6d  glue %6d gzip %5d\n' "$variant" \
    "$(wc -c <"$out/$variant/loader_bg.wasm")" "$(gzip -9c "$out/$variant/loader_bg.wasm" | wc -c)" \
    "$(wc -c <"$out/$variant/loader.js")" "$(gzip -9c "$out/$variant/loader.js" | wc -c)"
done
(cd "$repo" && npx esbuild js/pieces.js --bundle --minify --format=esm --log-level=warning) >"$out/pieces.min.js"
printf 'js/pieces.js minified %d gzip %d\n' "$(wc -c <"$out/pieces.min.js")" "$(gzip -9c "$out/pieces.min.js" | wc -c)"
rm -rf "$out"
