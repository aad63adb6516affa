#!/bin/sh
# Rebuilds the WASI test guests (committed next to their sources).
# Needs `pip install ziglang==0.17.1` (Zig's clang with its bundled wasi-libc).
set -e
cd "$(dirname "$0")"
for src in all_imports fs more; do
    python3 -m ziglang cc -O2 -s -target wasm32-wasi -mno-call-indirect-overlong -Wno-unused-result "$src.c" -o "$src.wasm"
done
