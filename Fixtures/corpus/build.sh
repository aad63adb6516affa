#!/usr/bin/env bash
# Rebuilds the real-program corpus (see programs.txt) and records what wasmtime prints for
# each program (NAME.expected / NAME.stderr / NAME.exit).
#
#   ./build.sh                 build every program, then record every program
#   ./build.sh rust lua        build only these groups (rust c-kernels cpp cpp-eh c-tail zig lua zstd sqlite quickjs),
#                              then record all
#   ./build.sh --record        only record (wasmtime must be on PATH)
#   ./build.sh --no-record ... build without recording
#
# Toolchains (Debian bookworm + PyPI):
#   Rust:  /usr/bin/rustc 1.63 with wasm32-wasi std (apt: rustc libstd-rust-dev-wasm32)
#   C/C++: clang-19 with wasi-libc and libc++ for wasm32 (apt: clang-19 lld-19 wasi-libc
#          libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 libclang-rt-19-dev-wasm32)
#          and zig cc (pip: ziglang==0.17.1)
#          and Binaryen's wasm-opt (apt: binaryen, version 108), which rewrites LLVM's output
#          the way Emscripten and wasm-pack pipelines do (if/else, br_if with values, le/ge forms)
#   Record: wasmtime 49 (`wasmtime run`)
# Third-party sources are never committed: they are fetched as PyPI sdists (pip download)
# into $CORPUS_SRC (default: /tmp/corpus-src) and compiled from there.
set -euo pipefail
cd "$(dirname "$0")"
HERE=$(pwd)
SRC=${CORPUS_SRC:-/tmp/corpus-src}
RUSTC=/usr/bin/rustc
ZIGCC=(python3 -m ziglang cc -target wasm32-wasi)
WASM_OPT=(wasm-opt -O3 --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int --enable-mutable-globals)
CLANG_RT=/usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a
# clang-19 looks for its wasm32 builtins under a name Debian does not ship: link them by path.
CLANG=(clang-19 --target=wasm32-wasi --sysroot=/usr -nodefaultlibs)
CLANGXX=(clang++-19 --target=wasm32-wasi --sysroot=/usr -nodefaultlibs -I/usr/include/wasm32-wasi/c++/v1 -L/usr/lib/wasm32-wasi)

record=1
build=1
groups=()
for a in "$@"; do
    case "$a" in
    --record) build=0 ;;
    --no-record) record=0 ;;
    *) groups+=("$a") ;;
    esac
done
[ ${#groups[@]} -eq 0 ] && groups=(rust c-kernels cpp cpp-eh c-tail zig lua zstd sqlite quickjs)

# fetch NAME VERSION: unpacks the sdist into $SRC/NAME-VERSION (name as in the archive).
fetch() {
    local pkg=$1 version=$2 dir
    dir=$(ls -d "$SRC"/*-"$version" 2>/dev/null | grep -i "/${pkg//[-.]/[-_.]}-$version\$" | head -1 || true)
    if [ -z "$dir" ]; then
        mkdir -p "$SRC"
        echo "fetching $pkg==$version (PyPI sdist)" >&2
        python3 -m pip download -q --no-binary :all: --no-deps -d "$SRC" "$pkg==$version" >&2 || return 1
        local archive
        archive=$(ls "$SRC"/*.tar.gz | grep -i "/${pkg//[-.]/[-_.]}-$version.tar.gz\$" | head -1)
        [ -n "$archive" ] || { echo "fetch: no sdist for $pkg==$version" >&2; return 1; }
        tar xzf "$archive" -C "$SRC"
        dir=$(ls -d "$SRC"/*-"$version" | grep -i "/${pkg//[-.]/[-_.]}-$version\$" | head -1)
    fi
    echo "$dir"
}

build_rust() {
    # Paths in panic messages are relative to this folder, so build from here.
    local flags="-C strip=debuginfo --target wasm32-wasi"
    $RUSTC -O $flags rs-collections/main.rs -o rs-collections/rs-collections.wasm
    $RUSTC -C opt-level=s $flags rs-format/main.rs -o rs-format/rs-format.wasm
    $RUSTC -C opt-level=0 $flags rs-strings/main.rs -o rs-strings/rs-strings.wasm
    $RUSTC -O $flags rs-ints/main.rs -o rs-ints/rs-ints.wasm
    $RUSTC -O $flags rs-arrays/main.rs -o rs-arrays/rs-arrays.wasm
    $RUSTC -O $flags rs-algos/main.rs -o rs-algos/rs-algos.wasm
    $RUSTC -C opt-level=1 $flags rs-fs/main.rs -o rs-fs/rs-fs.wasm
    $RUSTC -C opt-level=0 $flags rs-panic/main.rs -o rs-panic/rs-panic.wasm
    $RUSTC -C opt-level=2 $flags rs-trap/main.rs -o rs-trap/rs-trap.wasm
    $RUSTC -C opt-level=z $flags rs-exit/main.rs -o rs-exit/rs-exit.wasm
    "${WASM_OPT[@]}" rs-algos/rs-algos.wasm -o rs-algos/rs-algos-binaryen.wasm
}

build_c_kernels() {
    "${CLANG[@]}" -O2 c-kernels/kernels.c -lc "$CLANG_RT" -lm -o c-kernels/c-kernels-O2.wasm
    "${CLANG[@]}" -O0 c-kernels/kernels.c -lc "$CLANG_RT" -lm -o c-kernels/c-kernels-O0.wasm
    "${ZIGCC[@]}" -Os c-kernels/kernels.c -o c-kernels/c-kernels-zig.wasm
    "${WASM_OPT[@]}" c-kernels/c-kernels-O2.wasm -o c-kernels/c-kernels-binaryen.wasm
}

build_cpp() {
    "${CLANGXX[@]}" -std=c++17 -O2 -fno-exceptions -Wl,--strip-debug cpp-stl/main.cpp -lc++ -lc++abi -lc "$CLANG_RT" \
        -o cpp-stl/cpp-stl.wasm
}

build_cpp_eh() {
    # C++ exceptions as Wasm exception handling. Debian's libc++abi for wasm32 has no exception
    # support (nor has zig's), so cpp-eh/eh_runtime.cpp supplies __cxa_throw/__cxa_begin_catch/...
    # and the program catches with `catch (...)`. clang-19 emits the legacy instructions
    # (try/catch/catch_all/rethrow); zig's clang 22 with -wasm-use-legacy-eh=false the Wasm 3.0
    # ones (try_table/throw_ref/exnref). wasmtime 49 runs only the latter, so the legacy build's
    # expected output is recorded from the other build of the same source (expected-from=).
    "${CLANGXX[@]}" -std=c++17 -O2 -fwasm-exceptions -Wl,--strip-debug cpp-eh/main.cpp cpp-eh/eh_runtime.cpp \
        -lc++abi -lc "$CLANG_RT" -o cpp-eh/cpp-eh-legacy.wasm
    python3 -m ziglang c++ -target wasm32-wasi -O2 -fwasm-exceptions -mexception-handling -mllvm -wasm-use-legacy-eh=false \
        -Wl,--strip-debug cpp-eh/main.cpp cpp-eh/eh_runtime.cpp -o cpp-eh/cpp-eh.wasm
}

build_c_tail() {
    # Tail calls from C: -mtail-call and __attribute__((musttail)) (return_call, return_call_indirect).
    "${CLANG[@]}" -O2 -mtail-call c-tail/main.c -lc "$CLANG_RT" -o c-tail/c-tail.wasm
    "${CLANG[@]}" -O0 -mtail-call c-tail/main.c -lc "$CLANG_RT" -o c-tail/c-tail-O0.wasm
}

build_zig() {
    # Zig's self-hosted WebAssembly backend (no LLVM): a different code generator altogether.
    python3 -m ziglang build-exe -target wasm32-wasi -O Debug -fno-llvm -fno-lld zig-selfhosted/main.zig \
        -femit-bin=zig-selfhosted/zig-selfhosted.wasm
}

build_lua() {
    # Lua 5.4 as vendored by lupa; onelua.c is the whole interpreter (lua.c included) in one unit.
    local lua
    lua=$(fetch lupa 2.8) || exit 1
    lua=$lua/third-party/lua54
    "${ZIGCC[@]}" -O2 -Wl,--strip-debug -include lua/wasi_prelude.h -I"$lua" -D_WASI_EMULATED_SIGNAL \
        -D_WASI_EMULATED_PROCESS_CLOCKS -lwasi-emulated-signal -lwasi-emulated-process-clocks \
        "$lua/onelua.c" lua/wasi_support.c -lm -o lua/lua.wasm
    "${WASM_OPT[@]}" lua/lua.wasm -o lua/lua-binaryen.wasm
}

build_zstd() {
    # zstd 1.5.7's single-file amalgamation as shipped in the zstandard sdist. __EMSCRIPTEN__
    # only turns off ZSTD_MULTITHREAD there (wasm32-wasi has no threads).
    local z
    z=$(fetch zstandard 0.25.0) || exit 1
    z=$z/zstd
    "${ZIGCC[@]}" -O2 -Wl,--strip-debug -D__EMSCRIPTEN__ -I"$z" zstd/main.c -o zstd/zstd.wasm
}

build_sqlite() {
    # The SQLite 3.50.4 amalgamation and its shell, as shipped in the sqlean.py sdist.
    local q flags
    q=$(fetch sqlean.py 3.50.4.5) || exit 1
    q=$q/sqlite
    flags=(-DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_WAL -DSQLITE_OMIT_SHARED_CACHE
        -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -D_WASI_EMULATED_GETPID -D_WASI_EMULATED_MMAN
        -I"$q" "$q/shell.c" "$q/sqlite3.c" sqlite/wasi_support.c)
    "${ZIGCC[@]}" -Os -Wl,--strip-debug "${flags[@]}" -lwasi-emulated-signal -lwasi-emulated-process-clocks \
        -lwasi-emulated-getpid -lwasi-emulated-mman -o sqlite/sqlite.wasm
    # A second, bigger build with the other compiler (not committed: see programs.txt `big`).
    "${CLANG[@]}" -O2 -Wl,--strip-debug -include sqlite/clang_prelude.h "${flags[@]}" -L/usr/lib/wasm32-wasi -lwasi-emulated-signal \
        -lwasi-emulated-process-clocks -lwasi-emulated-getpid -lwasi-emulated-mman -lc "$CLANG_RT" -lm \
        -o sqlite/sqlite-clang.wasm
}

build_quickjs() {
    # QuickJS 2021-03-27 as vendored by the `quickjs` sdist (library only; main.c is our host).
    local q
    q=$(fetch quickjs 1.19.4) || exit 1
    q=$q/upstream-quickjs
    "${ZIGCC[@]}" -O2 -Wl,--strip-debug -include quickjs/wasi_prelude.h -D_GNU_SOURCE \
        -DCONFIG_VERSION="\"$(cat "$q/VERSION")\"" -DCONFIG_BIGNUM -D_WASI_EMULATED_SIGNAL -lwasi-emulated-signal \
        -I"$q" "$q/quickjs.c" "$q/libregexp.c" "$q/libunicode.c" "$q/cutils.c" "$q/libbf.c" quickjs/main.c -lm \
        -o quickjs/quickjs.wasm
}

if [ $build = 1 ]; then
    for g in "${groups[@]}"; do
        echo "building $g" >&2
        case "$g" in
        rust) build_rust ;;
        c-kernels) build_c_kernels ;;
        cpp) build_cpp ;;
        cpp-eh) build_cpp_eh ;;
        c-tail) build_c_tail ;;
        zig) build_zig ;;
        lua) build_lua ;;
        zstd) build_zstd ;;
        sqlite) build_sqlite ;;
        quickjs) build_quickjs ;;
        *) echo "unknown group $g" >&2; exit 2 ;;
        esac
    done
fi

# record PATH OPTIONS...: runs DIR/NAME.wasm under wasmtime as the test runs it in-process.
record_one() {
    local path=$1
    shift
    local dir=${path%/*} name=${path##*/} stdin=/dev/null guest="" opt run=""
    for opt in "$@"; do
        case "$opt" in
        stdin=*) stdin=$HERE/$dir/${opt#stdin=} ;;
        dir=*) guest=${opt#dir=} ;;
        expected-from=*) run=${opt#expected-from=} ;;
        esac
    done
    [ -f "$dir/$name.wasm" ] || { echo "record: $dir/$name.wasm absent, skipped" >&2; return; }
    # Wasm 3.0 features the corpus uses (wasmtime 49 has them off or partly off by default).
    local cmd=(wasmtime run -W exceptions=y,tail-call=y)
    local tmp=""
    if [ -n "$guest" ]; then
        tmp=$(mktemp -d)
        cmd+=(--dir "$tmp::$guest")
    fi
    if [ -f "$dir/$name.env" ]; then
        while IFS= read -r line; do [ -n "$line" ] && cmd+=(--env "$line"); done <"$dir/$name.env"
    fi
    cmd+=("${run:-$name}.wasm")
    if [ -f "$dir/$name.args" ]; then
        while IFS= read -r line; do cmd+=("$line"); done <"$dir/$name.args"
    fi
    local code=0
    (cd "$dir" && "${cmd[@]}" <"$stdin" >"$name.expected" 2>"$name.stderr.raw") || code=$?
    # A trap: wasmtime appends its own report to what the guest wrote; keep the guest's part.
    python3 - "$dir/$name.stderr.raw" "$dir/$name.stderr" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
marker = b'Error: failed to run main module'
i = data.find(marker)
open(sys.argv[2], 'wb').write(data if i < 0 else data[:i])
PY
    rm -f "$dir/$name.stderr.raw"
    echo "$code" >"$dir/$name.exit"
    [ -n "$tmp" ] && rm -rf "$tmp"
    echo "recorded $path: exit $code, $(wc -c <"$dir/$name.expected") bytes of stdout" >&2
}

if [ $record = 1 ]; then
    while read -r path rest; do
        case "$path" in '' | '#'*) continue ;; esac
        # shellcheck disable=SC2086
        record_one "$path" $rest
    done <programs.txt
fi
