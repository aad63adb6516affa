// A wasi:http@0.2.0 incoming-handler that streams its body: it sets the response first, then
// writes three chunks with a pause between them (wasi:clocks monotonic-clock subscribe-duration
// + pollable.block), so a client can see the first bytes long before the last. Written against
// the canonical ABI by hand, like shared/components/c-zig/handler.c. Build: ./build.sh
//
// Paths: /            chunked body "chunk 1\n" "chunk 2\n" "chunk 3\n", 300 ms apart
//        /length      the same with content-length: 24
//        /short       content-length: 100 but only the 24 bytes: finish reports an error
//        /abandon     one chunk, then the body is dropped without finish
//        /long        content-length: 10: the second write goes past it and fails
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))
#define HTTP "wasi:http/types@0.2.0"
#define IO "wasi:io/streams@0.2.0"
#define POLL "wasi:io/poll@0.2.0"
#define CLOCK "wasi:clocks/monotonic-clock@0.2.0"

IMPORT(HTTP, "[constructor]fields") int32_t fields_new(void);
IMPORT(HTTP, "[method]fields.append") void fields_append(int32_t self, const char *n, size_t nl, const uint8_t *v, size_t vl, void *ret);
IMPORT(HTTP, "[method]incoming-request.path-with-query") void req_path(int32_t self, void *ret);
IMPORT(HTTP, "[resource-drop]incoming-request") void req_drop(int32_t self);
IMPORT(HTTP, "[constructor]outgoing-response") int32_t resp_new(int32_t headers);
IMPORT(HTTP, "[method]outgoing-response.body") void resp_body(int32_t self, void *ret);
IMPORT(HTTP, "[method]outgoing-body.write") void body_write(int32_t self, void *ret);
IMPORT(HTTP, "[resource-drop]outgoing-body") void body_drop(int32_t self);
IMPORT(HTTP, "[static]outgoing-body.finish") void body_finish(int32_t body, int32_t has_trailers, int32_t trailers, void *ret);
IMPORT(HTTP, "[static]response-outparam.set") void outparam_set(int32_t param, int32_t is_err, int32_t a, int32_t b, int64_t c, int32_t d, int32_t e, int32_t f, int32_t g);
IMPORT(IO, "[method]output-stream.blocking-write-and-flush") void stream_write(int32_t self, const uint8_t *p, size_t len, void *ret);
IMPORT(IO, "[resource-drop]output-stream") void stream_drop(int32_t self);
IMPORT(POLL, "[method]pollable.block") void pollable_block(int32_t self);
IMPORT(POLL, "[resource-drop]pollable") void pollable_drop(int32_t self);
IMPORT(CLOCK, "subscribe-duration") int32_t subscribe_duration(int64_t nanoseconds);

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *ptr, size_t old, size_t align, size_t new_size) {
    (void)old; (void)align;
    return realloc(ptr, new_size ? new_size : 1);
}

static void pause_ms(int64_t ms) {
    int32_t p = subscribe_duration(ms * 1000000);
    pollable_block(p);
    pollable_drop(p);
}

static int is(const char *path, size_t len, const char *want) {
    return len == strlen(want) && memcmp(path, want, len) == 0;
}

__attribute__((export_name("wasi:http/incoming-handler@0.2.0#handle")))
void handle(int32_t request, int32_t response_out) {
    struct { uint8_t tag; uint32_t ptr; uint32_t len; } opt_str __attribute__((aligned(4)));
    struct { uint8_t tag; uint32_t a; uint32_t b; } ret __attribute__((aligned(8)));
    req_path(request, &opt_str);
    const char *path = opt_str.tag ? (const char *)(uintptr_t)opt_str.ptr : "/";
    size_t path_len = opt_str.tag ? opt_str.len : 1;
    int length = is(path, path_len, "/length"), short_body = is(path, path_len, "/short");
    int abandon = is(path, path_len, "/abandon"), long_body = is(path, path_len, "/long");
    req_drop(request);

    int32_t headers = fields_new();
    fields_append(headers, "content-type", 12, (const uint8_t *)"text/plain", 10, &ret);
    if (length) fields_append(headers, "content-length", 14, (const uint8_t *)"24", 2, &ret);
    if (long_body) fields_append(headers, "content-length", 14, (const uint8_t *)"10", 2, &ret);
    if (short_body) fields_append(headers, "content-length", 14, (const uint8_t *)"100", 3, &ret);
    int32_t resp = resp_new(headers);
    resp_body(resp, &ret);
    int32_t body = (int32_t)ret.a;
    outparam_set(response_out, 0, resp, 0, 0, 0, 0, 0, 0);
    body_write(body, &ret);
    int32_t stream = (int32_t)ret.a;
    static const char *chunks[] = {"chunk 1\n", "chunk 2\n", "chunk 3\n"};
    for (int i = 0; i < 3; i++) {
        if (i > 0) pause_ms(300);
        stream_write(stream, (const uint8_t *)chunks[i], 8, &ret);
        if (abandon) break;
    }
    stream_drop(stream);
    if (abandon) {
        body_drop(body);
        return;
    }
    body_finish(body, 0, 0, &ret);
}
