#!/usr/bin/env bash
# Rebuilds the isolation fixtures (wat2wasm from wabt).
set -euo pipefail
cd "$(dirname "$0")"
for w in *.wat; do wat2wasm "$w" -o "${w%.wat}.wasm"; done
