/* Fixture: fetches the URL in the `url` query parameter (or header
 * `x-fetch-url`) and answers "status=<s>\n<body>" with the upstream's
 * `content-type`, or 502 "error=<http-error name>". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spin_outbound_http.h"

spin_http_response_t spin_http_handle(const spin_http_request_t *req) {
    char url[1024];
    if (spin_http_query_param(req, "url", url, sizeof url) < 0) {
        const spin_string_t *h = spin_http_request_header(req, "x-fetch-url");
        if (!h || h->len >= sizeof url) {
            spin_http_response_t res = spin_http_response(400);
            spin_http_response_set_body_str(&res, "missing url");
            return res;
        }
        memcpy(url, h->ptr, h->len);
        url[h->len] = 0;
    }

    spin_http_header_t hdr[1];
    hdr[0].name.ptr = "x-from-guest";
    hdr[0].name.len = 12;
    hdr[0].value.ptr = "hello";
    hdr[0].value.len = 5;
    spin_outbound_http_request_t out;
    memset(&out, 0, sizeof out);
    out.method = req->method == SPIN_HTTP_POST ? SPIN_HTTP_POST : SPIN_HTTP_GET;
    out.uri.ptr = url;
    out.uri.len = strlen(url);
    out.headers.ptr = hdr;
    out.headers.len = 1;
    if (req->method == SPIN_HTTP_POST) {
        out.has_body = true;
        out.body = req->body;
    }

    spin_http_response_t up;
    spin_outbound_http_error_t err = spin_outbound_http_send(&out, &up);
    if (err != SPIN_OUTBOUND_HTTP_OK) {
        char msg[64];
        snprintf(msg, sizeof msg, "error=%s", spin_outbound_http_error_name(err));
        spin_http_response_t res = spin_http_response(502);
        spin_http_response_set_body_str(&res, msg);
        return res;
    }
    char head[32];
    int n = snprintf(head, sizeof head, "status=%u\n", up.status);
    size_t blen = up.has_body ? up.body.len : 0;
    char *buf = malloc(n + blen);
    memcpy(buf, head, n);
    if (blen) memcpy(buf + n, up.body.ptr, blen);
    spin_http_response_t res = spin_http_response(200);
    spin_http_response_set_body(&res, buf, n + blen);
    free(buf);
    for (size_t i = 0; up.has_headers && i < up.headers.len; i++) {
        if (spin_string_equals(up.headers.ptr[i].name, "content-type")) {
            char v[256];
            size_t l = up.headers.ptr[i].value.len < 255 ? up.headers.ptr[i].value.len : 255;
            memcpy(v, up.headers.ptr[i].value.ptr, l);
            v[l] = 0;
            spin_http_response_add_header(&res, "content-type", v);
        }
    }
    spin_outbound_http_response_free(&up);
    return res;
}
