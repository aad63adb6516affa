/* spin_key_value.c: `key-value::*` for C guests. */
#include "spin_key_value.h"

#include <stdlib.h>
#include <string.h>

#define KV_IMPORT(name) __attribute__((import_module("key-value"), import_name(name)))
KV_IMPORT("open") void spin_import_kv_open(int32_t name_ptr, int32_t name_len, int32_t ret);
KV_IMPORT("get") void spin_import_kv_get(int32_t store, int32_t key_ptr, int32_t key_len, int32_t ret);
KV_IMPORT("set") void spin_import_kv_set(int32_t store, int32_t key_ptr, int32_t key_len, int32_t value_ptr, int32_t value_len, int32_t ret);
KV_IMPORT("delete") void spin_import_kv_delete(int32_t store, int32_t key_ptr, int32_t key_len, int32_t ret);
KV_IMPORT("exists") void spin_import_kv_exists(int32_t store, int32_t key_ptr, int32_t key_len, int32_t ret);
KV_IMPORT("get-keys") void spin_import_kv_get_keys(int32_t store, int32_t ret);
KV_IMPORT("close") void spin_import_kv_close(int32_t store);

/* expected<T, error>: tag @0; ok payload @4; err: case u8 @4, io message @8/@12. */
__attribute__((aligned(4))) static uint8_t RET_AREA[16];
static char last_io[256];

static spin_kv_error_t result(void) {
    uint8_t *ret = RET_AREA;
    if (ret[0] == 0) return SPIN_KV_OK;
    spin_kv_error_t e = (spin_kv_error_t)(ret[4] + 1);
    if (e == SPIN_KV_IO) {
        char *p = (char *)*(int32_t *)(ret + 8);
        size_t n = (size_t)*(int32_t *)(ret + 12);
        size_t c = n < sizeof last_io - 1 ? n : sizeof last_io - 1;
        memcpy(last_io, p, c);
        last_io[c] = 0;
        if (n) free(p);
    }
    return e;
}

spin_kv_error_t spin_kv_open(const char *name, spin_kv_store_t *store) {
    spin_import_kv_open((int32_t)name, (int32_t)strlen(name), (int32_t)RET_AREA);
    spin_kv_error_t e = result();
    if (e == SPIN_KV_OK) *store = *(uint32_t *)(RET_AREA + 4);
    return e;
}

spin_kv_error_t spin_kv_get(spin_kv_store_t store, const char *key, uint8_t **value, size_t *len) {
    spin_import_kv_get((int32_t)store, (int32_t)key, (int32_t)strlen(key), (int32_t)RET_AREA);
    spin_kv_error_t e = result();
    if (e == SPIN_KV_OK) {
        *value = (uint8_t *)*(int32_t *)(RET_AREA + 4);
        *len = (size_t)*(int32_t *)(RET_AREA + 8);
    }
    return e;
}

spin_kv_error_t spin_kv_set(spin_kv_store_t store, const char *key, const void *value, size_t len) {
    spin_import_kv_set((int32_t)store, (int32_t)key, (int32_t)strlen(key), (int32_t)value, (int32_t)len, (int32_t)RET_AREA);
    return result();
}

spin_kv_error_t spin_kv_delete(spin_kv_store_t store, const char *key) {
    spin_import_kv_delete((int32_t)store, (int32_t)key, (int32_t)strlen(key), (int32_t)RET_AREA);
    return result();
}

spin_kv_error_t spin_kv_exists(spin_kv_store_t store, const char *key, bool *exists) {
    spin_import_kv_exists((int32_t)store, (int32_t)key, (int32_t)strlen(key), (int32_t)RET_AREA);
    spin_kv_error_t e = result();
    if (e == SPIN_KV_OK) *exists = RET_AREA[4] != 0;
    return e;
}

spin_kv_error_t spin_kv_get_keys(spin_kv_store_t store, spin_string_t **keys, size_t *count) {
    spin_import_kv_get_keys((int32_t)store, (int32_t)RET_AREA);
    spin_kv_error_t e = result();
    if (e == SPIN_KV_OK) {
        *keys = (spin_string_t *)*(int32_t *)(RET_AREA + 4);
        *count = (size_t)*(int32_t *)(RET_AREA + 8);
    }
    return e;
}

void spin_kv_free_keys(spin_string_t *keys, size_t count) {
    for (size_t i = 0; i < count; i++)
        if (keys[i].len) free(keys[i].ptr);
    if (count) free(keys);
}

void spin_kv_close(spin_kv_store_t store) { spin_import_kv_close((int32_t)store); }

const char *spin_kv_last_io_message(void) { return last_io; }

const char *spin_kv_error_name(spin_kv_error_t err) {
    switch (err) {
    case SPIN_KV_OK: return "ok";
    case SPIN_KV_STORE_TABLE_FULL: return "store-table-full";
    case SPIN_KV_NO_SUCH_STORE: return "no-such-store";
    case SPIN_KV_ACCESS_DENIED: return "access-denied";
    case SPIN_KV_INVALID_STORE: return "invalid-store";
    case SPIN_KV_NO_SUCH_KEY: return "no-such-key";
    case SPIN_KV_IO: return "io";
    }
    return "unknown";
}
