#!/bin/sh
# Rebuilds the host-interface fixtures (the .wasm files are committed).
# Needs: python3 -m pip install ziglang
set -eu
cd "$(dirname "$0")"
SDK=../../SDK/c
CC="python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -O2 -s -I $SDK"
$CC outbound_http.c $SDK/spin_http.c $SDK/spin_outbound_http.c -o outbound_http.wasm
$CC kv_counter.c $SDK/spin_http.c $SDK/spin_key_value.c -o kv_counter.wasm
$CC config.c $SDK/spin_http.c $SDK/spin_config.c -o config.wasm
$CC sqlite_guest.c $SDK/spin_http.c -o sqlite_guest.wasm
$CC all_imports.c $SDK/spin_http.c $SDK/spin_outbound_http.c $SDK/spin_config.c $SDK/spin_key_value.c -o all_imports.wasm
ls -l *.wasm
