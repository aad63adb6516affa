// A minimal `wasi:cli/command` component written against the canonical ABI by hand: prints its
// arguments (after the program name) and environment variable GREETING to stdout, and returns
// `err` from `run` when the first argument is "fail". Build: ./build.sh (zig cc + wasm-tools).
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))

IMPORT("wasi:cli/stdout@0.2.0", "get-stdout") int32_t get_stdout(void);
IMPORT("wasi:cli/environment@0.2.0", "get-arguments") void get_arguments(void *ret);
IMPORT("wasi:cli/environment@0.2.0", "get-environment") void get_environment(void *ret);
IMPORT("wasi:io/streams@0.2.0", "[method]output-stream.blocking-write-and-flush")
void stream_write(int32_t self, const uint8_t *p, size_t len, void *ret);
IMPORT("wasi:io/streams@0.2.0", "[resource-drop]output-stream") void stream_drop(int32_t self);

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *ptr, size_t old, size_t align, size_t new_size) {
    (void)old; (void)align;
    return realloc(ptr, new_size ? new_size : 1);
}

struct str { const char *ptr; size_t len; };
struct list { void *ptr; size_t len; };

static char out[4096];
static size_t n;

static void put(const char *p, size_t len) {
    if (n + len > sizeof out) len = sizeof out - n;
    memcpy(out + n, p, len);
    n += len;
}

__attribute__((export_name("wasi:cli/run@0.2.0#run")))
int32_t run(void) {
    struct list args, env;
    get_arguments(&args);
    get_environment(&env);
    struct str *a = args.ptr;
    put("args:", 5);
    for (size_t i = 1; i < args.len; i++) { put(" ", 1); put(a[i].ptr, a[i].len); }
    put("\n", 1);
    struct str *e = env.ptr;  // list<tuple<string, string>>: pairs of strings
    for (size_t i = 0; i < env.len; i++) {
        if (e[2 * i].len == 8 && memcmp(e[2 * i].ptr, "GREETING", 8) == 0) {
            put("GREETING=", 9); put(e[2 * i + 1].ptr, e[2 * i + 1].len); put("\n", 1);
        }
    }
    struct { uint8_t tag; uint8_t pad[3]; uint32_t a; uint32_t b; } ret __attribute__((aligned(4)));
    int32_t stdout_stream = get_stdout();
    stream_write(stdout_stream, (const uint8_t *)out, n, &ret);
    stream_drop(stdout_stream);
    if (ret.tag != 0) return 1;
    return (args.len > 1 && a[1].len == 4 && memcmp(a[1].ptr, "fail", 4) == 0) ? 1 : 0;
}
