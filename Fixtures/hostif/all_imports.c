/* Fixture: imports every Spin 1.x old-ABI host interface listed in docs/spin-1x.md#host-interfaces (as
 * a JavaScript SDK guest does) and, per request, calls the unsupported ones
 * to show their error messages: one line per call, "<module>: <tag> <message>". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spin_config.h"
#include "spin_key_value.h"
#include "spin_outbound_http.h"

#define IMPORT(m, n) __attribute__((import_module(m), import_name(n)))
IMPORT("outbound-redis", "publish") void redis_publish(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("outbound-redis", "set") void redis_set(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("outbound-redis", "get") void redis_get(int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("outbound-redis", "incr") void redis_incr(int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("outbound-redis", "del") void redis_del(int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("outbound-redis", "sadd") void redis_sadd(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("outbound-redis", "smembers") void redis_smembers(int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("outbound-redis", "srem") void redis_srem(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("outbound-redis", "execute") void redis_execute(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("outbound-pg", "query") void pg_query(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("outbound-pg", "execute") void pg_execute(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("outbound-mysql", "query") void mysql_query(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("outbound-mysql", "execute") void mysql_execute(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("sqlite", "open") void sqlite_open(int32_t, int32_t, int32_t);
IMPORT("sqlite", "execute") void sqlite_execute(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("sqlite", "close") void sqlite_close(int32_t);
IMPORT("llm", "infer") void llm_infer(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, float, int32_t, float, int32_t, float, int32_t);
IMPORT("llm", "generate-embeddings") void llm_embeddings(int32_t, int32_t, int32_t, int32_t, int32_t);

__attribute__((aligned(8))) static uint8_t RET[32];

/* Keeps every import referenced so the linker does not drop it. */
__attribute__((export_name("all-imports-unused")))
void all_imports_unused(int32_t x) {
    if (x != 12345) return;
    redis_publish(0, 0, 0, 0, 0, 0, (int32_t)RET);
    redis_set(0, 0, 0, 0, 0, 0, (int32_t)RET);
    redis_get(0, 0, 0, 0, (int32_t)RET);
    redis_incr(0, 0, 0, 0, (int32_t)RET);
    redis_del(0, 0, 0, 0, (int32_t)RET);
    redis_sadd(0, 0, 0, 0, 0, 0, (int32_t)RET);
    redis_smembers(0, 0, 0, 0, (int32_t)RET);
    redis_srem(0, 0, 0, 0, 0, 0, (int32_t)RET);
    redis_execute(0, 0, 0, 0, 0, 0, (int32_t)RET);
    mysql_execute(0, 0, 0, 0, 0, 0, (int32_t)RET);
    sqlite_execute(0, 0, 0, 0, 0, (int32_t)RET);
    sqlite_close(0);
    llm_embeddings(0, 0, 0, 0, (int32_t)RET);
    spin_kv_store_t s;
    spin_kv_open("x", &s);
    spin_kv_set(s, "k", "v", 1);
    spin_kv_delete(s, "k");
    bool b;
    spin_kv_exists(s, "k", &b);
    spin_string_t *keys;
    size_t n;
    spin_kv_get_keys(s, &keys, &n);
    uint8_t *v;
    spin_kv_get(s, "k", &v, &n);
    spin_kv_close(s);
    spin_http_response_t r;
    spin_outbound_http_get("http://x/", &r);
    free(spin_config_get_cstr("x"));
}

static size_t line(char *out, size_t o, size_t cap, const char *what, int tag_at, int str_at) {
    int tag = RET[tag_at];
    const char *p = (const char *)*(int32_t *)(RET + str_at);
    int len = *(int32_t *)(RET + str_at + 4);
    return o + (size_t)snprintf(out + o, cap - o, "%s: %d %d %.*s\n", what, RET[0], tag, len, p);
}

spin_http_response_t spin_http_handle(const spin_http_request_t *req) {
    (void)req;
    char out[1024];
    size_t o = 0;
    memset(RET, 0, sizeof RET);
    sqlite_open((int32_t) "default", 7, (int32_t)RET);
    o = line(out, o, sizeof out, "sqlite", 4, 8);
    memset(RET, 0, sizeof RET);
    pg_query((int32_t) "a", 1, (int32_t) "b", 1, 0, 0, (int32_t)RET);
    o = line(out, o, sizeof out, "outbound-pg", 4, 8);
    memset(RET, 0, sizeof RET);
    pg_execute((int32_t) "a", 1, (int32_t) "b", 1, 0, 0, (int32_t)RET);
    o = line(out, o, sizeof out, "outbound-pg-execute", 8, 12);
    memset(RET, 0, sizeof RET);
    mysql_query((int32_t) "a", 1, (int32_t) "b", 1, 0, 0, (int32_t)RET);
    o = line(out, o, sizeof out, "outbound-mysql", 4, 8);
    memset(RET, 0, sizeof RET);
    llm_infer((int32_t) "m", 1, (int32_t) "p", 1, 0, 0, 0.0f, 0, 0.0f, 0, 0.0f, (int32_t)RET);
    o = line(out, o, sizeof out, "llm", 4, 8);
    spin_http_response_t res = spin_http_response(200);
    spin_http_response_set_body(&res, out, o);
    return res;
}
