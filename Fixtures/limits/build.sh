#!/usr/bin/env bash
# Rebuilds the guest-limits fixtures (needs `pip install ziglang` and wabt's wat2wasm).
# The built .wasm files are committed, so tests and CI need no guest toolchain.
set -euo pipefail
cd "$(dirname "$0")"
CC="python3 -m ziglang cc -target wasm32-wasi -O2 -s"
SDK=../../SDK/c
# 2 MiB initial memory (1 MiB of it stack), so small --max-memory values in tests still fit.
$CC -mexec-model=reactor -Wl,-z,stack-size=1048576 -Wl,--initial-memory=2097152 -I $SDK guest.c $SDK/spin_http.c -o guest.wasm
# A 1 MiB stack (not zig's 16 MiB) so the module starts below the 16 MiB limits the tests use.
$CC -Wl,-z,stack-size=1048576 wagi-flood.c -o wagi-flood.wasm
wat2wasm start-loop.wat -o start-loop.wasm
wat2wasm redis-loop.wat -o redis-loop.wasm
