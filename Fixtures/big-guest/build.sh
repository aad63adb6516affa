#!/usr/bin/env bash
# Regenerates big.c and expected.txt, then builds big.wasm (needs `pip install ziglang`).
# The built .wasm and expected.txt are committed (big.c is not: it is 5 MB and
# generate.py is deterministic), so tests and the benchmark
# need no guest toolchain.
set -euo pipefail
cd "$(dirname "$0")"
python3 generate.py "$@"
python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -O2 -s -I ../../SDK/c big.c ../../SDK/c/spin_http.c -o big.wasm
echo "big.wasm: $(wc -c < big.wasm) bytes"
