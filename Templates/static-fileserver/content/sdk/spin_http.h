/*
 * spin_http.h: write Spin HTTP components in C.
 *
 * Implement one function:
 *
 *     spin_http_response_t spin_http_handle(const spin_http_request_t *req);
 *
 * and build with
 *
 *     python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -O2 \
 *         -I path/to/sdk main.c path/to/sdk/spin_http.c -o main.wasm
 *
 * This implements the Spin 1.x HTTP guest ABI (`handle-http-request`,
 * `canonical_abi_realloc`, `canonical_abi_free`), so the module runs on any
 * Spin-1.x-compatible host. Everything a response points to must come from
 * malloc (the host frees it with `canonical_abi_free`); the helpers below
 * copy for you.
 */
#ifndef SPIN_HTTP_H
#define SPIN_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    SPIN_HTTP_GET = 0,
    SPIN_HTTP_POST = 1,
    SPIN_HTTP_PUT = 2,
    SPIN_HTTP_DELETE = 3,
    SPIN_HTTP_PATCH = 4,
    SPIN_HTTP_HEAD = 5,
    SPIN_HTTP_OPTIONS = 6,
} spin_http_method_t;

/* A UTF-8 string that is not NUL-terminated. */
typedef struct {
    char *ptr;
    size_t len;
} spin_string_t;

/* Same layout as the ABI's tuple<string, string>: 16 bytes on wasm32. */
typedef struct {
    spin_string_t name;
    spin_string_t value;
} spin_http_header_t;

typedef struct {
    spin_http_header_t *ptr;
    size_t len;
} spin_http_headers_t;

typedef struct {
    uint8_t *ptr;
    size_t len;
} spin_http_body_t;

typedef struct {
    spin_http_method_t method;
    /* Path and query, e.g. "/hello?name=John". */
    spin_string_t uri;
    /* Lower-case names; Spin adds spin-path-info, spin-full-url, ... */
    spin_http_headers_t headers;
    spin_http_body_t body;
} spin_http_request_t;

typedef struct {
    uint16_t status;
    bool has_headers;
    spin_http_headers_t headers;
    bool has_body;
    spin_http_body_t body;
} spin_http_response_t;

/* Your handler. */
spin_http_response_t spin_http_handle(const spin_http_request_t *req);

/* A response with `status` and no headers or body. */
spin_http_response_t spin_http_response(uint16_t status);

/* Appends a header (copies name and value). Returns false when out of memory. */
bool spin_http_response_add_header(spin_http_response_t *res, const char *name, const char *value);

/* Sets the body to a copy of `len` bytes at `data`. */
bool spin_http_response_set_body(spin_http_response_t *res, const void *data, size_t len);

/* Sets the body to a copy of a NUL-terminated string. */
bool spin_http_response_set_body_str(spin_http_response_t *res, const char *text);

/* The value of the first header named `name` (case-insensitive), or NULL. */
const spin_string_t *spin_http_request_header(const spin_http_request_t *req, const char *name);

/* Copies the value of query parameter `name` from the request URI into `out`
 * (percent-decoded, NUL-terminated, at most `cap` bytes with the NUL). Returns
 * the decoded length, or -1 when the parameter is absent. */
int spin_http_query_param(const spin_http_request_t *req, const char *name, char *out, size_t cap);

/* Compares a spin_string_t with a NUL-terminated string. */
bool spin_string_equals(spin_string_t s, const char *text);

#ifdef __cplusplus
}
#endif

#endif
