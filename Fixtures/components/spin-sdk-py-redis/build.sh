#!/usr/bin/env bash
# Builds with componentize-py 0.17.2 and spin-sdk 3.4.1 into OUTDIR/spin-sdk-py-redis/:
# app.wasm from app.py (the spin-redis world) and all.wasm from app_all.py (the spin-all world:
# Redis and HTTP exports);
# ~36 MB each, CPython inside: not committed.
#   build.sh [OUTDIR]     OUTDIR defaults to $SPIN_COMPONENTS_DIR or /tmp/components
# Uses OUTDIR/venv017 and OUTDIR/sdk/3.4.1 when shared/components/build.sh made them,
# else creates them (PyPI: componentize-py==0.17.2, spin-sdk==3.4.1).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-${SPIN_COMPONENTS_DIR:-/tmp/components}}
mkdir -p "$out" && cd "$out" && out=$PWD
[ -x venv017/bin/componentize-py ] || { python3 -m venv venv017 && venv017/bin/pip install -q componentize-py==0.17.2; }
[ -d sdk/3.4.1/spin_sdk ] || { mkdir -p sdk/3.4.1 && venv017/bin/pip install -q --no-deps --target sdk/3.4.1 spin-sdk==3.4.1; }
mkdir -p spin-sdk-py-redis && cp "$here/app.py" "$here/app_all.py" spin-sdk-py-redis/
cd spin-sdk-py-redis
for build in spin-redis:app:app spin-all:app_all:all; do
    world=${build%%:*} module=${build#*:} && module=${module%%:*} name=${build##*:}
    "$out/venv017/bin/componentize-py" -w "$world" componentize -p . -p ../sdk/3.4.1 "$module" -o "$name.wasm" \
        > build.log 2>&1 || { tail -20 build.log; exit 1; }
    printf '%10d %s\n' "$(stat -c %s "$name.wasm")" "$out/spin-sdk-py-redis/$name.wasm"
done
