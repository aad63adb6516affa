#!/usr/bin/env bash
# Rebuilds the hand-written seed modules (wat2wasm from wabt).
set -euo pipefail
cd "$(dirname "$0")"
for w in *.wat; do wat2wasm --enable-all "$w" -o "${w%.wat}.wasm"; done
