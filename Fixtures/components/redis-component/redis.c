// A Redis handler component of our own, written against the canonical ABI by hand: it exports
// Spin's `fermyon:spin/inbound-redis` (`handle-message: func(message: payload) -> result<_,
// error>`, as spin-sdk 3.4.1's spin-redis world does) and, for each message, writes one line
// `handled <payload> (<NAME>)` to stdout, NAME being the environment variable HANDLER_NAME
// (or `-`). Build: ./build.sh (zig cc + wasm-tools).
//
// Payloads: `fail...`  returns err(error) (after writing the line)
//           `trap`     traps (unreachable) before writing anything
//           `spin`     loops forever (for the watchdog)
//           otherwise  returns ok
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))

IMPORT("wasi:cli/stdout@0.2.0", "get-stdout") int32_t get_stdout(void);
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

static int starts(const uint8_t *p, size_t len, const char *prefix) {
    size_t k = strlen(prefix);
    return len >= k && memcmp(p, prefix, k) == 0;
}

// result<_, error> (error an enum of 2 cases) does not fit in one flat result: the export returns
// a pointer to its 2-byte in-memory form (discriminant, then the enum).
static struct { uint8_t is_err; uint8_t error; } result;

__attribute__((export_name("fermyon:spin/inbound-redis#handle-message")))
void *handle_message(const uint8_t *payload, size_t len) {
    if (len == 4 && memcmp(payload, "trap", 4) == 0) __builtin_trap();
    if (len == 4 && memcmp(payload, "spin", 4) == 0) {
        for (volatile int i = 0;; i++) {}
    }
    n = 0;
    put("handled ", 8);
    put((const char *)payload, len);
    put(" (", 2);
    struct list env;
    get_environment(&env);
    struct str *e = env.ptr;  // list<tuple<string, string>>: pairs of strings
    const char *name = "-";
    size_t name_len = 1;
    for (size_t i = 0; i < env.len; i++) {
        if (e[2 * i].len == 12 && memcmp(e[2 * i].ptr, "HANDLER_NAME", 12) == 0) {
            name = e[2 * i + 1].ptr;
            name_len = e[2 * i + 1].len;
        }
    }
    put(name, name_len);
    put(")\n", 2);
    struct { uint8_t tag; uint8_t pad[3]; uint32_t a; uint32_t b; } ret __attribute__((aligned(4)));
    int32_t stdout_stream = get_stdout();
    stream_write(stdout_stream, (const uint8_t *)out, n, &ret);
    stream_drop(stdout_stream);
    result.is_err = (ret.tag != 0 || starts(payload, len, "fail")) ? 1 : 0;
    result.error = 1;  // error::error
    return &result;
}
