/*
 * {{project-name}}: a Spin HTTP component in C.
 *
 * Every request gets 200, `foo: bar` and the body "Hello, Fermyon".
 * sdk/spin_http.h describes the request and the response helpers.
 */
#include "spin_http.h"

spin_http_response_t spin_http_handle(const spin_http_request_t *req) {
    (void)req;
    spin_http_response_t res = spin_http_response(200);
    spin_http_response_add_header(&res, "foo", "bar");
    spin_http_response_add_header(&res, "content-type", "text/plain");
    spin_http_response_set_body_str(&res, "Hello, Fermyon");
    return res;
}
