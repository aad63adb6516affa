/*
 * {{project-name}}: a Spin Redis component in C.
 *
 * Called once for every message published on the channel in spin.toml;
 * prints the payload to stdout (the component's log).
 */
#include <stdio.h>

#include "spin_redis.h"

spin_redis_error_t spin_redis_handle_message(const uint8_t *payload, size_t len) {
    printf("Payload::::\n%.*s\n", (int)len, (const char *)payload);
    fflush(stdout);
    return SPIN_REDIS_SUCCESS;
}
