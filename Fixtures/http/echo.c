/* echo: answers with the request it received, one "name: value" line per header. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spin_http.h"

static const char *METHODS[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};

spin_http_response_t spin_http_handle(const spin_http_request_t *req) {
    size_t cap = 256 + req->uri.len + req->body.len;
    for (size_t i = 0; i < req->headers.len; i++) cap += req->headers.ptr[i].name.len + req->headers.ptr[i].value.len + 4;
    char *text = malloc(cap);
    size_t n = (size_t)snprintf(text, cap, "method: %s\nuri: %.*s\n", METHODS[req->method], (int)req->uri.len, req->uri.ptr);
    for (size_t i = 0; i < req->headers.len; i++) {
        const spin_http_header_t *h = &req->headers.ptr[i];
        n += (size_t)snprintf(text + n, cap - n, "%.*s: %.*s\n", (int)h->name.len, h->name.ptr, (int)h->value.len, h->value.ptr);
    }
    n += (size_t)snprintf(text + n, cap - n, "body-length: %zu\n\n", req->body.len);
    memcpy(text + n, req->body.ptr, req->body.len);
    n += req->body.len;
    spin_http_response_t res = spin_http_response(200);
    spin_http_response_add_header(&res, "content-type", "text/plain");
    spin_http_response_add_header(&res, "x-echo", "1");
    spin_http_response_set_body(&res, text, n);
    free(text);
    return res;
}
