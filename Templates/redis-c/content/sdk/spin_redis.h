/*
 * spin_redis.h: write Spin Redis components in C.
 *
 * Implement one function:
 *
 *     bool spin_redis_handle(const uint8_t *payload, size_t len);
 *
 * It is called for every message on the component's channel; return true
 * for success, false to report an error to the host. Build with
 *
 *     python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -O2 \
 *         -I sdk main.c sdk/spin_redis.c -o main.wasm
 *
 * This implements the Spin 1.x Redis guest ABI (`handle-redis-message`,
 * `canonical_abi_realloc`, `canonical_abi_free`).
 */
#ifndef SPIN_REDIS_H
#define SPIN_REDIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Your handler. `payload` is only valid during the call. */
bool spin_redis_handle(const uint8_t *payload, size_t len);

#ifdef __cplusplus
}
#endif

#endif
