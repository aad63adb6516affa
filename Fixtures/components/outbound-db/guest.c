// A wasi:http@0.2.0 incoming-handler that talks to Redis and PostgreSQL through Spin's
// component interfaces, written against the canonical ABI by hand (like ../stream/stream.c).
// It answers 200 with one text line per step, so a test can compare the whole body.
//
//   GET /redis?ADDRESS  fermyon:spin/redis@2.0.0: open, set, get, incr, del, smembers, execute
//   GET /pg?ADDRESS     spin:postgres/postgres@4.0.0: open, query with parameters, execute,
//                       a query the server refuses (query-failed with db-error)
//
// Errors print as `err TAG MESSAGE` (the variant's case index and its string, if any).
// Build: ./build.sh
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))
#define HTTP "wasi:http/types@0.2.0"
#define IO "wasi:io/streams@0.2.0"
#define REDIS "fermyon:spin/redis@2.0.0"
#define PG "spin:postgres/postgres@4.0.0"

IMPORT(HTTP, "[constructor]fields") int32_t fields_new(void);
IMPORT(HTTP, "[method]fields.append") void fields_append(int32_t self, const char *n, size_t nl, const uint8_t *v, size_t vl, void *ret);
IMPORT(HTTP, "[method]incoming-request.path-with-query") void req_path(int32_t self, void *ret);
IMPORT(HTTP, "[resource-drop]incoming-request") void req_drop(int32_t self);
IMPORT(HTTP, "[constructor]outgoing-response") int32_t resp_new(int32_t headers);
IMPORT(HTTP, "[method]outgoing-response.body") void resp_body(int32_t self, void *ret);
IMPORT(HTTP, "[method]outgoing-body.write") void body_write(int32_t self, void *ret);
IMPORT(HTTP, "[static]outgoing-body.finish") void body_finish(int32_t body, int32_t has_trailers, int32_t trailers, void *ret);
IMPORT(HTTP, "[static]response-outparam.set") void outparam_set(int32_t param, int32_t is_err, int32_t a, int32_t b, int64_t c, int32_t d, int32_t e, int32_t f, int32_t g);
IMPORT(IO, "[method]output-stream.blocking-write-and-flush") void stream_write(int32_t self, const uint8_t *p, size_t len, void *ret);
IMPORT(IO, "[resource-drop]output-stream") void stream_drop(int32_t self);

IMPORT(REDIS, "[static]connection.open") void redis_open(const char *a, size_t al, void *ret);
IMPORT(REDIS, "[method]connection.set") void redis_set(int32_t self, const char *k, size_t kl, const uint8_t *v, size_t vl, void *ret);
IMPORT(REDIS, "[method]connection.get") void redis_get(int32_t self, const char *k, size_t kl, void *ret);
IMPORT(REDIS, "[method]connection.incr") void redis_incr(int32_t self, const char *k, size_t kl, void *ret);
IMPORT(REDIS, "[method]connection.del") void redis_del(int32_t self, const void *keys, size_t n, void *ret);
IMPORT(REDIS, "[method]connection.sadd") void redis_sadd(int32_t self, const char *k, size_t kl, const void *values, size_t n, void *ret);
IMPORT(REDIS, "[method]connection.smembers") void redis_smembers(int32_t self, const char *k, size_t kl, void *ret);
IMPORT(REDIS, "[method]connection.execute") void redis_execute(int32_t self, const char *c, size_t cl, const void *args, size_t n, void *ret);
IMPORT(REDIS, "[resource-drop]connection") void redis_drop(int32_t self);

IMPORT(PG, "[static]connection.open") void pg_open(const char *a, size_t al, void *ret);
IMPORT(PG, "[method]connection.query") void pg_query(int32_t self, const char *s, size_t sl, const void *params, size_t n, void *ret);
IMPORT(PG, "[method]connection.execute") void pg_execute(int32_t self, const char *s, size_t sl, const void *params, size_t n, void *ret);
IMPORT(PG, "[resource-drop]connection") void pg_drop(int32_t self);

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *ptr, size_t old, size_t align, size_t new_size) {
    (void)old; (void)align;
    return realloc(ptr, new_size ? new_size : 1);
}

// The response text, built up line by line.
static char out[8192];
static size_t out_len;

static void put(const char *s, size_t n) {
    if (out_len + n > sizeof out) n = sizeof out - out_len;
    memcpy(out + out_len, s, n);
    out_len += n;
}
static void puts_(const char *s) { put(s, strlen(s)); }
static void putu(uint64_t v) {
    char b[24]; int i = 24;
    do { b[--i] = (char)('0' + v % 10); v /= 10; } while (v);
    put(b + i, 24 - i);
}
static void puti(int64_t v) {
    if (v < 0) { puts_("-"); putu((uint64_t)0 - (uint64_t)v); } else putu((uint64_t)v);
}
static void putmem(uint32_t p, uint32_t n) { put((const char *)(uintptr_t)p, n); }

// A return area big enough and aligned for every result here.
typedef struct { uint8_t b[128]; } __attribute__((aligned(8))) ret_t;
static uint8_t u8at(const ret_t *r, int o) { return r->b[o]; }
static uint32_t u32at(const ret_t *r, int o) { uint32_t v; memcpy(&v, r->b + o, 4); return v; }
static int64_t s64at(const ret_t *r, int o) { int64_t v; memcpy(&v, r->b + o, 8); return v; }

// `err TAG [MESSAGE]` of a variant error at offset o whose string cases are `with_string`.
static void put_error(const ret_t *r, int o, int has_string) {
    puts_("err "); putu(u8at(r, o));
    if (has_string) { puts_(" "); putmem(u32at(r, o + 4), u32at(r, o + 8)); }
    puts_("\n");
}
// fermyon:spin/redis error: only other (3) has a string.
static void redis_error(const ret_t *r, int o) { put_error(r, o, u8at(r, o) == 3); }

typedef struct { const char *p; uint32_t n; } str_t;

static void do_redis(const char *addr, size_t alen) {
    ret_t r;
    redis_open(addr, alen, &r);
    if (u8at(&r, 0)) { puts_("open "); redis_error(&r, 4); return; }
    int32_t c = (int32_t)u32at(&r, 4);
    puts_("open ok\n");

    redis_set(c, "greeting", 8, (const uint8_t *)"hello", 5, &r);
    if (u8at(&r, 0)) { puts_("set "); redis_error(&r, 4); } else puts_("set ok\n");

    redis_get(c, "greeting", 8, &r);
    if (u8at(&r, 0)) { puts_("get "); redis_error(&r, 4); }
    else if (!u8at(&r, 4)) puts_("get none\n");
    else { puts_("get "); putmem(u32at(&r, 8), u32at(&r, 12)); puts_("\n"); }

    redis_get(c, "missing", 7, &r);
    puts_(u8at(&r, 0) ? "get missing err\n" : u8at(&r, 4) ? "get missing some\n" : "get missing none\n");

    redis_incr(c, "counter", 7, &r);
    if (u8at(&r, 0)) { puts_("incr "); redis_error(&r, 8); } else { puts_("incr "); puti(s64at(&r, 8)); puts_("\n"); }
    redis_incr(c, "greeting", 8, &r);
    if (u8at(&r, 0)) { puts_("incr greeting "); redis_error(&r, 8); } else puts_("incr greeting ok?\n");

    str_t members[2] = {{"b", 1}, {"a", 1}};
    redis_sadd(c, "set", 3, members, 2, &r);
    if (u8at(&r, 0)) { puts_("sadd "); redis_error(&r, 4); } else { puts_("sadd "); putu(u32at(&r, 4)); puts_("\n"); }
    redis_smembers(c, "set", 3, &r);
    if (u8at(&r, 0)) { puts_("smembers "); redis_error(&r, 4); }
    else { puts_("smembers "); putu(u32at(&r, 8)); puts_("\n"); }

    // execute("APPEND", [binary("greeting"), binary(" world")]) -> [int64(11)]
    struct { uint8_t tag; uint8_t pad[7]; union { int64_t i; struct { uint32_t p, n; } b; } v; } args[2];
    memset(args, 0, sizeof args);
    args[0].tag = 1; args[0].v.b.p = (uint32_t)(uintptr_t)"greeting"; args[0].v.b.n = 8;
    args[1].tag = 1; args[1].v.b.p = (uint32_t)(uintptr_t)" world"; args[1].v.b.n = 6;
    redis_execute(c, "APPEND", 6, args, 2, &r);
    if (u8at(&r, 0)) { puts_("execute "); redis_error(&r, 4); }
    else {
        puts_("execute");
        const uint8_t *list = (const uint8_t *)(uintptr_t)u32at(&r, 4);
        for (uint32_t i = 0; i < u32at(&r, 8); i++) {
            const uint8_t *e = list + 16 * i;
            int64_t v; memcpy(&v, e + 8, 8);
            puts_(" "); putu(e[0]); puts_(":"); puti(v);
        }
        puts_("\n");
    }

    str_t keys[3] = {{"greeting", 8}, {"counter", 7}, {"set", 3}};
    redis_del(c, keys, 3, &r);
    if (u8at(&r, 0)) { puts_("del "); redis_error(&r, 4); } else { puts_("del "); putu(u32at(&r, 4)); puts_("\n"); }
    redis_drop(c);
}

// spin:postgres@4.0.0 error at offset o: query-failed (2) holds a query-error.
static void pg_error(const ret_t *r, int o) {
    uint8_t tag = u8at(r, o);
    if (tag != 2) { put_error(r, o, 1); return; }
    // query-error @o+4: text(string) or db-error{as-text, severity, code, message, ...}.
    uint8_t q = u8at(r, o + 4);
    puts_("err 2 ");
    putu(q);
    if (q == 0) { puts_(" "); putmem(u32at(r, o + 8), u32at(r, o + 12)); }
    else { puts_(" "); putmem(u32at(r, o + 24), u32at(r, o + 28)); puts_(" "); putmem(u32at(r, o + 32), u32at(r, o + 36)); }
    puts_("\n");
}

// A db-value (56 bytes: tag @0, payload @8; range-int64 is the largest case) as text.
static void put_value(const uint8_t *v) {
    uint8_t tag = v[0];
    switch (tag) {
    case 3: { int32_t x; memcpy(&x, v + 8, 4); puti(x); break; }
    case 4: { int64_t x; memcpy(&x, v + 8, 8); puti(x); break; }
    case 7: case 13: case 15: { uint32_t p, n; memcpy(&p, v + 8, 4); memcpy(&n, v + 12, 4); puts_("'"); putmem(p, n); puts_("'"); break; }
    case 9: { int32_t y; memcpy(&y, v + 8, 4); puti(y); puts_("-"); putu(v[12]); puts_("-"); putu(v[13]); break; }
    case 24: puts_("null"); break;
    default: puts_("tag "); putu(tag);
    }
}

static void do_pg(const char *addr, size_t alen) {
    ret_t r;
    pg_open(addr, alen, &r);
    if (u8at(&r, 0)) { puts_("open "); pg_error(&r, 4); return; }
    int32_t c = (int32_t)u32at(&r, 4);
    puts_("open ok\n");

    // parameter-value: 56 bytes, tag @0, payload @8.
    uint8_t params[3][56];
    memset(params, 0, sizeof params);
    params[0][0] = 3; int32_t n = 41; memcpy(params[0] + 8, &n, 4);                       // int32(41)
    params[1][0] = 7; uint32_t sp = (uint32_t)(uintptr_t)"hi", sn = 2;                    // str("hi")
    memcpy(params[1] + 8, &sp, 4); memcpy(params[1] + 12, &sn, 4);
    params[2][0] = 9; int32_t y = 2024; memcpy(params[2] + 8, &y, 4); params[2][12] = 2; params[2][13] = 29;  // date
    const char *q = "SELECT $1 + 1 AS n, $2 || '!' AS t, $3 + 1 AS d, NULL::int AS z, 1.50::numeric AS m";
    pg_query(c, q, strlen(q), params, 3, &r);
    if (u8at(&r, 0)) { puts_("query "); pg_error(&r, 4); }
    else {
        const uint8_t *cols = (const uint8_t *)(uintptr_t)u32at(&r, 4);
        uint32_t ncols = u32at(&r, 8);
        const uint8_t *rows = (const uint8_t *)(uintptr_t)u32at(&r, 12);
        uint32_t nrows = u32at(&r, 16);
        puts_("columns");
        for (uint32_t i = 0; i < ncols; i++) {
            const uint8_t *col = cols + 20 * i;  // name @0/@4, db-data-type tag @8
            uint32_t p, len; memcpy(&p, col, 4); memcpy(&len, col + 4, 4);
            puts_(" "); putmem(p, len); puts_(":"); putu(col[8]);
        }
        puts_("\nrows "); putu(nrows); puts_("\n");
        for (uint32_t i = 0; i < nrows; i++) {
            uint32_t p, len; memcpy(&p, rows + 8 * i, 4); memcpy(&len, rows + 8 * i + 4, 4);
            puts_("row");
            for (uint32_t j = 0; j < len; j++) { puts_(" "); put_value((const uint8_t *)(uintptr_t)p + 56 * j); }
            puts_("\n");
        }
    }
    const char *e = "SELECT * FROM generate_series(1, 3)";
    pg_execute(c, e, strlen(e), 0, 0, &r);
    if (u8at(&r, 0)) { puts_("execute "); pg_error(&r, 8); }
    else { puts_("execute "); putu((uint64_t)s64at(&r, 8)); puts_("\n"); }
    const char *bad = "SELEC 1";
    pg_query(c, bad, strlen(bad), 0, 0, &r);
    if (u8at(&r, 0)) { puts_("bad "); pg_error(&r, 4); } else puts_("bad ok?\n");
    pg_drop(c);
}

static int starts(const char *p, size_t n, const char *want) {
    size_t w = strlen(want);
    return n >= w && memcmp(p, want, w) == 0;
}

__attribute__((export_name("wasi:http/incoming-handler@0.2.0#handle")))
void handle(int32_t request, int32_t response_out) {
    struct { uint8_t tag; uint32_t ptr; uint32_t len; } opt_str __attribute__((aligned(4)));
    struct { uint8_t tag; uint32_t a; uint32_t b; } ret __attribute__((aligned(8)));
    req_path(request, &opt_str);
    const char *path = opt_str.tag ? (const char *)(uintptr_t)opt_str.ptr : "/";
    size_t len = opt_str.tag ? opt_str.len : 1;
    out_len = 0;
    if (starts(path, len, "/redis?")) do_redis(path + 7, len - 7);
    else if (starts(path, len, "/pg?")) do_pg(path + 4, len - 4);
    else puts_("GET /redis?ADDRESS or /pg?ADDRESS\n");
    req_drop(request);

    int32_t headers = fields_new();
    fields_append(headers, "content-type", 12, (const uint8_t *)"text/plain", 10, &ret);
    int32_t resp = resp_new(headers);
    resp_body(resp, &ret);
    int32_t body = (int32_t)ret.a;
    outparam_set(response_out, 0, resp, 0, 0, 0, 0, 0, 0);
    body_write(body, &ret);
    int32_t stream = (int32_t)ret.a;
    stream_write(stream, (const uint8_t *)out, out_len, &ret);
    stream_drop(stream);
    body_finish(body, 0, 0, &ret);
}
