/* Fixture: a counter in the key-value store `store` (query parameter, default
 * "default"). Each request increments key "counter" and answers its new
 * value; errors answer 500 "error=<name>[: io message]". `?op=keys` lists the
 * keys, `?op=delete` deletes the counter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spin_key_value.h"

static spin_http_response_t fail(spin_kv_error_t e) {
    char msg[320];
    if (e == SPIN_KV_IO) snprintf(msg, sizeof msg, "error=io: %s", spin_kv_last_io_message());
    else snprintf(msg, sizeof msg, "error=%s", spin_kv_error_name(e));
    spin_http_response_t res = spin_http_response(500);
    spin_http_response_set_body_str(&res, msg);
    return res;
}

spin_http_response_t spin_http_handle(const spin_http_request_t *req) {
    char name[64] = "default", op[16] = "incr";
    spin_http_query_param(req, "store", name, sizeof name);
    spin_http_query_param(req, "op", op, sizeof op);
    spin_kv_store_t store;
    spin_kv_error_t e = spin_kv_open(name, &store);
    if (e != SPIN_KV_OK) return fail(e);
    char out[512];
    if (strcmp(op, "keys") == 0) {
        spin_string_t *keys;
        size_t n;
        if ((e = spin_kv_get_keys(store, &keys, &n)) != SPIN_KV_OK) return fail(e);
        size_t o = 0;
        for (size_t i = 0; i < n && o + keys[i].len + 2 < sizeof out; i++) {
            memcpy(out + o, keys[i].ptr, keys[i].len);
            o += keys[i].len;
            out[o++] = '\n';
        }
        out[o] = 0;
        spin_kv_free_keys(keys, n);
    } else if (strcmp(op, "delete") == 0) {
        if ((e = spin_kv_delete(store, "counter")) != SPIN_KV_OK) return fail(e);
        bool exists = true;
        if ((e = spin_kv_exists(store, "counter", &exists)) != SPIN_KV_OK) return fail(e);
        snprintf(out, sizeof out, "deleted exists=%d", exists ? 1 : 0);
    } else {
        long count = 0;
        uint8_t *v;
        size_t len;
        e = spin_kv_get(store, "counter", &v, &len);
        if (e == SPIN_KV_OK) {
            char tmp[32];
            size_t l = len < 31 ? len : 31;
            memcpy(tmp, v, l);
            tmp[l] = 0;
            count = strtol(tmp, NULL, 10);
            if (len) free(v);
        } else if (e != SPIN_KV_NO_SUCH_KEY) {
            return fail(e);
        }
        count++;
        int n = snprintf(out, sizeof out, "%ld", count);
        if ((e = spin_kv_set(store, "counter", out, (size_t)n)) != SPIN_KV_OK) return fail(e);
    }
    spin_kv_close(store);
    spin_http_response_t res = spin_http_response(200);
    spin_http_response_set_body_str(&res, out);
    return res;
}
