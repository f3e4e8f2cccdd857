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
# build_module FEATURES OUT [OPT]: cargo → wasm-bindgen → wasm-opt into OUT (posfee_wasm.js, posfee_wasm_bg.wasm).
build_module() {
    local features=$1 out=$2 opt=${3:--Os}
    $CARGO build -p posfee-wasm --target wasm32-unknown-unknown --profile wasm-release ${features:+--features "$features"}
    local raw="$target_dir/wasm32-unknown-unknown/wasm-release/posfee_wasm.wasm"
    rm -rf "$out"
    # --experimental-reset-state-function: the glue exports __wbg_reset_state(), which js/guard.js
    # calls to re-instantiate the module (synchronously, from the compiled module) after a trap.
    wasm-bindgen --target web --experimental-reset-state-function --out-dir "$out" --out-name posfee_wasm "$raw"
    # The producers section is metadata only.
    # shellcheck disable=SC2086 # $opt is a list of wasm-opt passes
    wasm/node_modules/.bin/wasm-opt $opt --strip-producers "$out/posfee_wasm_bg.wasm" -o "$out/posfee_wasm_bg.wasm.opt"
    mv "$out/posfee_wasm_bg.wasm.opt" "$out/posfee_wasm_bg.wasm"
}
# The calculator: -Os, then the control flow restructured (--flatten --rereloop) and whole-program
# value flow (--gufa), each followed by -Os again: 1.2 KB gzipped smaller than -Os alone, -Oz
# alone or either pass alone (BENCHMARKS.md, "WebAssembly size"); the 150 KB budget is tight.
# --low-memory-unused lets binaryen fold constant offsets into loads and stores assuming the
# low 1 KB of memory is never addressed: Rust lays the 1 MB stack first ([0, 1 MB), growing
# down from 1 MB, data above it), so the low 1 KB is only reached by a stack 1023 KB deep,
# which is an overflow anyway (0.8 KB gzipped smaller).
build_module "${POSFEE_WASM_FEATURES:-}" wasm/pkg "-Os --flatten --rereloop -Os --gufa -Os --low-memory-unused"
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
# The statement checker (feature `audit`): a second module the page loads only when a statement
# is checked (wasm/www/audit/, budget 600 KB gzipped). POSFEE_WASM_AUDIT=0 skips it.
if [[ "${POSFEE_WASM_AUDIT:-1}" != 0 ]]; then
    # -Oz: smaller than -Os for this module (the checker's speed is bound by reading and matching);
    # --converge (the passes again until nothing shrinks): 1.8 KB gzipped less, which keeps the
    # checker within its budget after the message catalogue and the statement's batch column.
    # --low-memory-unused, as for the calculator (above: the low 1 KB is reached only by a stack
    # 1023 KB deep, an overflow anyway): 4.2 KB gzipped less (595,843 against 600,003 Node zlib
    # bytes on 2026-12-07, when the readers' quoted fields and fixed-width lines got fast paths).
    build_module audit wasm/pkg-audit "-Oz --converge --low-memory-unused"
    cp wasm/js/index.js wasm/js/guard.js wasm/pkg-audit/
    rm -rf wasm/www/audit
    mkdir -p wasm/www/audit
    cp wasm/pkg-audit/guard.js wasm/pkg-audit/posfee_wasm.js wasm/pkg-audit/posfee_wasm_bg.wasm wasm/www/audit/
    cp wasm/pkg-audit/index.js wasm/www/audit/index.js
    raw_bytes=$(wc -c < wasm/pkg-audit/posfee_wasm_bg.wasm)
    gz_bytes=$(gzip -9 -c wasm/pkg-audit/posfee_wasm_bg.wasm | wc -c)
    echo "wasm: wasm/pkg-audit/posfee_wasm_bg.wasm (statement checker) $raw_bytes bytes, $gz_bytes gzipped (gzip -9); page copy in wasm/www/audit"
    # The deposit check (feature `deposits`: the statement checker plus the bank statement readers
    # and deposit matching): a third module, loaded only when a bank statement is given.
    build_module deposits wasm/pkg-deposits "-Oz --converge --low-memory-unused"
    cp wasm/js/index.js wasm/js/guard.js wasm/pkg-deposits/
    rm -rf wasm/www/deposits
    mkdir -p wasm/www/deposits
    cp wasm/pkg-deposits/guard.js wasm/pkg-deposits/posfee_wasm.js wasm/pkg-deposits/posfee_wasm_bg.wasm wasm/pkg-deposits/index.js wasm/www/deposits/
    raw_bytes=$(wc -c < wasm/pkg-deposits/posfee_wasm_bg.wasm)
    gz_bytes=$(gzip -9 -c wasm/pkg-deposits/posfee_wasm_bg.wasm | wc -c)
    echo "wasm: wasm/pkg-deposits/posfee_wasm_bg.wasm (deposit check) $raw_bytes bytes, $gz_bytes gzipped (gzip -9); page copy in wasm/www/deposits"
fi
