#!/usr/bin/env bash
# Builds the wasm engine twice (with the default index; engine only) and the in-browser index
# builder, runs wasm-bindgen and wasm-opt -Oz --converge, and bundles dist/ (script, ES module, CommonJS,
# types, builder script) and the demo in www/ (index.html, papersift.js) with esbuild
# (scripts/bundle.mjs). Then compiles the command line (crates/papersift-cli) for WASI into
# dist/papersift-cli.wasm, which the npm package's `papersift` command (bin/papersift.mjs) runs in Node.
# Non-interactive; `npm run build` runs it. Run scripts/setup.sh first on a fresh machine.
#   PAPERSIFT_PROFILE   cargo profile for the wasm (default wasm-release; `dev` for a debug build)
#   PAPERSIFT_RECORDS   records to embed instead of data/daily_papers.txt (see build.rs)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

profile=${PAPERSIFT_PROFILE:-wasm-release}
profile_dir=$profile
[ "$profile" = dev ] && profile_dir=debug
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
wasm="$target_dir/wasm32-unknown-unknown/$profile_dir/papersift.wasm"
wasm_opt=node_modules/.bin/wasm-opt
if [ ! -x "$wasm_opt" ]; then
  echo "build: $wasm_opt is missing; run scripts/setup.sh (it runs npm ci)" >&2
  exit 1
fi

# The features rustc enables by default for wasm32-unknown-unknown and wasm32-wasip1; wasm-opt must accept them
# and must not add others.
wasm_features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-multivalue --enable-reference-types)
# The browser wasm's optimization: -Oz until it no longer shrinks (--converge: 1.4 KB less gzip
# than one pass), and without the custom sections naming the toolchain and the features, which no
# engine reads (docs/BENCHMARKS.md, "The wasm engine's size").
wasm_size=(-Oz --converge --strip-producers --strip-target-features)

# build_variant NAME CARGO_FEATURE_ARGS...: cargo → wasm-bindgen → wasm-opt into pkg/NAME.
build_variant() {
  local name=$1
  shift
  echo "build: wasm ($name, profile $profile)"
  cargo build --lib --target wasm32-unknown-unknown --profile "$profile" "$@"
  rm -rf "pkg/$name"
  wasm-bindgen --target web --no-typescript --out-dir "pkg/$name" "$wasm"
  if [ "$profile" != dev ]; then
    "$wasm_opt" "${wasm_size[@]}" "${wasm_features[@]}" "pkg/$name/papersift_bg.wasm" -o "pkg/$name/papersift_bg.wasm"
  fi
}

# build_cli: the native command line, the same crate and arguments, compiled to wasm32-wasip1.
# It indexes whole libraries, so it is built for speed (the release profile, wasm-opt -O3), not
# size like the engine: on a 186 MiB JSON Lines file, 2x faster for 0.1 MiB more gzipped.
build_cli() {
  local cli_profile=release cli_dir=release
  [ "$profile" = dev ] && cli_profile=dev cli_dir=debug
  echo "build: wasm (command line for Node, profile $cli_profile)"
  cargo build -p papersift-cli --target wasm32-wasip1 --profile "$cli_profile"
  cp "$target_dir/wasm32-wasip1/$cli_dir/papersift.wasm" dist/papersift-cli.wasm
  if [ "$profile" != dev ]; then
    "$wasm_opt" -O3 "${wasm_features[@]}" dist/papersift-cli.wasm -o dist/papersift-cli.wasm
  fi
}

build_variant full
build_variant engine --no-default-features

# The in-browser index builder (crates/papersift-builder), bundled into its own script,
# dist/papersift-builder.js, which the element loads only when a visitor opens a file.
# Its own profile (Cargo.toml): the engine's speed settings do not suit it.
builder_profile=$profile builder_dir=$profile_dir
[ "$profile" = wasm-release ] && builder_profile=wasm-builder builder_dir=wasm-builder
echo "build: wasm (builder, profile $builder_profile)"
cargo build --lib -p papersift-builder --target wasm32-unknown-unknown --profile "$builder_profile"
rm -rf pkg/builder
wasm-bindgen --target web --no-typescript --out-name papersift --out-dir pkg/builder "$target_dir/wasm32-unknown-unknown/$builder_dir/papersift_builder.wasm"
if [ "$profile" != dev ]; then
  "$wasm_opt" "${wasm_size[@]}" "${wasm_features[@]}" pkg/builder/papersift_bg.wasm -o pkg/builder/papersift_bg.wasm
fi
node scripts/bundle.mjs --full pkg/full --engine pkg/engine --builder pkg/builder --out dist --www www
build_cli

size() { printf '%9d raw %9d gzip  %s\n' "$(wc -c <"$1")" "$(gzip -9c "$1" | wc -c)" "$1"; }
echo "build: sizes"
size pkg/engine/papersift_bg.wasm
size pkg/full/papersift_bg.wasm
size dist/papersift-engine.js
size dist/papersift.js
size dist/papersift-builder.js
size dist/papersift-cli.wasm
