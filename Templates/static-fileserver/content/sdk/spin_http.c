/* spin_http.c: the Spin 1.x HTTP guest ABI (wit-bindgen 0.2 canonical ABI) for C. */
#include "spin_http.h"

#include <stdlib.h>
#include <string.h>

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

/* The 28-byte response record the export returns a pointer to. */
__attribute__((aligned(4))) static uint8_t RET_AREA[28];

__attribute__((export_name("handle-http-request")))
int32_t spin_http_export_handle(int32_t method, int32_t uri_ptr, int32_t uri_len, int32_t headers_ptr,
                                int32_t headers_len, int32_t params_ptr, int32_t params_len, int32_t body_tag,
                                int32_t body_ptr, int32_t body_len) {
    spin_http_request_t req;
    req.method = (spin_http_method_t)method;
    req.uri.ptr = (char *)uri_ptr;
    req.uri.len = (size_t)uri_len;
    req.headers.ptr = (spin_http_header_t *)headers_ptr;
    req.headers.len = (size_t)headers_len;
    req.body.ptr = body_tag ? (uint8_t *)body_ptr : NULL;
    req.body.len = body_tag ? (size_t)body_len : 0;
    (void)params_ptr;
    (void)params_len;

    spin_http_response_t res = spin_http_handle(&req);

    /* The request belongs to us now: release it. */
    for (size_t i = 0; i < req.headers.len; i++) {
        canonical_abi_free(req.headers.ptr[i].name.ptr, req.headers.ptr[i].name.len, 1);
        canonical_abi_free(req.headers.ptr[i].value.ptr, req.headers.ptr[i].value.len, 1);
    }
    canonical_abi_free(req.headers.ptr, req.headers.len * 16, 4);
    canonical_abi_free(req.uri.ptr, req.uri.len, 1);
    if (body_tag) canonical_abi_free(req.body.ptr, req.body.len, 1);

    uint8_t *ret = RET_AREA;
    *(uint16_t *)(ret + 0) = res.status;
    if (res.has_headers) {
        ret[4] = 1;
        *(int32_t *)(ret + 8) = (int32_t)res.headers.ptr;
        *(int32_t *)(ret + 12) = (int32_t)res.headers.len;
    } else {
        ret[4] = 0;
    }
    if (res.has_body) {
        ret[16] = 1;
        *(int32_t *)(ret + 20) = (int32_t)res.body.ptr;
        *(int32_t *)(ret + 24) = (int32_t)res.body.len;
    } else {
        ret[16] = 0;
    }
    return (int32_t)ret;
}

spin_http_response_t spin_http_response(uint16_t status) {
    spin_http_response_t res;
    memset(&res, 0, sizeof res);
    res.status = status;
    return res;
}

static char *copy_bytes(const void *data, size_t len) {
    char *p = malloc(len ? len : 1);
    if (p && len) memcpy(p, data, len);
    return p;
}

bool spin_http_response_add_header(spin_http_response_t *res, const char *name, const char *value) {
    size_t n = res->has_headers ? res->headers.len : 0;
    spin_http_header_t *headers = realloc(res->has_headers ? res->headers.ptr : NULL, (n + 1) * sizeof *headers);
    if (!headers) return false;
    size_t name_len = strlen(name), value_len = strlen(value);
    headers[n].name.ptr = copy_bytes(name, name_len);
    headers[n].name.len = name_len;
    headers[n].value.ptr = copy_bytes(value, value_len);
    headers[n].value.len = value_len;
    if (!headers[n].name.ptr || !headers[n].value.ptr) return false;
    res->headers.ptr = headers;
    res->headers.len = n + 1;
    res->has_headers = true;
    return true;
}

bool spin_http_response_set_body(spin_http_response_t *res, const void *data, size_t len) {
    uint8_t *p = (uint8_t *)copy_bytes(data, len);
    if (!p) return false;
    if (res->has_body) free(res->body.ptr);
    res->body.ptr = p;
    res->body.len = len;
    res->has_body = true;
    return true;
}

bool spin_http_response_set_body_str(spin_http_response_t *res, const char *text) {
    return spin_http_response_set_body(res, text, strlen(text));
}

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

const spin_string_t *spin_http_request_header(const spin_http_request_t *req, const char *name) {
    size_t n = strlen(name);
    for (size_t i = 0; i < req->headers.len; i++) {
        const spin_string_t *h = &req->headers.ptr[i].name;
        if (h->len != n) continue;
        size_t j = 0;
        while (j < n && lower((unsigned char)h->ptr[j]) == lower((unsigned char)name[j])) j++;
        if (j == n) return &req->headers.ptr[i].value;
    }
    return NULL;
}

static int hex(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = lower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

int spin_http_query_param(const spin_http_request_t *req, const char *name, char *out, size_t cap) {
    const char *uri = req->uri.ptr;
    size_t len = req->uri.len, i = 0, n = strlen(name);
    while (i < len && uri[i] != '?') i++;
    if (i == len) return -1;
    i++;
    while (i < len) {
        size_t start = i;
        while (i < len && uri[i] != '&' && uri[i] != '=') i++;
        bool match = (i - start == n) && memcmp(uri + start, name, n) == 0;
        size_t vstart = i, vend = i;
        if (i < len && uri[i] == '=') {
            vstart = ++i;
            while (i < len && uri[i] != '&') i++;
            vend = i;
        }
        if (match) {
            size_t o = 0;
            for (size_t k = vstart; k < vend && o + 1 < cap; k++) {
                char c = uri[k];
                if (c == '+') c = ' ';
                else if (c == '%' && k + 2 < vend && hex(uri[k + 1]) >= 0 && hex(uri[k + 2]) >= 0) {
                    c = (char)(hex(uri[k + 1]) * 16 + hex(uri[k + 2]));
                    k += 2;
                }
                out[o++] = c;
            }
            if (cap) out[o] = 0;
            return (int)o;
        }
        if (i < len) i++;
    }
    return -1;
}

bool spin_string_equals(spin_string_t s, const char *text) {
    size_t n = strlen(text);
    return s.len == n && memcmp(s.ptr, text, n) == 0;
}
