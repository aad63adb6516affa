/* spin_outbound_http.c: `wasi-outbound-http::request` for C guests. */
#include "spin_outbound_http.h"

#include <stdlib.h>
#include <string.h>

__attribute__((import_module("wasi-outbound-http"), import_name("request")))
void spin_import_outbound_http_request(int32_t method, int32_t uri_ptr, int32_t uri_len, int32_t headers_ptr,
                                       int32_t headers_len, int32_t params_ptr, int32_t params_len, int32_t body_tag,
                                       int32_t body_ptr, int32_t body_len, int32_t ret);

/* expected<response, http-error>: tag @0; ok: status u16 @4, headers tag @8,
 * ptr @12, count @16, body tag @20, ptr @24, len @28; err: code u8 @4. */
__attribute__((aligned(4))) static uint8_t RET_AREA[32];

spin_outbound_http_error_t spin_outbound_http_send(const spin_outbound_http_request_t *req, spin_http_response_t *res) {
    uint8_t *ret = RET_AREA;
    spin_import_outbound_http_request((int32_t)req->method, (int32_t)req->uri.ptr, (int32_t)req->uri.len,
                                      (int32_t)req->headers.ptr, (int32_t)req->headers.len, 0, 0,
                                      req->has_body ? 1 : 0, req->has_body ? (int32_t)req->body.ptr : 0,
                                      req->has_body ? (int32_t)req->body.len : 0, (int32_t)ret);
    memset(res, 0, sizeof *res);
    if (ret[0] != 0) return (spin_outbound_http_error_t)ret[4];
    res->status = *(uint16_t *)(ret + 4);
    res->has_headers = ret[8] != 0;
    if (res->has_headers) {
        res->headers.ptr = (spin_http_header_t *)*(int32_t *)(ret + 12);
        res->headers.len = (size_t)*(int32_t *)(ret + 16);
    }
    res->has_body = ret[20] != 0;
    if (res->has_body) {
        res->body.ptr = (uint8_t *)*(int32_t *)(ret + 24);
        res->body.len = (size_t)*(int32_t *)(ret + 28);
    }
    return SPIN_OUTBOUND_HTTP_OK;
}

spin_outbound_http_error_t spin_outbound_http_get(const char *url, spin_http_response_t *res) {
    spin_outbound_http_request_t req;
    memset(&req, 0, sizeof req);
    req.method = SPIN_HTTP_GET;
    req.uri.ptr = (char *)url;
    req.uri.len = strlen(url);
    return spin_outbound_http_send(&req, res);
}

void spin_outbound_http_response_free(spin_http_response_t *res) {
    if (res->has_headers) {
        for (size_t i = 0; i < res->headers.len; i++) {
            if (res->headers.ptr[i].name.len) free(res->headers.ptr[i].name.ptr);
            if (res->headers.ptr[i].value.len) free(res->headers.ptr[i].value.ptr);
        }
        if (res->headers.len) free(res->headers.ptr);
    }
    if (res->has_body && res->body.len) free(res->body.ptr);
    memset(res, 0, sizeof *res);
}

const char *spin_outbound_http_error_name(spin_outbound_http_error_t err) {
    switch (err) {
    case SPIN_OUTBOUND_HTTP_OK: return "success";
    case SPIN_OUTBOUND_HTTP_DESTINATION_NOT_ALLOWED: return "destination-not-allowed";
    case SPIN_OUTBOUND_HTTP_INVALID_URL: return "invalid-url";
    case SPIN_OUTBOUND_HTTP_REQUEST_ERROR: return "request-error";
    case SPIN_OUTBOUND_HTTP_RUNTIME_ERROR: return "runtime-error";
    case SPIN_OUTBOUND_HTTP_TOO_MANY_REQUESTS: return "too-many-requests";
    }
    return "unknown";
}
