/*
 * spin_key_value.h: Spin key-value stores from C
 * (the Spin 1.x `key-value::*` imports, old canonical ABI).
 *
 * The component must list the store in `key_value_stores` (e.g.
 * `["default"]`), else open fails with SPIN_KV_ACCESS_DENIED.
 *
 *     spin_kv_store_t store;
 *     if (spin_kv_open("default", &store) == SPIN_KV_OK) {
 *         spin_kv_set(store, "k", "v", 1);
 *         spin_kv_close(store);
 *     }
 *
 * Build together with spin_key_value.c.
 */
#ifndef SPIN_KEY_VALUE_H
#define SPIN_KEY_VALUE_H

#include "spin_http.h" /* spin_string_t */

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t spin_kv_store_t;

/* 0 = ok, else the WIT `error` case + 1. */
typedef enum {
    SPIN_KV_OK = 0,
    SPIN_KV_STORE_TABLE_FULL = 1,
    SPIN_KV_NO_SUCH_STORE = 2,
    SPIN_KV_ACCESS_DENIED = 3,
    SPIN_KV_INVALID_STORE = 4,
    SPIN_KV_NO_SUCH_KEY = 5,
    SPIN_KV_IO = 6,
} spin_kv_error_t;

spin_kv_error_t spin_kv_open(const char *name, spin_kv_store_t *store);
/* On OK `*value`/`*len` is a malloc'd copy (free it). */
spin_kv_error_t spin_kv_get(spin_kv_store_t store, const char *key, uint8_t **value, size_t *len);
spin_kv_error_t spin_kv_set(spin_kv_store_t store, const char *key, const void *value, size_t len);
spin_kv_error_t spin_kv_delete(spin_kv_store_t store, const char *key);
spin_kv_error_t spin_kv_exists(spin_kv_store_t store, const char *key, bool *exists);
/* On OK `*keys` is a malloc'd array of `*count` malloc'd strings (free with spin_kv_free_keys). */
spin_kv_error_t spin_kv_get_keys(spin_kv_store_t store, spin_string_t **keys, size_t *count);
void spin_kv_free_keys(spin_string_t *keys, size_t count);
void spin_kv_close(spin_kv_store_t store);

/* The message of the last SPIN_KV_IO error (NUL-terminated; "" if none). */
const char *spin_kv_last_io_message(void);
/* "access-denied", ... */
const char *spin_kv_error_name(spin_kv_error_t err);

#ifdef __cplusplus
}
#endif

#endif
