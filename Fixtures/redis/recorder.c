/*
 * recorder.c: test fixture for the Redis trigger and the outbound-redis imports.
 *
 * handle-redis-message: INCR `recorder:count`, SET `recorder:last` to the payload.
 *   Payload "fail" returns an error without recording; "trap" traps.
 *   The Redis address comes from spin-config `redis_address`.
 *
 * fixture-call(op, a, a_len, b, b_len) -> pointer to {u32 length, text}:
 *   runs one spin_redis_* call (see `call` below) and describes the result as text.
 *
 * raw-*: forward their i32 arguments unchanged to the outbound-redis imports,
 *   so the host's result layouts can be checked byte by byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spin_redis.h"

/* spin-config::get-config(key ptr, key len, retptr): expected<string, error>, ok string @4/@8. */
__attribute__((import_module("spin-config"), import_name("get-config")))
void spin_config_get(int32_t, int32_t, int32_t);

static char ADDRESS[256];

static const char *address(void) {
    if (ADDRESS[0]) return ADDRESS;
    __attribute__((aligned(4))) static uint8_t ret[16];
    const char *key = "redis_address";
    spin_config_get((int32_t)key, (int32_t)strlen(key), (int32_t)ret);
    const char *fallback = "redis://127.0.0.1:6379";
    if (ret[0] == 0) {
        char *p = (char *)*(int32_t *)(ret + 4);
        size_t n = (size_t)*(int32_t *)(ret + 8);
        if (n >= sizeof ADDRESS) n = sizeof ADDRESS - 1;
        memcpy(ADDRESS, p, n);
        ADDRESS[n] = 0;
        if (n) free(p);
    } else {
        strcpy(ADDRESS, fallback);
    }
    return ADDRESS;
}

spin_redis_error_t spin_redis_handle_message(const uint8_t *payload, size_t len) {
    if (len == 4 && memcmp(payload, "trap", 4) == 0) __builtin_trap();
    if (len == 4 && memcmp(payload, "fail", 4) == 0) return SPIN_REDIS_ERROR;
    int64_t n = 0;
    if (spin_redis_incr(address(), "recorder:count", &n) != SPIN_REDIS_SUCCESS) return SPIN_REDIS_ERROR;
    if (spin_redis_set(address(), "recorder:last", payload, len) != SPIN_REDIS_SUCCESS) return SPIN_REDIS_ERROR;
    return SPIN_REDIS_SUCCESS;
}

/* ---- fixture-call */

static char *OUT;
static size_t OUT_LEN, OUT_CAP;

static void out_bytes(const void *p, size_t n) {
    if (OUT_LEN + n + 4 > OUT_CAP) {
        OUT_CAP = (OUT_LEN + n + 4) * 2;
        OUT = realloc(OUT, OUT_CAP);
    }
    memcpy(OUT + 4 + OUT_LEN, p, n);
    OUT_LEN += n;
}

static void out_str(const char *s) { out_bytes(s, strlen(s)); }

static void out_int(int64_t v) {
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    out_str(buf);
}

static void out_hex(const uint8_t *p, size_t n) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        char h[2] = {digits[p[i] >> 4], digits[p[i] & 15]};
        out_bytes(h, 2);
    }
}

static int from_hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return 0;
}

/* Splits `text` at '\n' into NUL-terminated strings (an empty text is an empty list). */
static size_t split(char *text, char **items, size_t cap) {
    size_t n = 0;
    if (!*text) return 0;
    char *s = text;
    while (n < cap) {
        items[n++] = s;
        char *nl = strchr(s, '\n');
        if (!nl) break;
        *nl = 0;
        s = nl + 1;
    }
    return n;
}

static char *cstr(const char *p, size_t n) {
    char *s = malloc(n + 1);
    memcpy(s, p, n);
    s[n] = 0;
    return s;
}

static void status(spin_redis_error_t err) {
    if (err == SPIN_REDIS_SUCCESS) out_str("ok");
    else {
        out_str("err ");
        out_int(err);
    }
}

/*
 * ops: 1 publish(channel a, payload b)   2 get(key a)        3 set(key a, value b)
 *      4 incr(key a)                     5 del(keys a, '\n'-separated)
 *      6 sadd(key a, values b '\n')      7 smembers(key a)   8 srem(key a, values b '\n')
 *      9 execute(command a, args b: lines "i<decimal>" or "x<hex bytes>")
 *      10 set the address to a (e.g. a bad one)
 */
__attribute__((export_name("fixture-call")))
int32_t fixture_call(int32_t op, int32_t a_ptr, int32_t a_len, int32_t b_ptr, int32_t b_len) {
    OUT_LEN = 0;
    char *a = cstr((const char *)a_ptr, (size_t)a_len);
    char *b = cstr((const char *)b_ptr, (size_t)b_len);
    char *items[64];
    int64_t n = 0;
    spin_redis_error_t err;
    switch (op) {
    case 1:
        status(spin_redis_publish(address(), a, (const uint8_t *)b_ptr, (size_t)b_len));
        break;
    case 2: {
        spin_redis_payload_t v;
        err = spin_redis_get(address(), a, &v);
        status(err);
        if (err == SPIN_REDIS_SUCCESS) {
            out_str(" ");
            out_bytes(v.ptr, v.len);
            spin_redis_payload_free(&v);
        }
        break;
    }
    case 3:
        status(spin_redis_set(address(), a, (const uint8_t *)b_ptr, (size_t)b_len));
        break;
    case 4:
    case 5:
    case 6:
    case 8: {
        if (op == 4) err = spin_redis_incr(address(), a, &n);
        else if (op == 5) {
            size_t k = split(a, items, 64);
            err = spin_redis_del(address(), (const char *const *)items, k, &n);
        } else {
            size_t k = split(b, items, 64);
            err = (op == 6 ? spin_redis_sadd : spin_redis_srem)(address(), a, (const char *const *)items, k, &n);
        }
        status(err);
        if (err == SPIN_REDIS_SUCCESS) {
            out_str(" ");
            out_int(n);
        }
        break;
    }
    case 7: {
        spin_redis_strings_t members;
        err = spin_redis_smembers(address(), a, &members);
        status(err);
        if (err == SPIN_REDIS_SUCCESS) {
            for (size_t i = 0; i < members.len; i++) {
                out_str("\n");
                out_bytes(members.ptr[i].ptr, members.ptr[i].len);
            }
            spin_redis_strings_free(&members);
        }
        break;
    }
    case 9: {
        size_t k = split(b, items, 64);
        spin_redis_parameter_t params[64];
        uint8_t *buffers[64];
        for (size_t i = 0; i < k; i++) {
            buffers[i] = NULL;
            if (items[i][0] == 'i') params[i] = spin_redis_int64(strtoll(items[i] + 1, NULL, 10));
            else {
                size_t len = strlen(items[i] + 1) / 2;
                buffers[i] = malloc(len ? len : 1);
                for (size_t j = 0; j < len; j++)
                    buffers[i][j] = (uint8_t)(from_hex(items[i][1 + 2 * j]) * 16 + from_hex(items[i][2 + 2 * j]));
                params[i] = spin_redis_binary(buffers[i], len);
            }
        }
        spin_redis_results_t results;
        err = spin_redis_execute(address(), a, params, k, &results);
        for (size_t i = 0; i < k; i++) free(buffers[i]);
        status(err);
        if (err == SPIN_REDIS_SUCCESS) {
            for (size_t i = 0; i < results.len; i++) {
                spin_redis_result_t *r = &results.ptr[i];
                switch (r->tag) {
                case SPIN_REDIS_RESULT_NIL: out_str("\nnil"); break;
                case SPIN_REDIS_RESULT_STATUS:
                    out_str("\nstatus:");
                    out_bytes(r->val.status.ptr, r->val.status.len);
                    break;
                case SPIN_REDIS_RESULT_INT64:
                    out_str("\nint:");
                    out_int(r->val.int64);
                    break;
                case SPIN_REDIS_RESULT_BINARY:
                    out_str("\nbin:");
                    out_hex(r->val.binary.ptr, r->val.binary.len);
                    break;
                default: out_str("\n?"); break;
                }
            }
            spin_redis_results_free(&results);
        }
        break;
    }
    case 10:
        strncpy(ADDRESS, a, sizeof ADDRESS - 1);
        out_str("ok");
        break;
    default:
        out_str("bad op");
    }
    free(a);
    free(b);
    if (!OUT) out_bytes("", 0);
    *(uint32_t *)OUT = (uint32_t)OUT_LEN;
    return (int32_t)OUT;
}

/* ---- raw imports, for byte-exact layout checks */

#define IMPORT(name) __attribute__((import_module("outbound-redis"), import_name(name)))
IMPORT("get") void raw_import_get(int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("incr") void raw_import_incr(int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("set") void raw_import_set(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("smembers") void raw_import_smembers(int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("execute") void raw_import_execute(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);

__attribute__((export_name("raw-get"))) void raw_get(int32_t a, int32_t b, int32_t c, int32_t d, int32_t r) {
    raw_import_get(a, b, c, d, r);
}
__attribute__((export_name("raw-incr"))) void raw_incr(int32_t a, int32_t b, int32_t c, int32_t d, int32_t r) {
    raw_import_incr(a, b, c, d, r);
}
__attribute__((export_name("raw-set"))) void raw_set(int32_t a, int32_t b, int32_t c, int32_t d, int32_t e, int32_t f, int32_t r) {
    raw_import_set(a, b, c, d, e, f, r);
}
__attribute__((export_name("raw-smembers"))) void raw_smembers(int32_t a, int32_t b, int32_t c, int32_t d, int32_t r) {
    raw_import_smembers(a, b, c, d, r);
}
__attribute__((export_name("raw-execute"))) void raw_execute(int32_t a, int32_t b, int32_t c, int32_t d, int32_t e, int32_t f, int32_t r) {
    raw_import_execute(a, b, c, d, e, f, r);
}
