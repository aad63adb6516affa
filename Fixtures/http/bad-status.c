/* bad-status: returns status 700, which a Spin host must turn into a 500. */
#include "spin_http.h"

spin_http_response_t spin_http_handle(const spin_http_request_t *req) {
    (void)req;
    spin_http_response_t res = spin_http_response(700);
    spin_http_response_set_body_str(&res, "should never be seen");
    return res;
}
