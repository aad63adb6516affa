#!/bin/sh
# Rebuilds the Spin 1.4–1.5-shaped fixtures (the .wasm files are committed).
# Needs: python3 -m pip install ziglang wasm-tools
# `./build.sh check` also validates spin15.wasm against wit/spin.wit the way Spin 1.5's loader
# adapts such modules (wasm-tools component embed + component new with the WASI reactor adapter;
# ADAPTER defaults to /tmp/components/adapters/wasi_snapshot_preview1.reactor.wasm).
set -eu
cd "$(dirname "$0")"
CC="python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -O2 -s"
$CC spin15.c -o spin15.wasm
$CC -DNO_HTTP_EXPORT spin15.c -o spin15-redis-only.wasm
# Detection fixtures (WAT; needs wasm-tools: python3 -m pip install wasm-tools).
wasm-tools parse no-realloc.wat -o no-realloc.wasm
wasm-tools parse bad-type.wat -o bad-type.wasm
wasm-tools parse abi-violations.wat -o abi-violations.wasm
ls -l *.wasm
if [ "${1:-}" = check ]; then
    ADAPTER=${ADAPTER:-/tmp/components/adapters/wasi_snapshot_preview1.reactor.wasm}
    tmp=$(mktemp -d)
    wasm-tools component embed wit spin15.wasm --world reactor -o "$tmp/embedded.wasm"
    wasm-tools component new "$tmp/embedded.wasm" --adapt "wasi_snapshot_preview1=$ADAPTER" -o "$tmp/component.wasm"
    echo "spin15.wasm matches wit/spin.wit (componentized: $(wc -c < "$tmp/component.wasm") bytes)"
    rm -rf "$tmp"
fi
