/*
 * spin_outbound_http.h: outbound HTTP requests from Spin components in C
 * (the Spin 1.x `wasi-outbound-http::request` import, old canonical ABI).
 *
 * The destination must be allowed by the component's `allowed_http_hosts`
 * (v1) / `allowed_outbound_hosts` (v2); a URI starting with `/` goes to the
 * app itself when the list contains `self`.
 *
 *     spin_http_response_t res;
 *     spin_outbound_http_error_t err = spin_outbound_http_get("https://example.com/", &res);
 *     if (err == SPIN_OUTBOUND_HTTP_OK) { ... use res ...; spin_outbound_http_response_free(&res); }
 *
 * Response headers and body are malloc'd (header names are lower-case).
 * Build together with spin_outbound_http.c.
 */
#ifndef SPIN_OUTBOUND_HTTP_H
#define SPIN_OUTBOUND_HTTP_H

#include "spin_http.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The WIT `http-error` enum. */
typedef enum {
    SPIN_OUTBOUND_HTTP_OK = 0, /* "success" */
    SPIN_OUTBOUND_HTTP_DESTINATION_NOT_ALLOWED = 1,
    SPIN_OUTBOUND_HTTP_INVALID_URL = 2,
    SPIN_OUTBOUND_HTTP_REQUEST_ERROR = 3,
    SPIN_OUTBOUND_HTTP_RUNTIME_ERROR = 4,
    SPIN_OUTBOUND_HTTP_TOO_MANY_REQUESTS = 5,
} spin_outbound_http_error_t;

typedef struct {
    spin_http_method_t method;
    /* Absolute URL, or a path starting with '/' (needs `self`). */
    spin_string_t uri;
    spin_http_headers_t headers;
    bool has_body;
    spin_http_body_t body;
} spin_outbound_http_request_t;

/* Sends `req`; on SPIN_OUTBOUND_HTTP_OK fills `res` (status, headers, body). */
spin_outbound_http_error_t spin_outbound_http_send(const spin_outbound_http_request_t *req, spin_http_response_t *res);

/* GET `url` (NUL-terminated) with no headers. */
spin_outbound_http_error_t spin_outbound_http_get(const char *url, spin_http_response_t *res);

/* Frees the headers and body of a response returned by spin_outbound_http_send. */
void spin_outbound_http_response_free(spin_http_response_t *res);

/* "destination-not-allowed", ... */
const char *spin_outbound_http_error_name(spin_outbound_http_error_t err);

#ifdef __cplusplus
}
#endif

#endif
