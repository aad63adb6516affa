#!/usr/bin/env python3
"""Runs a bench-wasm WASI command under wasm3 (the `pywasm3` package, wasm3 0.5), for
spin-bench's engine table. Usage: wasm3-run.py TIME_FILE FILE.wasm [ARGS...]

pywasm3 has no WASI, so this links the few wasi_snapshot_preview1 functions the bench
modules import (args, fd_write to stdout/stderr, fd_fdstat_get, fd_seek, fd_close,
proc_exit). The guest's stdout goes to stdout; the seconds `_start` took in-process
(module parsed, loaded and linked before the clock starts) go to TIME_FILE, so the
figure excludes Python's own start-up. Exits with the guest's exit code.
"""
import struct
import sys
import time

import wasm3

time_file, path, guest_args = sys.argv[1], sys.argv[2], sys.argv[3:]
env = wasm3.Environment()
runtime = env.new_runtime(64 * 1024 * 1024)
with open(path, "rb") as f:
    module = env.parse_module(f.read())
runtime.load(module)
argv = [a.encode() + b"\0" for a in [path.rsplit("/", 1)[-1]] + guest_args]
out = sys.stdout.buffer


class Exit(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def memory():
    return runtime.get_memory(0)


def args_sizes_get(count_at, size_at):
    m = memory()
    struct.pack_into("<I", m, count_at, len(argv))
    struct.pack_into("<I", m, size_at, sum(map(len, argv)))
    return 0


def args_get(argv_at, buf_at):
    m = memory()
    for i, a in enumerate(argv):
        struct.pack_into("<I", m, argv_at + 4 * i, buf_at)
        m[buf_at:buf_at + len(a)] = a
        buf_at += len(a)
    return 0


def fd_write(fd, iovs, count, written_at):
    if fd not in (1, 2):
        return 8  # EBADF
    m = memory()
    total = 0
    for i in range(count):
        p, n = struct.unpack_from("<II", m, iovs + 8 * i)
        (out if fd == 1 else sys.stderr.buffer).write(bytes(m[p:p + n]))
        total += n
    struct.pack_into("<I", m, written_at, total)
    return 0


def fd_fdstat_get(fd, stat_at):
    m = memory()
    m[stat_at:stat_at + 24] = bytes(24)
    m[stat_at] = 2  # character device
    return 0


def proc_exit(code):
    raise Exit(code)


for name, signature, function in [
    ("args_sizes_get", "i(ii)", args_sizes_get),
    ("args_get", "i(ii)", args_get),
    ("fd_write", "i(iiii)", fd_write),
    ("fd_fdstat_get", "i(ii)", fd_fdstat_get),
    ("fd_seek", "i(iIii)", lambda fd, offset, whence, at: 70),  # ESPIPE
    ("fd_close", "i(i)", lambda fd: 0),
    ("proc_exit", "v(i)", proc_exit),
]:
    try:
        module.link_function("wasi_snapshot_preview1", name, signature, function)
    except RuntimeError:
        pass  # not imported by this module

start = runtime.find_function("_start")
code = 0
began = time.perf_counter()
try:
    start()
except Exit as e:
    code = e.code
except RuntimeError as e:
    if not isinstance(e.__context__, Exit):
        raise
    code = e.__context__.code
seconds = time.perf_counter() - began
out.flush()
with open(time_file, "w") as f:
    f.write("%.6f\n" % seconds)
sys.exit(code)
