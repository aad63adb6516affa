#!/bin/sh
# Builds the component with rustc alone (no crates, so no cargo needed) into
# target/{{project-name | snake_case}}.wasm. Uses the first rustc ($RUSTC, the one on PATH,
# then /usr/bin/rustc) that has a WASI standard library: wasm32-wasip1 (Rust 1.78 and
# later: rustup target add wasm32-wasip1) or wasm32-wasi (older Rust, e.g. Debian's
# rustc with libstd-rust-dev-wasm32).
set -e
for rustc in ${RUSTC:-} rustc /usr/bin/rustc; do
    command -v "$rustc" >/dev/null 2>&1 || continue
    sysroot=$("$rustc" --print sysroot 2>/dev/null) || continue
    for target in wasm32-wasip1 wasm32-wasi; do
        if [ -d "$sysroot/lib/rustlib/$target/lib" ]; then
            mkdir -p target
            exec "$rustc" --target "$target" --crate-type cdylib --edition 2021 --crate-name {{project-name | snake_case}} \
                -C opt-level=s -C lto -C strip=symbols -o target/{{project-name | snake_case}}.wasm src/lib.rs
        fi
    done
done
echo "error: no rustc with a WASI standard library (wasm32-wasip1 or wasm32-wasi); run: rustup target add wasm32-wasip1" >&2
exit 1
