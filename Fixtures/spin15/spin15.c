/* Fixture: a Spin 1.4–1.5 SDK-shaped core module, written by hand in the shape wit-bindgen 0.8
 * gives one (docs/spin-1x.md#preview2-modules): it exports `cabi_realloc`,
 * `fermyon:spin/inbound-http#handle-request` (+ its `cabi_post_`) and
 * `fermyon:spin/inbound-redis#handle-message`, and imports Spin's `wit/preview2` interfaces as
 * `fermyon:spin/<interface>` / `<function>`. Every value crosses in the canonical ABI layout,
 * coded below with the offsets spelled out. WASI preview1 (stderr) comes from wasi-libc.
 *
 * Routes (by path; query parameters `?a=b&c=d`, no %-decoding):
 *   /echo...        200: what the request was (method, uri, x-test header, header count, body)
 *   /config?key=K   200: the value of config K; 500 `error=<case>: <message>`
 *   /kv?op=O&store=S&key=K&value=V
 *                   O = set | get | exists | delete | keys | count (increments K); errors 500 `error=<case>[: msg]`
 *   /http?url=U     GET U: 200 `status=<s>\n<body>`; 502 `error=<http-error>`
 *   /redis?addr=A&key=K&value=V   set, get, incr, sadd/smembers, execute APPEND, publish, del
 *   /pg?addr=A      query with parameters and execute; 500 `error=<case>: <message>`
 *   /unsupported    mysql, sqlite and llm calls: one line each with the error case and message
 *   /status?code=N  answers status N
 *   /trap           traps
 * Redis messages: sets key `spin15:last` to the payload and increments `spin15:count` at the
 * address in config `redis_address`; payload `fail` answers err(error), `trap` traps.
 * Built with -DNO_HTTP_EXPORT it exports only the Redis handler (for the detection tests). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(iface, name) __attribute__((import_module("fermyon:spin/" iface), import_name(name)))
#define EXPORT(name) __attribute__((export_name(name)))

/* string and list: 8 bytes, align 4: ptr @0, len @4. */
typedef struct { char *ptr; uint32_t len; } str_t;
/* tuple<string, string>: 16 bytes. */
typedef struct { str_t name, value; } pair_t;

/* ---- imports (core signatures: flat parameters, then the return pointer) ---- */
IMPORT("config", "get-config") void config_get(char *, uint32_t, void *ret);
IMPORT("key-value", "open") void kv_open(char *, uint32_t, void *ret);
IMPORT("key-value", "get") void kv_get(uint32_t, char *, uint32_t, void *ret);
IMPORT("key-value", "set") void kv_set(uint32_t, char *, uint32_t, char *, uint32_t, void *ret);
IMPORT("key-value", "delete") void kv_delete(uint32_t, char *, uint32_t, void *ret);
IMPORT("key-value", "exists") void kv_exists(uint32_t, char *, uint32_t, void *ret);
IMPORT("key-value", "get-keys") void kv_get_keys(uint32_t, void *ret);
IMPORT("key-value", "close") void kv_close(uint32_t);
IMPORT("http", "send-request")
void http_send(int32_t method, char *, uint32_t, pair_t *, uint32_t, pair_t *, uint32_t, int32_t, char *, uint32_t, void *ret);
IMPORT("redis", "publish") void redis_publish(char *, uint32_t, char *, uint32_t, char *, uint32_t, void *ret);
IMPORT("redis", "get") void redis_get(char *, uint32_t, char *, uint32_t, void *ret);
IMPORT("redis", "set") void redis_set(char *, uint32_t, char *, uint32_t, char *, uint32_t, void *ret);
IMPORT("redis", "incr") void redis_incr(char *, uint32_t, char *, uint32_t, void *ret);
IMPORT("redis", "del") void redis_del(char *, uint32_t, str_t *, uint32_t, void *ret);
IMPORT("redis", "sadd") void redis_sadd(char *, uint32_t, char *, uint32_t, str_t *, uint32_t, void *ret);
IMPORT("redis", "smembers") void redis_smembers(char *, uint32_t, char *, uint32_t, void *ret);
IMPORT("redis", "srem") void redis_srem(char *, uint32_t, char *, uint32_t, str_t *, uint32_t, void *ret);
IMPORT("redis", "execute") void redis_execute(char *, uint32_t, char *, uint32_t, void *, uint32_t, void *ret);
IMPORT("postgres", "query") void pg_query(char *, uint32_t, char *, uint32_t, void *, uint32_t, void *ret);
IMPORT("postgres", "execute") void pg_execute(char *, uint32_t, char *, uint32_t, void *, uint32_t, void *ret);
IMPORT("mysql", "query") void mysql_query(char *, uint32_t, char *, uint32_t, void *, uint32_t, void *ret);
IMPORT("mysql", "execute") void mysql_execute(char *, uint32_t, char *, uint32_t, void *, uint32_t, void *ret);
IMPORT("sqlite", "open") void sqlite_open(char *, uint32_t, void *ret);
IMPORT("sqlite", "execute") void sqlite_execute(uint32_t, char *, uint32_t, void *, uint32_t, void *ret);
IMPORT("sqlite", "close") void sqlite_close(uint32_t);
IMPORT("llm", "infer")
void llm_infer(char *, uint32_t, char *, uint32_t, int32_t, int32_t, float, int32_t, float, int32_t, float, void *ret);
IMPORT("llm", "generate-embeddings") void llm_embeddings(char *, uint32_t, str_t *, uint32_t, void *ret);

/* ---- the allocator the host lowers values with ---- */
EXPORT("cabi_realloc") void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    (void)old_size;
    if (new_size == 0) return (void *)align;
    void *p = realloc(old, new_size); /* malloc's 16-byte alignment covers every align (<= 8) */
    if (!p) abort();
    return p;
}

/* ---- a growable response body ---- */
typedef struct { char *data; uint32_t len, cap; } buf_t;
static void put(buf_t *b, const char *s, uint32_t n) {
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}
static void puts_(buf_t *b, const char *s) { put(b, s, strlen(s)); }
static void putstr(buf_t *b, str_t s) { put(b, s.ptr, s.len); }
static void putint(buf_t *b, long long v) {
    char t[32];
    snprintf(t, sizeof t, "%lld", v);
    puts_(b, t);
}

static str_t cstr(const char *s) { return (str_t){(char *)s, (uint32_t)strlen(s)}; }

/* The value of query parameter `name` in `uri` (a fresh NUL-terminated copy), or NULL. */
static char *param(str_t uri, const char *name) {
    char *q = memchr(uri.ptr, '?', uri.len);
    if (!q) return NULL;
    char *end = uri.ptr + uri.len;
    size_t n = strlen(name);
    for (char *p = q + 1; p < end;) {
        char *amp = memchr(p, '&', end - p);
        char *stop = amp ? amp : end;
        if ((size_t)(stop - p) > n && memcmp(p, name, n) == 0 && p[n] == '=') {
            size_t len = stop - (p + n + 1);
            char *v = malloc(len + 1);
            memcpy(v, p + n + 1, len);
            v[len] = 0;
            return v;
        }
        p = stop + 1;
    }
    return NULL;
}

/* ---- the response: record response { status: u16 @0, headers: option<list> @4 (tag) @8/@12,
 *      body: option<list<u8>> @16 (tag) @20/@24 }, 28 bytes ---- */
static uint8_t RESPONSE[28] __attribute__((aligned(4)));
/* One 8-aligned area for every import's result (the largest is http's 32 bytes). */
static uint8_t RET[32] __attribute__((aligned(8)));

#define U8(p, o) (*(uint8_t *)((p) + (o)))
#define U32(p, o) (*(uint32_t *)((p) + (o)))
#define S64(p, o) (*(int64_t *)((p) + (o)))
#define STR(p, o) ((str_t){(char *)U32(p, o), U32(p, (o) + 4)})

static void *respond(uint16_t status, pair_t *headers, uint32_t nheaders, buf_t *body) {
    memset(RESPONSE, 0, sizeof RESPONSE);
    *(uint16_t *)RESPONSE = status;
    if (nheaders) {
        U8(RESPONSE, 4) = 1;
        U32(RESPONSE, 8) = (uint32_t)headers;
        U32(RESPONSE, 12) = nheaders;
    }
    if (body) {
        U8(RESPONSE, 16) = 1;
        U32(RESPONSE, 20) = (uint32_t)body->data;
        U32(RESPONSE, 24) = body->len;
    }
    return RESPONSE;
}

static pair_t *header(const char *name, const char *value) {
    pair_t *h = malloc(sizeof *h);
    h->name = (str_t){strdup(name), strlen(name)};
    h->value = (str_t){strdup(value), strlen(value)};
    return h;
}

static const char *METHODS[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};

/* Writes `error=<case>[: message]` for a variant error whose tag is at `at` and string at `at + 4`. */
static void put_error(buf_t *b, uint8_t *ret, int at, int has_message) {
    puts_(b, "error=");
    putint(b, U8(ret, at));
    if (has_message) {
        puts_(b, ": ");
        putstr(b, STR(ret, at + 4));
    }
}

/* Frees a string or list the host allocated (an empty one is the dangling pointer `align`). */
static void release(str_t s) {
    if (s.len) free(s.ptr);
}

/* ---- routes ---- */

static void *echo(int32_t method, str_t uri, pair_t *headers, uint32_t nheaders, int32_t has_body, str_t body) {
    buf_t b = {0};
    puts_(&b, "method=");
    puts_(&b, METHODS[method]);
    puts_(&b, "\nuri=");
    putstr(&b, uri);
    puts_(&b, "\nx-test=");
    for (uint32_t i = 0; i < nheaders; i++)
        if (headers[i].name.len == 6 && memcmp(headers[i].name.ptr, "x-test", 6) == 0) putstr(&b, headers[i].value);
    puts_(&b, "\nheaders=");
    putint(&b, nheaders);
    puts_(&b, "\nbody=");
    if (has_body) putstr(&b, body);
    fprintf(stderr, "spin15: %s %.*s\n", METHODS[method], (int)uri.len, uri.ptr);
    pair_t *h = malloc(2 * sizeof *h);
    h[0] = *header("content-type", "text/plain");
    h[1] = *header("x-echo-method", METHODS[method]);
    return respond(200, h, 2, &b);
}

static void *config(str_t uri) {
    char *key = param(uri, "key");
    if (!key) key = strdup("message");
    config_get(key, strlen(key), RET);
    buf_t b = {0};
    if (U8(RET, 0) == 0) {
        putstr(&b, STR(RET, 4));
        return respond(200, NULL, 0, &b);
    }
    put_error(&b, RET, 4, 1);
    return respond(500, NULL, 0, &b);
}

static void *kv(str_t uri) {
    char *op = param(uri, "op"), *store_name = param(uri, "store"), *key = param(uri, "key"),
         *value = param(uri, "value");
    if (!op) op = "get";
    if (!store_name) store_name = "default";
    if (!key) key = "counter";
    buf_t b = {0};
    kv_open(store_name, strlen(store_name), RET);
    if (U8(RET, 0) != 0) {
        put_error(&b, RET, 4, U8(RET, 4) == 5);
        return respond(500, NULL, 0, &b);
    }
    uint32_t store = U32(RET, 4);
    if (strcmp(op, "set") == 0) {
        kv_set(store, key, strlen(key), value ? value : "", value ? strlen(value) : 0, RET);
        if (U8(RET, 0) == 0) puts_(&b, "ok");
    } else if (strcmp(op, "get") == 0) {
        kv_get(store, key, strlen(key), RET);
        if (U8(RET, 0) == 0) putstr(&b, STR(RET, 4));
    } else if (strcmp(op, "exists") == 0) {
        kv_exists(store, key, strlen(key), RET);
        if (U8(RET, 0) == 0) puts_(&b, U8(RET, 4) ? "true" : "false");
    } else if (strcmp(op, "delete") == 0) {
        kv_delete(store, key, strlen(key), RET);
        if (U8(RET, 0) == 0) puts_(&b, "deleted");
    } else if (strcmp(op, "keys") == 0) {
        kv_get_keys(store, RET);
        if (U8(RET, 0) == 0) {
            str_t *keys = (str_t *)U32(RET, 4);
            for (uint32_t i = 0; i < U32(RET, 8); i++) {
                if (i) puts_(&b, ",");
                putstr(&b, keys[i]);
            }
        }
    } else { /* count: read-increment-write */
        long long n = 0;
        kv_get(store, key, strlen(key), RET);
        if (U8(RET, 0) == 0) {
            str_t v = STR(RET, 4);
            char t[32] = {0};
            memcpy(t, v.ptr, v.len < 31 ? v.len : 31);
            n = atoll(t);
        } else if (U8(RET, 4) != 4) { /* anything but no-such-key */
            put_error(&b, RET, 4, U8(RET, 4) == 5);
            return respond(500, NULL, 0, &b);
        }
        char t[32];
        snprintf(t, sizeof t, "%lld", n + 1);
        kv_set(store, key, strlen(key), t, strlen(t), RET);
        if (U8(RET, 0) == 0) puts_(&b, t);
    }
    kv_close(store);
    if (U8(RET, 0) != 0) {
        b.len = 0;
        put_error(&b, RET, 4, U8(RET, 4) == 5);
        return respond(500, NULL, 0, &b);
    }
    return respond(200, NULL, 0, &b);
}

static void *http(str_t uri) {
    char *url = param(uri, "url");
    buf_t b = {0};
    if (!url) {
        puts_(&b, "missing ?url=");
        return respond(400, NULL, 0, &b);
    }
    pair_t h = {cstr("x-from"), cstr("spin15")};
    http_send(0, url, strlen(url), &h, 1, NULL, 0, 0, NULL, 0, RET);
    if (U8(RET, 0) != 0) {
        puts_(&b, "error=");
        putint(&b, U8(RET, 4));
        return respond(502, NULL, 0, &b);
    }
    /* ok response record @4: status u16 @4, headers option @8 (list @12/@16), body option @20 (@24/@28). */
    puts_(&b, "status=");
    putint(&b, *(uint16_t *)(RET + 4));
    puts_(&b, "\n");
    if (U8(RET, 20)) putstr(&b, STR(RET, 24));
    return respond(200, NULL, 0, &b);
}

static void *redis(str_t uri) {
    char *addr = param(uri, "addr"), *key = param(uri, "key"), *value = param(uri, "value");
    buf_t b = {0};
    if (!addr || !key || !value) {
        puts_(&b, "need ?addr=&key=&value=");
        return respond(400, NULL, 0, &b);
    }
    uint32_t al = strlen(addr), kl = strlen(key), vl = strlen(value);
    redis_set(addr, al, key, kl, value, vl, RET);
    puts_(&b, "set=");
    putint(&b, U8(RET, 0));
    redis_get(addr, al, key, kl, RET);
    puts_(&b, "\nget=");
    if (U8(RET, 0) == 0) putstr(&b, STR(RET, 4));
    else puts_(&b, "error");
    char counter[128], set[128];
    snprintf(counter, sizeof counter, "%s:n", key);
    snprintf(set, sizeof set, "%s:s", key);
    redis_incr(addr, al, counter, strlen(counter), RET);
    puts_(&b, "\nincr=");
    if (U8(RET, 0) == 0) putint(&b, S64(RET, 8));
    else puts_(&b, "error");
    str_t members[2] = {cstr("a"), cstr("b")};
    redis_sadd(addr, al, set, strlen(set), members, 2, RET);
    puts_(&b, "\nsadd=");
    putint(&b, U8(RET, 0) == 0 ? S64(RET, 8) : -1);
    redis_srem(addr, al, set, strlen(set), members, 1, RET);
    puts_(&b, "\nsrem=");
    putint(&b, U8(RET, 0) == 0 ? S64(RET, 8) : -1);
    redis_smembers(addr, al, set, strlen(set), RET);
    puts_(&b, "\nsmembers=");
    if (U8(RET, 0) == 0) {
        str_t *m = (str_t *)U32(RET, 4);
        for (uint32_t i = 0; i < U32(RET, 8); i++) putstr(&b, m[i]);
    }
    /* execute APPEND key "!": list<redis-parameter> of 16-byte elements (tag @0, payload @8). */
    uint8_t args[32] __attribute__((aligned(8))) = {0};
    U8(args, 0) = 1;
    U32(args, 8) = (uint32_t)key;
    U32(args, 12) = kl;
    U8(args, 16) = 1;
    U32(args, 24) = (uint32_t) "!";
    U32(args, 28) = 1;
    redis_execute(addr, al, "APPEND", 6, args, 2, RET);
    puts_(&b, "\nexecute=");
    if (U8(RET, 0) == 0 && U32(RET, 8) == 1 && U8((uint8_t *)U32(RET, 4), 0) == 2)
        putint(&b, S64((uint8_t *)U32(RET, 4), 8)); /* redis-result int64 */
    else puts_(&b, "error");
    redis_publish(addr, al, counter, strlen(counter), value, vl, RET);
    puts_(&b, "\npublish=");
    putint(&b, U8(RET, 0));
    str_t keys[3] = {cstr(key), cstr(counter), cstr(set)};
    redis_del(addr, al, keys, 3, RET);
    puts_(&b, "\ndel=");
    putint(&b, U8(RET, 0) == 0 ? S64(RET, 8) : -1);
    return respond(200, NULL, 0, &b);
}

static const char *DB_TYPES[] = {"boolean", "int8", "int16", "int32", "int64", "uint8", "uint16",
                                 "uint32", "uint64", "floating32", "floating64", "str", "binary", "other"};

static void *pg(str_t uri) {
    char *addr = param(uri, "addr");
    buf_t b = {0};
    if (!addr) {
        puts_(&b, "need ?addr=");
        return respond(400, NULL, 0, &b);
    }
    /* Parameters: int32(41) (case 3, payload @8), str("hi") (case 11, @8/@12). */
    uint8_t params[32] __attribute__((aligned(8))) = {0};
    U8(params, 0) = 3;
    *(int32_t *)(params + 8) = 41;
    U8(params, 16) = 11;
    U32(params, 24) = (uint32_t) "hi";
    U32(params, 28) = 2;
    const char *q = "SELECT $1::int4 + 1 AS n, $2::text AS s";
    pg_query(addr, strlen(addr), (char *)q, strlen(q), params, 2, RET);
    if (U8(RET, 0) != 0) {
        put_error(&b, RET, 4, 1);
        return respond(500, NULL, 0, &b);
    }
    /* row-set @4: columns list @4/@8 (12-byte {name, data-type @8}), rows @12/@16 (lists of 16-byte db-values). */
    uint8_t *cols = (uint8_t *)U32(RET, 4);
    uint32_t ncols = U32(RET, 8);
    uint8_t *rows = (uint8_t *)U32(RET, 12);
    uint32_t nrows = U32(RET, 16);
    puts_(&b, "columns=");
    for (uint32_t i = 0; i < ncols; i++) {
        if (i) puts_(&b, ",");
        putstr(&b, STR(cols + 12 * i, 0));
        puts_(&b, ":");
        puts_(&b, DB_TYPES[U8(cols + 12 * i, 8)]);
    }
    for (uint32_t r = 0; r < nrows; r++) {
        uint8_t *values = (uint8_t *)U32(rows + 8 * r, 0);
        puts_(&b, "\nrow=");
        for (uint32_t i = 0; i < U32(rows + 8 * r, 4); i++) {
            uint8_t *v = values + 16 * i;
            if (i) puts_(&b, ",");
            if (U8(v, 0) == 3) putint(&b, *(int32_t *)(v + 8));
            else if (U8(v, 0) == 11) putstr(&b, STR(v, 8));
            else { puts_(&b, "tag"); putint(&b, U8(v, 0)); }
        }
    }
    const char *e = "SELECT 1 UNION ALL SELECT 2";
    pg_execute(addr, strlen(addr), (char *)e, strlen(e), NULL, 0, RET);
    puts_(&b, "\nexecute=");
    /* result<u64, pg-error>: payload @8. */
    if (U8(RET, 0) == 0) putint(&b, S64(RET, 8));
    else put_error(&b, RET, 8, 1);
    return respond(200, NULL, 0, &b);
}

static void *unsupported(void) {
    buf_t b = {0};
    mysql_query("mysql://x", 9, "SELECT 1", 8, NULL, 0, RET);
    puts_(&b, "mysql=");
    putint(&b, U8(RET, 0));
    puts_(&b, ":");
    put_error(&b, RET, 4, 1);
    sqlite_open("default", 7, RET);
    puts_(&b, "\nsqlite=");
    putint(&b, U8(RET, 0));
    puts_(&b, ":");
    put_error(&b, RET, 4, 1);
    llm_infer("llama2-chat", 11, "hi", 2, 1, 10, 1.1f, 64, 0.8f, 40, 0.9f, RET);
    puts_(&b, "\nllm=");
    putint(&b, U8(RET, 0));
    puts_(&b, ":");
    put_error(&b, RET, 4, 1);
    return respond(200, NULL, 0, &b);
}

static int path_is(str_t uri, const char *path) {
    size_t n = strlen(path);
    return uri.len >= n && memcmp(uri.ptr, path, n) == 0 && (uri.len == n || uri.ptr[n] == '?');
}

#ifndef NO_HTTP_EXPORT
/* handle-request: the request record flattened (method; uri; headers; params; body option), 10 i32s. */
EXPORT("fermyon:spin/inbound-http#handle-request")
void *handle_request(int32_t method, char *uri_ptr, uint32_t uri_len, pair_t *headers, uint32_t nheaders,
                     pair_t *params, uint32_t nparams, int32_t has_body, char *body_ptr, uint32_t body_len) {
    str_t uri = {uri_ptr, uri_len};
    void *r;
    if (path_is(uri, "/config")) r = config(uri);
    else if (path_is(uri, "/kv")) r = kv(uri);
    else if (path_is(uri, "/http")) r = http(uri);
    else if (path_is(uri, "/redis")) r = redis(uri);
    else if (path_is(uri, "/pg")) r = pg(uri);
    else if (path_is(uri, "/unsupported")) r = unsupported();
    else if (path_is(uri, "/trap")) __builtin_trap();
    else if (path_is(uri, "/status")) {
        char *code = param(uri, "code");
        r = respond(code ? atoi(code) : 200, NULL, 0, NULL);
    } else r = echo(method, uri, headers, nheaders, has_body, (str_t){body_ptr, body_len});
    /* The guest owns what the host passed in (wit-bindgen frees it after the call). */
    for (uint32_t i = 0; i < nheaders; i++) {
        release(headers[i].name);
        release(headers[i].value);
    }
    if (nheaders) free(headers);
    (void)params;
    (void)nparams;
    release(uri);
    if (has_body) release((str_t){body_ptr, body_len});
    return r;
}

/* How many times the host ran the post-return function (for the tests). */
static int32_t POST_RETURNS;
EXPORT("spin15-post-returns") int32_t post_returns(void) { return POST_RETURNS; }

/* Frees what the response pointed to, after the host copied it out. */
EXPORT("cabi_post_fermyon:spin/inbound-http#handle-request") void handle_request_post(uint8_t *ret) {
    if (ret == RESPONSE) POST_RETURNS++;
    if (U8(ret, 4)) {
        pair_t *h = (pair_t *)U32(ret, 8);
        for (uint32_t i = 0; i < U32(ret, 12); i++) {
            free(h[i].name.ptr);
            free(h[i].value.ptr);
        }
        free(h);
    }
    if (U8(ret, 16)) free((void *)U32(ret, 20));
}
#endif

/* handle-message: payload (list<u8>) -> result<_, error> at a 2-byte area: tag @0, error enum @1. */
static uint8_t REDIS_RESULT[2];
EXPORT("fermyon:spin/inbound-redis#handle-message") void *handle_message(char *payload, uint32_t len) {
    memset(REDIS_RESULT, 0, 2);
    if (len == 4 && memcmp(payload, "trap", 4) == 0) __builtin_trap();
    if (len == 4 && memcmp(payload, "fail", 4) == 0) {
        REDIS_RESULT[0] = 1;
        REDIS_RESULT[1] = 1;
        return REDIS_RESULT;
    }
    config_get("redis_address", 13, RET);
    if (U8(RET, 0) != 0) {
        fprintf(stderr, "spin15: no redis_address\n");
        REDIS_RESULT[0] = 1;
        REDIS_RESULT[1] = 1;
        return REDIS_RESULT;
    }
    str_t addr = STR(RET, 4);
    redis_set(addr.ptr, addr.len, "spin15:last", 11, payload, len, RET);
    uint8_t failed = U8(RET, 0);
    redis_incr(addr.ptr, addr.len, "spin15:count", 12, RET);
    failed |= U8(RET, 0);
    if (failed) {
        REDIS_RESULT[0] = 1;
        REDIS_RESULT[1] = 1;
    }
    release((str_t){payload, len});
    return REDIS_RESULT;
}

/* Keeps the imports no route calls (and so the linker would drop) in the module, as an SDK
 * module built against the whole world imports them: linking proves their core types. */
EXPORT("spin15-keep-imports") void keep_imports(int32_t x) {
    if (x != 12345) return;
    mysql_execute(NULL, 0, NULL, 0, NULL, 0, RET);
    sqlite_execute(0, NULL, 0, NULL, 0, RET);
    sqlite_close(0);
    llm_embeddings(NULL, 0, NULL, 0, RET);
}
