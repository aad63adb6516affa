#!/usr/bin/env bash
# Rebuilds the HTTP fixture guests (needs `pip install ziglang`). The built
# .wasm files are committed, so tests and CI need no guest toolchain.
set -euo pipefail
cd "$(dirname "$0")"
CC="python3 -m ziglang cc -target wasm32-wasi -O2 -s"
SDK=../../SDK/c
for g in echo trap bad-status; do
    $CC -mexec-model=reactor -I $SDK $g.c $SDK/spin_http.c -o $g.wasm
done
for g in wagi-env wagi-files wagi-exit; do
    $CC $g.c -o $g.wasm
done
