#!/bin/sh
# Rebuilds the WASI test guests (committed next to their sources).
# Needs `pip install ziglang==0.17.1` (Zig's clang with its bundled wasi-libc).
#
# rights.wasm and times.wasm are compared with wasmtime: when `wasmtime` is on
# the PATH, this also records what it prints for them (stdio not a terminal,
# "/sandbox" an empty directory) as rights.expected and times.expected, which
# the tests hold our output to.
set -e
cd "$(dirname "$0")"
for src in all_imports fs more rights times; do
    python3 -m ziglang cc -O2 -s -target wasm32-wasi -mno-call-indirect-overlong -Wno-unused-result "$src.c" -o "$src.wasm"
done

if ! command -v wasmtime >/dev/null 2>&1; then
    echo "wasmtime not on the PATH: rights.expected and times.expected left as they are" >&2
    exit 0
fi
for guest in rights times; do
    sandbox=$(mktemp -d)
    wasmtime run --dir "$sandbox::/sandbox" "$guest.wasm" </dev/null >"$guest.expected.new"
    rm -rf "$sandbox"
    mv "$guest.expected.new" "$guest.expected"
done
echo "recorded with $(wasmtime --version)"
