/* Fixture: answers the config value named by the `key` query parameter
 * (default "message"), or 500 "error=<case>: <message>". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spin_config.h"

static const char *names[] = {"ok", "provider", "invalid-key", "invalid-schema", "other"};

spin_http_response_t spin_http_handle(const spin_http_request_t *req) {
    char key[128] = "message";
    spin_http_query_param(req, "key", key, sizeof key);
    spin_string_t value, message;
    spin_config_error_t e = spin_config_get(key, &value, &message);
    if (e != SPIN_CONFIG_OK) {
        size_t cap = message.len + 64;
        char *msg = malloc(cap);
        int n = snprintf(msg, cap, "error=%s: %.*s", names[e], (int)message.len, message.ptr);
        spin_string_free(&message);
        spin_http_response_t res = spin_http_response(500);
        spin_http_response_set_body(&res, msg, (size_t)n);
        free(msg);
        return res;
    }
    spin_http_response_t res = spin_http_response(200);
    spin_http_response_set_body(&res, value.ptr, value.len);
    spin_string_free(&value);
    return res;
}
