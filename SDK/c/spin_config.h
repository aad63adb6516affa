/*
 * spin_config.h: read component config / variables from C
 * (the Spin 1.x `spin-config::get-config` import, old canonical ABI).
 *
 * Keys are those of the component's `[component.config]` (v1) or
 * `variables` (v2) table; values are the templates expanded with the app's
 * `[variables]`.
 *
 *     char *v = spin_config_get_cstr("message");   // malloc'd, or NULL
 *
 * Build together with spin_config.c.
 */
#ifndef SPIN_CONFIG_H
#define SPIN_CONFIG_H

#include "spin_http.h" /* spin_string_t */

#ifdef __cplusplus
extern "C" {
#endif

/* 0 = ok, else the WIT `error` case + 1. */
typedef enum {
    SPIN_CONFIG_OK = 0,
    SPIN_CONFIG_ERROR_PROVIDER = 1,
    SPIN_CONFIG_ERROR_INVALID_KEY = 2,
    SPIN_CONFIG_ERROR_INVALID_SCHEMA = 3,
    SPIN_CONFIG_ERROR_OTHER = 4,
} spin_config_error_t;

/* On OK `*value` is the (malloc'd, not NUL-terminated) value; otherwise
 * `*message` (if not NULL) receives the host's malloc'd error message. */
spin_config_error_t spin_config_get(const char *key, spin_string_t *value, spin_string_t *message);

/* The value as a malloc'd NUL-terminated string, or NULL on any error. */
char *spin_config_get_cstr(const char *key);

/* Frees a string returned by spin_config_get. */
void spin_string_free(spin_string_t *s);

#ifdef __cplusplus
}
#endif

#endif
