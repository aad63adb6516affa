/* spin_redis.c: Spin 1.x inbound Redis export and outbound-redis imports (wit-bindgen 0.2 canonical ABI) for C. */
#include "spin_redis.h"

#include <stdlib.h>
#include <string.h>

/* The guest-side structs double as the ABI's list elements: check the layouts. */
_Static_assert(sizeof(spin_redis_parameter_t) == 16, "redis-parameter is 16 bytes");
_Static_assert(offsetof(spin_redis_parameter_t, val) == 8, "redis-parameter payload @8");
_Static_assert(sizeof(spin_redis_result_t) == 16, "redis-result is 16 bytes");
_Static_assert(offsetof(spin_redis_result_t, val) == 8, "redis-result payload @8");
_Static_assert(sizeof(spin_redis_string_t) == 8, "string is {ptr, len}");

/* Weak so that spin_http.c's definitions win when both are linked. */
__attribute__((weak, export_name("canonical_abi_realloc")))
void *canonical_abi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
    (void)old_size;
    if (new_size == 0) return (void *)align;
    void *p = realloc(ptr, new_size);
    if (!p) abort();
    return p;
}

__attribute__((weak, export_name("canonical_abi_free")))
void canonical_abi_free(void *ptr, size_t size, size_t align) {
    (void)align;
    if (size == 0) return;
    free(ptr);
}

/* ---- Inbound */

/* Default handler for components that only use the outbound half. */
__attribute__((weak)) spin_redis_error_t spin_redis_handle_message(const uint8_t *payload, size_t len) {
    (void)payload;
    (void)len;
    return SPIN_REDIS_ERROR;
}

/* expected<unit, error>: tag @0, error @1. */
__attribute__((aligned(1))) static uint8_t HANDLE_RET_AREA[2];

__attribute__((export_name("handle-redis-message")))
int32_t spin_redis_export_handle_message(int32_t payload_ptr, int32_t payload_len) {
    uint8_t *payload = (uint8_t *)payload_ptr;
    spin_redis_error_t err = spin_redis_handle_message(payload, (size_t)payload_len);
    canonical_abi_free(payload, (size_t)payload_len, 1);
    if (err == SPIN_REDIS_SUCCESS) {
        HANDLE_RET_AREA[0] = 0;
    } else {
        HANDLE_RET_AREA[0] = 1;
        HANDLE_RET_AREA[1] = (uint8_t)err;
    }
    return (int32_t)HANDLE_RET_AREA;
}

/* ---- Outbound: raw imports (every result goes through a trailing retptr) */

#define IMPORT(name) __attribute__((import_module("outbound-redis"), import_name(name)))

IMPORT("publish") void spin_redis_import_publish(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("set") void spin_redis_import_set(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("get") void spin_redis_import_get(int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("incr") void spin_redis_import_incr(int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("del") void spin_redis_import_del(int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("sadd") void spin_redis_import_sadd(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("srem") void spin_redis_import_srem(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("smembers") void spin_redis_import_smembers(int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("execute") void spin_redis_import_execute(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);

/* Large enough and aligned for every result: expected<s64, error> is 16 bytes, align 8. */
__attribute__((aligned(8))) static uint8_t RET_AREA[16];

#define S(s) (int32_t)(s), (int32_t)strlen(s)

/* expected<unit, error>: tag @0, error @1. */
static spin_redis_error_t unit_result(void) {
    return RET_AREA[0] == 0 ? SPIN_REDIS_SUCCESS : (spin_redis_error_t)RET_AREA[1];
}

/* expected<list, error>: tag @0, list @4/@8, error @4. */
static spin_redis_error_t list_result(void **ptr, size_t *len) {
    if (RET_AREA[0] != 0) return (spin_redis_error_t)RET_AREA[4];
    *ptr = (void *)*(int32_t *)(RET_AREA + 4);
    *len = (size_t)*(int32_t *)(RET_AREA + 8);
    return SPIN_REDIS_SUCCESS;
}

/* expected<s64, error>: tag @0, s64 @8, error @8. */
static spin_redis_error_t s64_result(int64_t *out) {
    if (RET_AREA[0] != 0) return (spin_redis_error_t)RET_AREA[8];
    if (out) *out = *(int64_t *)(RET_AREA + 8);
    return SPIN_REDIS_SUCCESS;
}

/* Borrowed list<string> for an argument: {ptr, len} elements pointing into the caller's strings. */
static spin_redis_string_t *string_list(const char *const *items, size_t count) {
    spin_redis_string_t *list = malloc(count ? count * sizeof *list : 1);
    if (!list) abort();
    for (size_t i = 0; i < count; i++) {
        list[i].ptr = (char *)items[i];
        list[i].len = strlen(items[i]);
    }
    return list;
}

spin_redis_error_t spin_redis_publish(const char *address, const char *channel, const uint8_t *payload, size_t len) {
    spin_redis_import_publish(S(address), S(channel), (int32_t)payload, (int32_t)len, (int32_t)RET_AREA);
    return unit_result();
}

spin_redis_error_t spin_redis_set(const char *address, const char *key, const uint8_t *value, size_t len) {
    spin_redis_import_set(S(address), S(key), (int32_t)value, (int32_t)len, (int32_t)RET_AREA);
    return unit_result();
}

spin_redis_error_t spin_redis_get(const char *address, const char *key, spin_redis_payload_t *out) {
    spin_redis_import_get(S(address), S(key), (int32_t)RET_AREA);
    void *p = NULL;
    size_t n = 0;
    spin_redis_error_t err = list_result(&p, &n);
    if (err == SPIN_REDIS_SUCCESS) {
        out->ptr = n ? p : NULL;
        out->len = n;
    }
    return err;
}

spin_redis_error_t spin_redis_incr(const char *address, const char *key, int64_t *out) {
    spin_redis_import_incr(S(address), S(key), (int32_t)RET_AREA);
    return s64_result(out);
}

spin_redis_error_t spin_redis_del(const char *address, const char *const *keys, size_t count, int64_t *out) {
    spin_redis_string_t *list = string_list(keys, count);
    spin_redis_import_del(S(address), (int32_t)list, (int32_t)count, (int32_t)RET_AREA);
    free(list);
    return s64_result(out);
}

spin_redis_error_t spin_redis_sadd(const char *address, const char *key, const char *const *values, size_t count, int64_t *out) {
    spin_redis_string_t *list = string_list(values, count);
    spin_redis_import_sadd(S(address), S(key), (int32_t)list, (int32_t)count, (int32_t)RET_AREA);
    free(list);
    return s64_result(out);
}

spin_redis_error_t spin_redis_srem(const char *address, const char *key, const char *const *values, size_t count, int64_t *out) {
    spin_redis_string_t *list = string_list(values, count);
    spin_redis_import_srem(S(address), S(key), (int32_t)list, (int32_t)count, (int32_t)RET_AREA);
    free(list);
    return s64_result(out);
}

spin_redis_error_t spin_redis_smembers(const char *address, const char *key, spin_redis_strings_t *out) {
    spin_redis_import_smembers(S(address), S(key), (int32_t)RET_AREA);
    void *p = NULL;
    size_t n = 0;
    spin_redis_error_t err = list_result(&p, &n);
    if (err == SPIN_REDIS_SUCCESS) {
        out->ptr = n ? p : NULL;
        out->len = n;
    }
    return err;
}

spin_redis_error_t spin_redis_execute(const char *address, const char *command, const spin_redis_parameter_t *args,
                                      size_t count, spin_redis_results_t *out) {
    spin_redis_import_execute(S(address), S(command), (int32_t)args, (int32_t)count, (int32_t)RET_AREA);
    void *p = NULL;
    size_t n = 0;
    spin_redis_error_t err = list_result(&p, &n);
    if (err == SPIN_REDIS_SUCCESS) {
        out->ptr = n ? p : NULL;
        out->len = n;
    }
    return err;
}

void spin_redis_payload_free(spin_redis_payload_t *p) {
    if (p->len) free(p->ptr);
    p->ptr = NULL;
    p->len = 0;
}

void spin_redis_strings_free(spin_redis_strings_t *s) {
    for (size_t i = 0; i < s->len; i++)
        if (s->ptr[i].len) free(s->ptr[i].ptr);
    if (s->len) free(s->ptr);
    s->ptr = NULL;
    s->len = 0;
}

void spin_redis_results_free(spin_redis_results_t *r) {
    for (size_t i = 0; i < r->len; i++) {
        spin_redis_result_t *e = &r->ptr[i];
        if (e->tag == SPIN_REDIS_RESULT_STATUS && e->val.status.len) free(e->val.status.ptr);
        if (e->tag == SPIN_REDIS_RESULT_BINARY && e->val.binary.len) free(e->val.binary.ptr);
    }
    if (r->len) free(r->ptr);
    r->ptr = NULL;
    r->len = 0;
}

spin_redis_parameter_t spin_redis_int64(int64_t v) {
    spin_redis_parameter_t p;
    memset(&p, 0, sizeof p);
    p.tag = SPIN_REDIS_PARAMETER_INT64;
    p.val.int64 = v;
    return p;
}

spin_redis_parameter_t spin_redis_binary(const void *data, size_t len) {
    spin_redis_parameter_t p;
    memset(&p, 0, sizeof p);
    p.tag = SPIN_REDIS_PARAMETER_BINARY;
    p.val.binary.ptr = (uint8_t *)data;
    p.val.binary.len = len;
    return p;
}

spin_redis_parameter_t spin_redis_text(const char *text) { return spin_redis_binary(text, strlen(text)); }
