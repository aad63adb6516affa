/* trap: traps on every request (unreachable), after printing to stderr. */
#include <stdio.h>

#include "spin_http.h"

spin_http_response_t spin_http_handle(const spin_http_request_t *req) {
    (void)req;
    fprintf(stderr, "about to trap\n");
    __builtin_trap();
}
