/* spin_redis.c: the Spin 1.x Redis guest ABI (wit-bindgen 0.2 canonical ABI) for C. */
#include "spin_redis.h"

#include <stdlib.h>

__attribute__((export_name("canonical_abi_realloc")))
void *canonical_abi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
    (void)old_size;
    if (new_size == 0) return (void *)align;
    void *p = realloc(ptr, new_size);
    if (!p) abort();
    return p;
}

__attribute__((export_name("canonical_abi_free")))
void canonical_abi_free(void *ptr, size_t size, size_t align) {
    (void)align;
    if (size == 0) return;
    free(ptr);
}

/* expected<unit, error>: byte 0 = 0 ok / 1 err, byte 1 = error enum (1 = error). */
static uint8_t RET_AREA[2];

__attribute__((export_name("handle-redis-message")))
int32_t spin_redis_export_handle(int32_t payload_ptr, int32_t payload_len) {
    bool ok = spin_redis_handle((const uint8_t *)payload_ptr, (size_t)payload_len);
    canonical_abi_free((void *)payload_ptr, (size_t)payload_len, 1);
    RET_AREA[0] = ok ? 0 : 1;
    RET_AREA[1] = ok ? 0 : 1;
    return (int32_t)RET_AREA;
}
