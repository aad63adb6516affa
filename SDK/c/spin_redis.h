/*
 * spin_redis.h: Spin 1.x Redis for C guests.
 *
 * Two halves:
 *
 *  - Inbound (a Redis-triggered component): implement
 *
 *        spin_redis_error_t spin_redis_handle_message(const uint8_t *payload, size_t len);
 *
 *    and spin_redis.c exports it as `handle-redis-message`. Return
 *    SPIN_REDIS_SUCCESS, or SPIN_REDIS_ERROR to report a failure (the host logs
 *    it; the message is not retried).
 *
 *  - Outbound (any component): the `outbound-redis` host imports: publish, get,
 *    set, incr, del, sadd, smembers, srem, execute. Each takes the server
 *    address (`redis://[user[:password]@]host[:port][/db]`) and returns
 *    SPIN_REDIS_SUCCESS or SPIN_REDIS_ERROR. Results the host returns are
 *    malloc'd in guest memory: release them with the matching *_free.
 *
 * Build a Redis component with
 *
 *     python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -O2 -s \
 *         -I path/to/sdk main.c path/to/sdk/spin_redis.c -o main.wasm
 *
 * spin_redis.c also provides `canonical_abi_realloc`/`canonical_abi_free` as
 * weak symbols, so it links alone or together with spin_http.c.
 *
 * Written from the wit-bindgen 0.2 layouts of Spin 1.x's outbound-redis.wit,
 * redis-types.wit and spin-redis.wit.
 */
#ifndef SPIN_REDIS_H
#define SPIN_REDIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* redis-types.wit `enum error { success, error }`. */
typedef enum {
    SPIN_REDIS_SUCCESS = 0,
    SPIN_REDIS_ERROR = 1,
} spin_redis_error_t;

/* `payload` = list<u8>. */
typedef struct {
    uint8_t *ptr;
    size_t len;
} spin_redis_payload_t;

/* A UTF-8 string, not NUL-terminated. */
typedef struct {
    char *ptr;
    size_t len;
} spin_redis_string_t;

typedef struct {
    spin_redis_string_t *ptr;
    size_t len;
} spin_redis_strings_t;

/* `variant redis-parameter { int64(s64), binary(payload) }`: 16 bytes, tag @0, value @8. */
typedef enum {
    SPIN_REDIS_PARAMETER_INT64 = 0,
    SPIN_REDIS_PARAMETER_BINARY = 1,
} spin_redis_parameter_tag_t;

typedef struct {
    uint8_t tag;
    union {
        int64_t int64;
        spin_redis_payload_t binary;
    } val;
} spin_redis_parameter_t;

/* `variant redis-result { nil, status(string), int64(s64), binary(payload) }`: 16 bytes, tag @0, value @8. */
typedef enum {
    SPIN_REDIS_RESULT_NIL = 0,
    SPIN_REDIS_RESULT_STATUS = 1,
    SPIN_REDIS_RESULT_INT64 = 2,
    SPIN_REDIS_RESULT_BINARY = 3,
} spin_redis_result_tag_t;

typedef struct {
    uint8_t tag;
    union {
        spin_redis_string_t status;
        int64_t int64;
        spin_redis_payload_t binary;
    } val;
} spin_redis_result_t;

typedef struct {
    spin_redis_result_t *ptr;
    size_t len;
} spin_redis_results_t;

/* ---- Inbound: your handler (exported as `handle-redis-message`). The payload
 * is freed after the handler returns; copy what you keep. */
spin_redis_error_t spin_redis_handle_message(const uint8_t *payload, size_t len);

/* ---- Outbound. `address`, `channel`, `key` and `command` are NUL-terminated. */
spin_redis_error_t spin_redis_publish(const char *address, const char *channel, const uint8_t *payload, size_t len);
spin_redis_error_t spin_redis_set(const char *address, const char *key, const uint8_t *value, size_t len);
/* A missing key reads as an empty value. */
spin_redis_error_t spin_redis_get(const char *address, const char *key, spin_redis_payload_t *out);
spin_redis_error_t spin_redis_incr(const char *address, const char *key, int64_t *out);
spin_redis_error_t spin_redis_del(const char *address, const char *const *keys, size_t count, int64_t *out);
spin_redis_error_t spin_redis_sadd(const char *address, const char *key, const char *const *values, size_t count, int64_t *out);
spin_redis_error_t spin_redis_srem(const char *address, const char *key, const char *const *values, size_t count, int64_t *out);
spin_redis_error_t spin_redis_smembers(const char *address, const char *key, spin_redis_strings_t *out);
/* Any command; replies are flattened into a list (nil and OK replies are left out, as in Spin 1.x). */
spin_redis_error_t spin_redis_execute(const char *address, const char *command, const spin_redis_parameter_t *args,
                                      size_t count, spin_redis_results_t *out);

void spin_redis_payload_free(spin_redis_payload_t *p);
void spin_redis_strings_free(spin_redis_strings_t *s);
void spin_redis_results_free(spin_redis_results_t *r);

/* Parameter helpers (no copies: the data must outlive the call). */
spin_redis_parameter_t spin_redis_int64(int64_t v);
spin_redis_parameter_t spin_redis_binary(const void *data, size_t len);
spin_redis_parameter_t spin_redis_text(const char *text);

#ifdef __cplusplus
}
#endif

#endif
