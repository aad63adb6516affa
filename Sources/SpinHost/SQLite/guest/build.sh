#!/usr/bin/env bash
# Rebuilds ../sqlite_host.wasm: our shim (sqlite_host.c) with SQLite 3.50.4's amalgamation as
# shipped in the sqlean.py==3.50.4.5 PyPI sdist — the same source and flags as
# Fixtures/corpus/build.sh `build_sqlite`, built as a wasm32-wasi reactor with zig cc
# (pip: ziglang==0.17.1). The amalgamation is third-party and never committed: it is fetched
# into $CORPUS_SRC (default /tmp/corpus-src), shared with the corpus build.
#
# Run it after changing sqlite_host.c and commit the .wasm with its PROVENANCE line
# (SQLiteGuestTests checks the committed .wasm's digest against PROVENANCE).
set -euo pipefail
cd "$(dirname "$0")"
SRC=${CORPUS_SRC:-/tmp/corpus-src}
pkg=sqlean.py version=3.50.4.5
q=$(ls -d "$SRC"/sqlean_py-$version 2>/dev/null || true)
if [ -z "$q" ]; then
    mkdir -p "$SRC"
    echo "fetching $pkg==$version (PyPI sdist)" >&2
    python3 -m pip download -q --no-binary :all: --no-deps -d "$SRC" "$pkg==$version" >&2
    tar xzf "$SRC/sqlean_py-$version.tar.gz" -C "$SRC"
    q=$SRC/sqlean_py-$version
fi
q=$q/sqlite
# build_sqlite's flags, plus: reactor (no main), no locking (one process owns the file, and the
# host serializes every call), no memory-mapped I/O (wasi-libc's mmap is an emulation), temporary tables in memory
# (the guest sees only the database's directory).
flags=(-DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_WAL -DSQLITE_OMIT_SHARED_CACHE
    -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -D_WASI_EMULATED_GETPID -D_WASI_EMULATED_MMAN
    '-DSQLITE_DEFAULT_UNIX_VFS="unix-none"' -DSQLITE_MAX_MMAP_SIZE=0 -DSQLITE_TEMP_STORE=3 -I"$q")
python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -Os -Wl,--strip-debug "${flags[@]}" \
    "$q/sqlite3.c" sqlite_host.c -lwasi-emulated-signal -lwasi-emulated-process-clocks \
    -lwasi-emulated-getpid -lwasi-emulated-mman -o ../sqlite_host.wasm
digest=$(sha256sum ../sqlite_host.wasm | cut -d' ' -f1)
shim=$(sha256sum sqlite_host.c | cut -d' ' -f1)
zig=$(python3 -m ziglang version)
cat > ../sqlite_host.PROVENANCE <<END
sqlite_host.wasm sha256 $digest
built by Sources/SpinHost/SQLite/guest/build.sh from sqlite_host.c (sha256 $shim)
and SQLite 3.50.4 (sqlean.py==3.50.4.5 sdist) with zig cc $zig
END
ls -l ../sqlite_host.wasm >&2
