#!/bin/sh
# Builds main.wasm (committed). Needs: python3 -m pip install ziglang
set -eu
cd "$(dirname "$0")"
SDK=../../SDK/c
python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -O2 -s -Wl,-z,stack-size=1048576 -I $SDK \
    main.c $SDK/spin_http.c $SDK/spin_config.c $SDK/spin_pg.c -o main.wasm
ls -l main.wasm
