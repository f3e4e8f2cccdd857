#!/usr/bin/env bash
# Installs what `make wasm` and `make test-wasm` need, skipping whatever is already present:
# the wasm32 Rust target, the wasm-bindgen CLI at the exact version in Cargo.lock, the npm
# dev dependencies (binaryen's wasm-opt, playwright-core) and Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."   # repository root

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    echo "wasm-setup: adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

want=$(bash wasm/scripts/bindgen-version.sh)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [[ "$have" != "$want" ]]; then
    echo "wasm-setup: installing wasm-bindgen-cli $want (found: ${have:-none}); takes a few minutes"
    # No --locked: one of its pinned dependencies is missing from the registry copy.
    cargo install wasm-bindgen-cli --version "$want" --force
fi

if [[ ! -x wasm/node_modules/.bin/wasm-opt || ! -x wasm/node_modules/.bin/tsc || ! -d wasm/node_modules/playwright-core \
      || wasm/package-lock.json -nt wasm/node_modules/.package-lock.json ]]; then
    echo "wasm-setup: npm ci in wasm/"
    (cd wasm && npm ci --no-audit --no-fund)
fi

apt_packages=()
command -v chromium >/dev/null 2>&1 || apt_packages+=(chromium)
# A Chinese font, so that the end-to-end screenshots show the zh-CN page legibly.
fc-list :lang=zh 2>/dev/null | grep -q . || apt_packages+=(fonts-wqy-zenhei)
if (( ${#apt_packages[@]} )); then
    # Never sudo: as root the packages are installed; as anyone else, say which and how.
    if [[ $(id -u) -ne 0 ]]; then
        echo "wasm-setup: missing system packages: ${apt_packages[*]}" >&2
        echo "wasm-setup: install them and run again, e.g.: sudo apt-get install ${apt_packages[*]}" >&2
        echo "wasm-setup: (the Python and Rust tests do not need them: make test-rust test-py)" >&2
        exit 1
    fi
    echo "wasm-setup: apt-get install ${apt_packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi
echo "wasm-setup: ok (wasm-bindgen $(wasm-bindgen --version | awk '{print $2}'), $(wasm/node_modules/.bin/wasm-opt --version), $(chromium --version 2>/dev/null | head -1))"
