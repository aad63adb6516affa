#!/usr/bin/env bash
# Rebuilds app.wasm (committed) from app.c with the C component SDK (SDK/c-component/build.sh:
# zig cc, spin-http.wit with the spin-sdk 3.4.1 wheel's WIT, wasm-tools component embed/new),
# then records its world in app.wit. SPIN_SDK_DIR may name an unpacked spin-sdk 3.4.1 wheel.
set -euo pipefail
cd "$(dirname "$0")"
../../../SDK/c-component/build.sh -o app.wasm app.c
wasm-tools component wit app.wasm > app.wit
ls -l app.wasm
