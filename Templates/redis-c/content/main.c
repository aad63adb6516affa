/*
 * {{project-name}}: a Spin Redis component in C.
 *
 * Called once for every message published on the channel in spin.toml;
 * prints the payload to stdout (the component's log).
 */
#include <stdio.h>

#include "spin_redis.h"

bool spin_redis_handle(const uint8_t *payload, size_t len) {
    printf("Payload::::\n%.*s\n", (int)len, (const char *)payload);
    fflush(stdout);
    return true;
}
