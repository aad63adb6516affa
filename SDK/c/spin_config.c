/* spin_config.c: `spin-config::get-config` for C guests. */
#include "spin_config.h"

#include <stdlib.h>
#include <string.h>

__attribute__((import_module("spin-config"), import_name("get-config")))
void spin_import_get_config(int32_t key_ptr, int32_t key_len, int32_t ret);

/* expected<string, error>: tag @0; ok: ptr @4, len @8; err: case @4, message @8/@12. */
__attribute__((aligned(4))) static uint8_t RET_AREA[16];

spin_config_error_t spin_config_get(const char *key, spin_string_t *value, spin_string_t *message) {
    uint8_t *ret = RET_AREA;
    spin_import_get_config((int32_t)key, (int32_t)strlen(key), (int32_t)ret);
    if (ret[0] == 0) {
        value->ptr = (char *)*(int32_t *)(ret + 4);
        value->len = (size_t)*(int32_t *)(ret + 8);
        return SPIN_CONFIG_OK;
    }
    spin_string_t m = {(char *)*(int32_t *)(ret + 8), (size_t)*(int32_t *)(ret + 12)};
    if (message) *message = m;
    else spin_string_free(&m);
    value->ptr = NULL;
    value->len = 0;
    return (spin_config_error_t)(ret[4] + 1);
}

char *spin_config_get_cstr(const char *key) {
    spin_string_t v;
    if (spin_config_get(key, &v, NULL) != SPIN_CONFIG_OK) return NULL;
    char *s = malloc(v.len + 1);
    if (s) {
        memcpy(s, v.ptr, v.len);
        s[v.len] = 0;
    }
    spin_string_free(&v);
    return s;
}

void spin_string_free(spin_string_t *s) {
    if (s->len) free(s->ptr);
    s->ptr = NULL;
    s->len = 0;
}
