#!/usr/bin/env bash
# Rebuilds recorder.wasm (committed, so tests need no C toolchain).
# Needs `pip install ziglang`.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -O2 -s -Wl,-z,stack-size=65536 \
    -I ../../SDK/c recorder.c ../../SDK/c/spin_redis.c -o recorder.wasm
