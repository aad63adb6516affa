/* limits guest: misbehaves on purpose, chosen by the last path segment.
 *   /ok       200 "ok"
 *   /loop     loops forever (the request deadline must stop it)
 *   /grow     mallocs 1 MiB blocks until malloc fails (memory.grow returned -1 at the
 *             memory limit), frees them and answers 500 "grew N MiB"
 *   /exhaust  mallocs 1 MiB blocks until malloc fails, then aborts (as Rust does on OOM)
 *   /recurse  recurses without bound (the call-depth limit must trap)
 *   /trap     traps (unreachable)
 *   /sleep    sleeps for an hour (WASI poll_oneoff; the deadline must cut it short)
 *   /noisy    writes 4 MiB to stderr, then answers 200 (the output cap must drop most of it)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spin_http.h"

static spin_http_response_t text(uint16_t status, const char *s) {
    spin_http_response_t res = spin_http_response(status);
    spin_http_response_add_header(&res, "content-type", "text/plain");
    spin_http_response_set_body(&res, s, strlen(s));
    return res;
}

static int deep(volatile int n) {
    volatile char frame[64];
    frame[n & 63] = (char)n;
    return deep(n + 1) + frame[(n + 1) & 63];
}

static int ends_with(const spin_http_request_t *req, const char *suffix) {
    size_t n = strlen(suffix), len = req->uri.len;
    const char *uri = req->uri.ptr;
    const char *q = memchr(uri, '?', len);
    if (q) len = (size_t)(q - uri);
    return len >= n && memcmp(uri + len - n, suffix, n) == 0;
}

spin_http_response_t spin_http_handle(const spin_http_request_t *req) {
    if (ends_with(req, "/loop")) {
        volatile unsigned long n = 0;
        for (;;) n++;
    }
    if (ends_with(req, "/grow")) {
        void **head = NULL;
        size_t mib = 0;
        for (;;) {
            void **block = malloc(1 << 20);
            if (!block) break;
            memset(block, 1, 1 << 20);
            *block = head;
            head = block;
            mib++;
        }
        while (head) {
            void **next = *head;
            free(head);
            head = next;
        }
        char buf[64];
        snprintf(buf, sizeof buf, "grew %zu MiB", mib);
        return text(500, buf);
    }
    if (ends_with(req, "/exhaust")) {
        void *volatile block;
        while ((block = malloc(1 << 20)) != NULL) memset(block, 1, 16);
        __builtin_trap();
    }
    if (ends_with(req, "/recurse")) return text(200, deep(0) ? "impossible" : "impossible");
    if (ends_with(req, "/trap")) __builtin_trap();
    if (ends_with(req, "/sleep")) {
        sleep(3600);
        return text(200, "woke up");
    }
    if (ends_with(req, "/noisy")) {
        static char line[1024];
        memset(line, 'x', sizeof line - 1);
        line[sizeof line - 1] = '\n';
        for (int i = 0; i < 4096; i++) fwrite(line, 1, sizeof line, stderr);
        return text(200, "noisy");
    }
    return text(200, "ok");
}
