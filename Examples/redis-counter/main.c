/*
 * redis-counter: a Spin 1.x Redis component in C.
 *
 *     redis-server &                                   # on 127.0.0.1:6379
 *     spin up -f Examples/redis-counter
 *     redis-cli publish messages hello
 *     redis-cli mget redis-counter:count redis-counter:last    # "1", "hello"
 *
 * The component counts every message published on the `messages` channel and
 * keeps the last one, using the outbound-redis host functions on the server
 * named by the REDIS_ADDRESS environment variable (spin.toml `environment`).
 */
#include <stdio.h>
#include <stdlib.h>

#include "spin_redis.h"

spin_redis_error_t spin_redis_handle_message(const uint8_t *payload, size_t len) {
    const char *address = getenv("REDIS_ADDRESS");
    if (!address) address = "redis://127.0.0.1:6379";

    int64_t count = 0;
    if (spin_redis_incr(address, "redis-counter:count", &count) != SPIN_REDIS_SUCCESS) {
        fprintf(stderr, "INCR failed\n");
        return SPIN_REDIS_ERROR;
    }
    if (spin_redis_set(address, "redis-counter:last", payload, len) != SPIN_REDIS_SUCCESS) {
        fprintf(stderr, "SET failed\n");
        return SPIN_REDIS_ERROR;
    }
    printf("message %lld: %.*s\n", (long long)count, (int)len, (const char *)payload);
    return SPIN_REDIS_SUCCESS;
}
