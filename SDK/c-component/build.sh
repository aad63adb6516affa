#!/usr/bin/env bash
# Builds a Spin HTTP component from C sources and the C component SDK (spin_component.c):
#   SDK/c-component/build.sh -o app.wasm app.c [more.c ...]
# zig cc (PyPI ziglang; or CC="clang-19 --target=wasm32-wasi") -> a reactor core module ->
# `wasm-tools component embed` with spin-http.wit -> `wasm-tools component new`.
# A core module that imports wasi_snapshot_preview1 (clang-19 with Debian's wasi-libc pulls in
# fd_close and friends) needs ADAPTER=.../wasi_snapshot_preview1.reactor.wasm (see
# shared/components/build.sh); zig cc's output imports no preview1 and needs none.
# The WIT it resolves against (fermyon:spin@2.0.0, WASI 0.2.0) comes from the spin-sdk 3.4.1
# wheel: SPIN_SDK_DIR names an unpacked one (a folder holding spin_sdk/), else pip fetches it.
set -euo pipefail
sdk_dir=$(cd "$(dirname "$0")" && pwd)
[ "${1:-}" = -o ] && [ $# -ge 3 ] || { echo "usage: $0 -o OUT.wasm SOURCE.c..." >&2; exit 2; }
out=$2; shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sdk=${SPIN_SDK_DIR:-}
if [ -z "$sdk" ]; then
    python3 -m pip install -q --no-deps --target "$work/sdk" spin-sdk==3.4.1
    sdk="$work/sdk"
fi
wit=$sdk/spin_sdk/wit
mkdir -p "$work/wit/deps/spin"
cp "$sdk_dir/spin-http.wit" "$work/wit/"
cp "$wit"/*.wit "$work/wit/deps/spin/"
cp -r "$wit/deps/"* "$work/wit/deps/"
${CC:-python3 -m ziglang cc -target wasm32-wasi} -mexec-model=reactor -Os -I"$sdk_dir" \
    -o "$work/core.wasm" "$@" "$sdk_dir/spin_component.c"
wasm-tools component embed "$work/wit" --world spin-http "$work/core.wasm" -o "$work/embedded.wasm"
wasm-tools component new "$work/embedded.wasm" ${ADAPTER:+--adapt "wasi_snapshot_preview1=$ADAPTER"} -o "$out"
wasm-tools validate --features component-model "$out"
