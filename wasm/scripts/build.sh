#!/usr/bin/env bash
# Builds the WebAssembly package into wasm/pkg and the page's copy into wasm/www/pkg:
# cargo (profile wasm-release) → wasm-bindgen CLI (the Cargo.lock version) → wasm-opt from
# npm binaryen (never Debian's /usr/bin/wasm-opt, which breaks the module).
set -euo pipefail
cd "$(dirname "$0")/../.."   # repository root
CARGO=${CARGO:-cargo}
want=$(bash wasm/scripts/bindgen-version.sh)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [[ "$have" != "$want" || ! -x wasm/node_modules/.bin/wasm-opt ]]; then
    bash wasm/scripts/setup.sh
fi
target_dir=${CARGO_TARGET_DIR:-target}
# POSFEE_WASM_FEATURES=holiday-cn adds loadHolidays for holiday-cn JSON, =holidays also calendar TOML
# (both over the size budget: see wasm/README.md, "Holiday data").
$CARGO build -p posfee-wasm --target wasm32-unknown-unknown --profile wasm-release ${POSFEE_WASM_FEATURES:+--features "$POSFEE_WASM_FEATURES"}
raw="$target_dir/wasm32-unknown-unknown/wasm-release/posfee_wasm.wasm"
rm -rf wasm/pkg
# --experimental-reset-state-function: the glue exports __wbg_reset_state(), which js/guard.js
# calls to re-instantiate the module (synchronously, from the compiled module) after a trap.
wasm-bindgen --target web --experimental-reset-state-function --out-dir wasm/pkg --out-name posfee_wasm "$raw"
# -Os gzips smaller than -Oz for this module (148.3 vs 149.0 KB gzipped, BENCHMARKS.md); the
# producers section is metadata only.
wasm/node_modules/.bin/wasm-opt -Os --strip-producers wasm/pkg/posfee_wasm_bg.wasm -o wasm/pkg/posfee_wasm_bg.wasm.opt
mv wasm/pkg/posfee_wasm_bg.wasm.opt wasm/pkg/posfee_wasm_bg.wasm
cp wasm/js/index.js wasm/js/guard.js wasm/js/index.d.ts wasm/pkg/
version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
cat > wasm/pkg/package.json <<JSON
{
  "name": "posfee",
  "version": "$version",
  "description": "Exact fee and settlement calculator for China card and QR acquiring (WebAssembly)",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "index.js",
  "types": "index.d.ts",
  "exports": { ".": { "types": "./index.d.ts", "default": "./index.js" } },
  "files": ["index.js", "guard.js", "index.d.ts", "posfee_wasm.js", "posfee_wasm.d.ts", "posfee_wasm_bg.wasm", "posfee_wasm_bg.wasm.d.ts"],
  "sideEffects": true
}
JSON
rm -rf wasm/www/pkg
mkdir -p wasm/www/pkg
cp wasm/pkg/index.js wasm/pkg/guard.js wasm/pkg/posfee_wasm.js wasm/pkg/posfee_wasm_bg.wasm wasm/www/pkg/
raw_bytes=$(wc -c < wasm/pkg/posfee_wasm_bg.wasm)
gz_bytes=$(gzip -9 -c wasm/pkg/posfee_wasm_bg.wasm | wc -c)
echo "wasm: wasm/pkg/posfee_wasm_bg.wasm $raw_bytes bytes, $gz_bytes gzipped (gzip -9); page in wasm/www"
