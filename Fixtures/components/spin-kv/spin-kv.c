// A wasi:http@0.2.0 incoming-handler that exercises Spin's interfaces for components and writes
// what each call answered, one line per call, as its text/plain body. Written against the
// canonical ABI by hand (like ../stream/stream.c). Build: ./build.sh
//
// It calls fermyon:spin/variables `get` (defined, undefined, invalid name), wasi:config/store
// `get` and `get-all`, fermyon:spin/key-value (`open` of an allowed and a forbidden label, `set`,
// `get`, `exists`, `get-keys`, `delete`), wasi:keyvalue (`open`, atomics `increment`, `cas`
// `new`/`current`/`swap`, batch `set-many`/`get-many`), and fermyon:spin/llm `infer` (an error).
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))
#define HTTP "wasi:http/types@0.2.0"
#define IO "wasi:io/streams@0.2.0"
#define VARS "fermyon:spin/variables@2.0.0"
#define CONFIG "wasi:config/store@0.2.0-draft-2024-09-27"
#define KV "fermyon:spin/key-value@2.0.0"
#define STORE "wasi:keyvalue/store@0.2.0-draft2"
#define ATOMICS "wasi:keyvalue/atomics@0.2.0-draft2"
#define BATCH "wasi:keyvalue/batch@0.2.0-draft2"
#define LLM "fermyon:spin/llm@2.0.0"

IMPORT(HTTP, "[constructor]fields") int32_t fields_new(void);
IMPORT(HTTP, "[method]fields.append") void fields_append(int32_t self, const char *n, size_t nl, const uint8_t *v, size_t vl, void *ret);
IMPORT(HTTP, "[resource-drop]incoming-request") void req_drop(int32_t self);
IMPORT(HTTP, "[constructor]outgoing-response") int32_t resp_new(int32_t headers);
IMPORT(HTTP, "[method]outgoing-response.body") void resp_body(int32_t self, void *ret);
IMPORT(HTTP, "[method]outgoing-body.write") void body_write(int32_t self, void *ret);
IMPORT(HTTP, "[static]outgoing-body.finish") void body_finish(int32_t body, int32_t has_trailers, int32_t trailers, void *ret);
IMPORT(HTTP, "[static]response-outparam.set") void outparam_set(int32_t param, int32_t is_err, int32_t a, int32_t b, int64_t c, int32_t d, int32_t e, int32_t f, int32_t g);
IMPORT(IO, "[method]output-stream.blocking-write-and-flush") void stream_write(int32_t self, const uint8_t *p, size_t len, void *ret);
IMPORT(IO, "[resource-drop]output-stream") void stream_drop(int32_t self);

IMPORT(VARS, "get") void var_get(const char *p, size_t n, void *ret);
IMPORT(CONFIG, "get") void config_get(const char *p, size_t n, void *ret);
IMPORT(CONFIG, "get-all") void config_get_all(void *ret);
IMPORT(KV, "[static]store.open") void kv_open(const char *p, size_t n, void *ret);
IMPORT(KV, "[method]store.get") void kv_get(int32_t self, const char *p, size_t n, void *ret);
IMPORT(KV, "[method]store.set") void kv_set(int32_t self, const char *p, size_t n, const uint8_t *v, size_t vn, void *ret);
IMPORT(KV, "[method]store.delete") void kv_delete(int32_t self, const char *p, size_t n, void *ret);
IMPORT(KV, "[method]store.exists") void kv_exists(int32_t self, const char *p, size_t n, void *ret);
IMPORT(KV, "[method]store.get-keys") void kv_get_keys(int32_t self, void *ret);
IMPORT(KV, "[resource-drop]store") void kv_drop(int32_t self);
IMPORT(STORE, "open") void bucket_open(const char *p, size_t n, void *ret);
IMPORT(STORE, "[resource-drop]bucket") void bucket_drop(int32_t self);
IMPORT(ATOMICS, "increment") void increment(int32_t bucket, const char *p, size_t n, int64_t delta, void *ret);
IMPORT(ATOMICS, "[static]cas.new") void cas_new(int32_t bucket, const char *p, size_t n, void *ret);
IMPORT(ATOMICS, "[method]cas.current") void cas_current(int32_t self, void *ret);
IMPORT(ATOMICS, "swap") void cas_swap(int32_t cas, const uint8_t *v, size_t vn, void *ret);
IMPORT(BATCH, "set-many") void set_many(int32_t bucket, const void *pairs, size_t n, void *ret);
IMPORT(BATCH, "get-many") void get_many(int32_t bucket, const void *keys, size_t n, void *ret);
IMPORT(LLM, "infer") void llm_infer(const char *m, size_t mn, const char *p, size_t pn, int32_t has_params,
                                    int32_t max_tokens, float repeat_penalty, int32_t last_n, float temperature,
                                    int32_t top_k, float top_p, void *ret);

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *ptr, size_t old, size_t align, size_t new_size) {
    (void)old; (void)align;
    return realloc(ptr, new_size ? new_size : 1);
}

// A result return area: discriminant, then the payload at 4 (or 8 for 8-aligned payloads).
typedef struct { uint8_t tag; uint32_t a, b, c, d; } __attribute__((aligned(8))) ret4;
typedef struct { uint8_t tag; int64_t v; uint32_t e, f; } __attribute__((aligned(8))) ret8;
typedef struct { const char *p; size_t n; } str;
typedef struct { str key; str value; } pair;

static char out[8192];
static size_t used;

static void line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void line(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out + used, sizeof out - used, fmt, ap);
    va_end(ap);
    if (n > 0 && used + (size_t)n < sizeof out) used += (size_t)n;
}

#define S(lit) lit, sizeof(lit) - 1
#define STR(a, b) (int)(b), (const char *)(uintptr_t)(a)

// result<string, variables::error> / result<option<string>, config error> / ... error(string).
static void report_string_result(const char *what, ret4 *r, int optional) {
    if (r->tag == 0 && !optional) line("%s ok %.*s\n", what, STR(r->a, r->b));
    else if (r->tag == 0 && (r->a & 0xff) == 0) line("%s ok none\n", what);
    else if (r->tag == 0) line("%s ok some %.*s\n", what, STR(r->b, r->c));
    else line("%s err %u %.*s\n", what, r->a & 0xff, STR(r->b, r->c));
}

static void report_error(const char *what, ret4 *r) {
    // A variant error: cases without payload print no message.
    line("%s err %u", what, r->a & 0xff);
    if (r->c != 0 || r->b != 0) line(" %.*s", STR(r->b, r->c));
    line("\n");
}

static void run(void) {
    ret4 r;
    var_get(S("message"), &r);
    report_string_result("variables.get message", &r, 0);
    var_get(S("missing"), &r);
    report_string_result("variables.get missing", &r, 0);
    var_get(S("Bad"), &r);
    line("variables.get Bad err %u\n", r.a & 0xff);
    config_get(S("message"), &r);
    report_string_result("config.get message", &r, 1);
    config_get(S("missing"), &r);
    report_string_result("config.get missing", &r, 1);
    config_get_all(&r);
    if (r.tag == 0) {
        str *pairs = (str *)(uintptr_t)r.a;
        line("config.get-all ok");
        for (uint32_t i = 0; i < r.b; i++) line(" %.*s=%.*s", (int)pairs[2 * i].n, pairs[2 * i].p, (int)pairs[2 * i + 1].n, pairs[2 * i + 1].p);
        line("\n");
    } else report_error("config.get-all", &r);

    memset(&r, 0, sizeof r);
    kv_open(S("forbidden"), &r);
    report_error("key-value.open forbidden", &r);
    kv_open(S("default"), &r);
    if (r.tag != 0) { report_error("key-value.open default", &r); return; }
    int32_t store = (int32_t)r.a;
    line("key-value.open default ok\n");
    kv_set(store, S("greeting"), (const uint8_t *)"hi\0there", 8, &r);
    line("key-value.set %s\n", r.tag == 0 ? "ok" : "err");
    kv_get(store, S("greeting"), &r);
    if (r.tag == 0 && (r.a & 0xff) == 1) line("key-value.get ok some %u bytes, byte 2 is %u\n", r.c, ((uint8_t *)(uintptr_t)r.b)[2]);
    else line("key-value.get %s\n", r.tag == 0 ? "ok none" : "err");
    kv_exists(store, S("greeting"), &r);
    line("key-value.exists ok %u\n", r.a & 0xff);
    kv_get_keys(store, &r);
    line("key-value.get-keys ok %u keys\n", r.b);
    kv_delete(store, S("greeting"), &r);
    kv_get(store, S("greeting"), &r);
    line("key-value.get after delete %s\n", r.tag == 0 && (r.a & 0xff) == 0 ? "ok none" : "?");
    kv_drop(store);

    bucket_open(S("default"), &r);
    if (r.tag != 0) { report_error("wasi-keyvalue.open default", &r); return; }
    int32_t bucket = (int32_t)r.a;
    ret8 r8;
    increment(bucket, S("counter"), 5, &r8);
    increment(bucket, S("counter"), 37, &r8);
    line("atomics.increment %s %lld\n", r8.tag == 0 ? "ok" : "err", (long long)r8.v);
    bucket_drop(bucket);
}

static void run_cas_and_batch(int32_t bucket) {
    ret4 r;
    cas_new(bucket, S("cas"), &r);
    int32_t cas = (int32_t)r.a;
    cas_current(cas, &r);
    line("cas.current %s\n", r.tag == 0 && (r.a & 0xff) == 0 ? "ok none" : "?");
    cas_swap(cas, (const uint8_t *)"one", 3, &r);
    line("atomics.swap %s\n", r.tag == 0 ? "ok" : "err");
    pair pairs[2] = {{{S("x")}, {S("1")}}, {{S("y")}, {S("2")}}};
    set_many(bucket, pairs, 2, &r);
    line("batch.set-many %s\n", r.tag == 0 ? "ok" : "err");
    str keys[3] = {{S("y")}, {S("nope")}, {S("cas")}};
    get_many(bucket, keys, 3, &r);
    if (r.tag == 0) {
        line("batch.get-many ok");
        struct { str key; uint8_t some; uint32_t p, n; } *items = (void *)(uintptr_t)r.a;
        for (uint32_t i = 0; i < r.b; i++) {
            if (items[i].some) line(" %.*s=%.*s", (int)items[i].key.n, items[i].key.p, (int)items[i].n, (const char *)(uintptr_t)items[i].p);
            else line(" %.*s=none", (int)items[i].key.n, items[i].key.p);
        }
        line("\n");
    } else report_error("batch.get-many", &r);
    bucket_drop(bucket);

    llm_infer(S("llama2-chat"), S("hello"), 0, 0, 0, 0, 0, 0, 0, &r);
    line("llm.infer %s %u\n", r.tag == 0 ? "ok" : "err", r.a & 0xff);
}

__attribute__((export_name("wasi:http/incoming-handler@0.2.0#handle")))
void handle(int32_t request, int32_t response_out) {
    req_drop(request);
    used = 0;
    run();
    ret4 r;
    bucket_open(S("default"), &r);
    if (r.tag == 0) run_cas_and_batch((int32_t)r.a);

    struct { uint8_t tag; uint32_t a; uint32_t b; } ret __attribute__((aligned(8)));
    int32_t headers = fields_new();
    fields_append(headers, "content-type", 12, (const uint8_t *)"text/plain", 10, &ret);
    int32_t resp = resp_new(headers);
    resp_body(resp, &ret);
    int32_t body = (int32_t)ret.a;
    outparam_set(response_out, 0, resp, 0, 0, 0, 0, 0, 0);
    body_write(body, &ret);
    int32_t stream = (int32_t)ret.a;
    for (size_t off = 0; off < used; off += 4096) {
        size_t n = used - off < 4096 ? used - off : 4096;
        stream_write(stream, (const uint8_t *)out + off, n, &ret);
    }
    stream_drop(stream);
    body_finish(body, 0, 0, &ret);
}
