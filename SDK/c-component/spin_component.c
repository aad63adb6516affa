// The Spin component SDK for C: canonical-ABI bindings of spin-http.wit, written by hand.
//
// Canonical ABI (component-model/design/mvp/CanonicalABI.md) as used here:
// - strings and lists pass as (ptr, len) pairs of i32; resources as i32 handles;
// - a function whose flattened results are more than one value takes a return pointer as its
//   last argument, and the host writes the result there in memory layout: a variant is its
//   discriminant (u8 for fewer than 256 cases) followed by its payload at the payload's
//   alignment (4 for strings/lists/handles, 8 when a case holds a 64-bit value);
// - `result` (no payloads) and an enum-less u16 come back as one i32.
#include "spin_component.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))
#define HTTP "wasi:http/types@0.2.0"
#define OUTGOING "wasi:http/outgoing-handler@0.2.0"
#define IO "wasi:io/streams@0.2.0"
#define IOERR "wasi:io/error@0.2.0"
#define POLL "wasi:io/poll@0.2.0"
#define VARIABLES "fermyon:spin/variables@2.0.0"
#define KV "fermyon:spin/key-value@2.0.0"
#define REDIS "fermyon:spin/redis@2.0.0"
#define PG "fermyon:spin/postgres@2.0.0"

// ---- imports ----
IMPORT(HTTP, "[constructor]fields") int32_t fields_new(void);
IMPORT(HTTP, "[method]fields.append") void fields_append(int32_t self, const char *n, size_t nl, const uint8_t *v, size_t vl, void *ret);
IMPORT(HTTP, "[method]incoming-request.method") void req_method(int32_t self, void *ret);
IMPORT(HTTP, "[method]incoming-request.path-with-query") void req_path(int32_t self, void *ret);
IMPORT(HTTP, "[method]incoming-request.consume") void req_consume(int32_t self, void *ret);
IMPORT(HTTP, "[resource-drop]incoming-request") void req_drop(int32_t self);
IMPORT(HTTP, "[method]incoming-body.stream") void in_body_stream(int32_t self, void *ret);
IMPORT(HTTP, "[resource-drop]incoming-body") void in_body_drop(int32_t self);
IMPORT(HTTP, "[constructor]outgoing-response") int32_t resp_new(int32_t headers);
IMPORT(HTTP, "[method]outgoing-response.set-status-code") int32_t resp_set_status(int32_t self, int32_t status);
IMPORT(HTTP, "[method]outgoing-response.body") void resp_body(int32_t self, void *ret);
IMPORT(HTTP, "[resource-drop]outgoing-body") void out_body_drop(int32_t self);
IMPORT(HTTP, "[method]outgoing-body.write") void out_body_write(int32_t self, void *ret);
IMPORT(HTTP, "[static]outgoing-body.finish") void out_body_finish(int32_t body, int32_t has_trailers, int32_t trailers, void *ret);
IMPORT(HTTP, "[static]response-outparam.set") void outparam_set(int32_t param, int32_t is_err, int32_t a, int32_t b, int64_t c, int32_t d, int32_t e, int32_t f, int32_t g);
IMPORT(HTTP, "[constructor]outgoing-request") int32_t oreq_new(int32_t headers);
IMPORT(HTTP, "[method]outgoing-request.set-method") int32_t oreq_set_method(int32_t self, int32_t tag, const char *p, size_t l);
IMPORT(HTTP, "[method]outgoing-request.set-scheme") int32_t oreq_set_scheme(int32_t self, int32_t some, int32_t tag, const char *p, size_t l);
IMPORT(HTTP, "[method]outgoing-request.set-authority") int32_t oreq_set_authority(int32_t self, int32_t some, const char *p, size_t l);
IMPORT(HTTP, "[method]outgoing-request.body") void oreq_body(int32_t self, void *ret);
IMPORT(HTTP, "[method]outgoing-request.set-path-with-query") int32_t oreq_set_path(int32_t self, int32_t some, const char *p, size_t l);
IMPORT(HTTP, "[method]future-incoming-response.subscribe") int32_t future_subscribe(int32_t self);
IMPORT(HTTP, "[method]future-incoming-response.get") void future_get(int32_t self, void *ret);
IMPORT(HTTP, "[resource-drop]future-incoming-response") void future_drop(int32_t self);
IMPORT(HTTP, "[method]incoming-response.status") int32_t iresp_status(int32_t self);
IMPORT(HTTP, "[method]incoming-response.consume") void iresp_consume(int32_t self, void *ret);
IMPORT(HTTP, "[resource-drop]incoming-response") void iresp_drop(int32_t self);
IMPORT(OUTGOING, "handle") void outgoing_handle(int32_t request, int32_t has_options, int32_t options, void *ret);
IMPORT(IO, "[method]input-stream.blocking-read") void in_stream_read(int32_t self, int64_t len, void *ret);
IMPORT(IO, "[resource-drop]input-stream") void in_stream_drop(int32_t self);
IMPORT(IO, "[method]output-stream.blocking-write-and-flush") void out_stream_write(int32_t self, const uint8_t *p, size_t len, void *ret);
IMPORT(IO, "[resource-drop]output-stream") void out_stream_drop(int32_t self);
IMPORT(IOERR, "[resource-drop]error") void io_error_drop(int32_t self);
IMPORT(POLL, "[method]pollable.block") void pollable_block(int32_t self);
IMPORT(POLL, "[resource-drop]pollable") void pollable_drop(int32_t self);

IMPORT(VARIABLES, "get") void variables_get(const char *n, size_t nl, void *ret);

IMPORT(KV, "[static]store.open") void kv_open(const char *l, size_t ll, void *ret);
IMPORT(KV, "[method]store.get") void kv_get(int32_t self, const char *k, size_t kl, void *ret);
IMPORT(KV, "[method]store.set") void kv_set(int32_t self, const char *k, size_t kl, const uint8_t *v, size_t vl, void *ret);
IMPORT(KV, "[method]store.delete") void kv_delete(int32_t self, const char *k, size_t kl, void *ret);
IMPORT(KV, "[method]store.exists") void kv_exists(int32_t self, const char *k, size_t kl, void *ret);
IMPORT(KV, "[resource-drop]store") void kv_drop(int32_t self);

IMPORT(REDIS, "[static]connection.open") void redis_open(const char *a, size_t al, void *ret);
IMPORT(REDIS, "[method]connection.get") void redis_get(int32_t self, const char *k, size_t kl, void *ret);
IMPORT(REDIS, "[method]connection.set") void redis_set(int32_t self, const char *k, size_t kl, const uint8_t *v, size_t vl, void *ret);
IMPORT(REDIS, "[method]connection.incr") void redis_incr(int32_t self, const char *k, size_t kl, void *ret);
IMPORT(REDIS, "[resource-drop]connection") void redis_drop(int32_t self);

IMPORT(PG, "[static]connection.open") void pg_open(const char *a, size_t al, void *ret);
IMPORT(PG, "[method]connection.query") void pg_query(int32_t self, const char *s, size_t sl, const spin_db_value_t *p, size_t pl, void *ret);
IMPORT(PG, "[method]connection.execute") void pg_execute(int32_t self, const char *s, size_t sl, const spin_db_value_t *p, size_t pl, void *ret);
IMPORT(PG, "[resource-drop]connection") void pg_drop(int32_t self);

// ---- memory the host allocates in (strings and lists it returns) ----
__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *ptr, size_t old, size_t align, size_t new_size) {
    (void)old;
    (void)align;  // malloc aligns to 16, enough for every canonical-ABI type
    return realloc(ptr, new_size ? new_size : 1);
}

void spin_free(void *ptr) { free(ptr); }

/// A return area: large enough for every result here (the biggest, future-incoming-response.get,
/// is 24 bytes of nesting plus an error-code of at most 32).
typedef struct {
    uint8_t b[96];
} __attribute__((aligned(8))) ret_area_t;

static uint32_t u32_at(const ret_area_t *r, size_t off) {
    uint32_t v;
    memcpy(&v, r->b + off, 4);
    return v;
}
static uint64_t u64_at(const ret_area_t *r, size_t off) {
    uint64_t v;
    memcpy(&v, r->b + off, 8);
    return v;
}
static spin_bytes_t bytes_at(const ret_area_t *r, size_t off) {
    return (spin_bytes_t){(uint8_t *)(uintptr_t)u32_at(r, off), u32_at(r, off + 4)};
}

// ---- errors ----
static const char *const variables_errors[] = {"invalid-name", "undefined", "provider", "other"};
static const char *const kv_errors[] = {"store-table-full", "no-such-store", "access-denied", "other"};
static const char *const redis_errors[] = {"invalid-address", "too-many-connections", "type-error", "other"};
static const char *const rdbms_errors[] = {"connection-failed", "bad-parameter", "query-failed", "value-conversion-failed", "other"};
static const char *const http_errors[] = {
    "DNS-timeout", "DNS-error", "destination-not-found", "destination-unavailable", "destination-IP-prohibited",
    "destination-IP-unroutable", "connection-refused", "connection-terminated", "connection-timeout",
    "connection-read-timeout", "connection-write-timeout", "connection-limit-reached", "TLS-protocol-error",
    "TLS-certificate-error", "TLS-alert-received", "HTTP-request-denied", "HTTP-request-length-required",
    "HTTP-request-body-size", "HTTP-request-method-invalid", "HTTP-request-URI-invalid", "HTTP-request-URI-too-long",
    "HTTP-request-header-section-size", "HTTP-request-header-size", "HTTP-request-trailer-section-size",
    "HTTP-request-trailer-size", "HTTP-response-incomplete", "HTTP-response-header-section-size",
    "HTTP-response-header-size", "HTTP-response-body-size", "HTTP-response-trailer-section-size",
    "HTTP-response-trailer-size", "HTTP-response-transfer-coding", "HTTP-response-content-coding",
    "HTTP-response-timeout", "HTTP-upgrade-failed", "HTTP-protocol-error", "loop-detected", "configuration-error",
    "internal-error"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *spin_error_kind_name(const spin_error_t *err) {
    const char *const *names = NULL;
    size_t count = 0;
    switch (err->domain) {
    case SPIN_ERROR_NONE: return "none";
    case SPIN_ERROR_VARIABLES: names = variables_errors, count = COUNT(variables_errors); break;
    case SPIN_ERROR_KEY_VALUE: names = kv_errors, count = COUNT(kv_errors); break;
    case SPIN_ERROR_REDIS: names = redis_errors, count = COUNT(redis_errors); break;
    case SPIN_ERROR_RDBMS: names = rdbms_errors, count = COUNT(rdbms_errors); break;
    case SPIN_ERROR_HTTP: names = http_errors, count = COUNT(http_errors); break;
    case SPIN_ERROR_SDK: return "sdk";
    }
    return err->kind < count ? names[err->kind] : "unknown";
}

char *spin_error_text(const spin_error_t *err) {
    const char *kind = spin_error_kind_name(err);
    size_t n = strlen(kind) + err->message.len + 3;
    char *out = malloc(n);
    if (err->message.len)
        snprintf(out, n, "%s: %.*s", kind, (int)err->message.len, (const char *)err->message.ptr);
    else
        snprintf(out, n, "%s", kind);
    return out;
}

/// Reads an error variant at `off` whose string-carrying cases are all (variables, rdbms) or
/// only `other` (case 3: key-value, redis).
static bool fail_with(spin_error_t *err, spin_error_domain_t domain, const ret_area_t *r, size_t off) {
    err->domain = domain;
    err->kind = r->b[off];
    err->message = (spin_bytes_t){NULL, 0};
    bool has_string = domain == SPIN_ERROR_VARIABLES || domain == SPIN_ERROR_RDBMS || err->kind == 3;
    if (has_string) err->message = bytes_at(r, off + 4);
    return false;
}

static bool fail_sdk(spin_error_t *err, const char *message) {
    err->domain = SPIN_ERROR_SDK;
    err->kind = 0;
    size_t n = strlen(message);
    err->message.ptr = malloc(n);
    memcpy(err->message.ptr, message, n);
    err->message.len = n;
    return false;
}

// ---- variables ----
bool spin_variable_get(const char *name, spin_bytes_t *value, spin_error_t *err) {
    ret_area_t r;
    variables_get(name, strlen(name), &r);
    if (r.b[0]) return fail_with(err, SPIN_ERROR_VARIABLES, &r, 4);
    *value = bytes_at(&r, 4);
    return true;
}

// ---- key-value ----
bool spin_kv_open(const char *label, spin_kv_store_t *store, spin_error_t *err) {
    ret_area_t r;
    kv_open(label, strlen(label), &r);
    if (r.b[0]) return fail_with(err, SPIN_ERROR_KEY_VALUE, &r, 4);
    store->handle = (int32_t)u32_at(&r, 4);
    return true;
}

bool spin_kv_get(spin_kv_store_t store, const char *key, bool *found, spin_bytes_t *value, spin_error_t *err) {
    ret_area_t r;
    kv_get(store.handle, key, strlen(key), &r);
    if (r.b[0]) return fail_with(err, SPIN_ERROR_KEY_VALUE, &r, 4);
    *found = r.b[4] != 0;
    *value = *found ? bytes_at(&r, 8) : (spin_bytes_t){NULL, 0};
    return true;
}

bool spin_kv_set(spin_kv_store_t store, const char *key, const uint8_t *value, size_t len, spin_error_t *err) {
    ret_area_t r;
    kv_set(store.handle, key, strlen(key), value, len, &r);
    return r.b[0] ? fail_with(err, SPIN_ERROR_KEY_VALUE, &r, 4) : true;
}

bool spin_kv_delete(spin_kv_store_t store, const char *key, spin_error_t *err) {
    ret_area_t r;
    kv_delete(store.handle, key, strlen(key), &r);
    return r.b[0] ? fail_with(err, SPIN_ERROR_KEY_VALUE, &r, 4) : true;
}

bool spin_kv_exists(spin_kv_store_t store, const char *key, bool *exists, spin_error_t *err) {
    ret_area_t r;
    kv_exists(store.handle, key, strlen(key), &r);
    if (r.b[0]) return fail_with(err, SPIN_ERROR_KEY_VALUE, &r, 4);
    *exists = r.b[4] != 0;
    return true;
}

void spin_kv_close(spin_kv_store_t store) { kv_drop(store.handle); }

// ---- redis ----
bool spin_redis_open(const char *address, spin_redis_t *conn, spin_error_t *err) {
    ret_area_t r;
    redis_open(address, strlen(address), &r);
    if (r.b[0]) return fail_with(err, SPIN_ERROR_REDIS, &r, 4);
    conn->handle = (int32_t)u32_at(&r, 4);
    return true;
}

bool spin_redis_get(spin_redis_t conn, const char *key, bool *found, spin_bytes_t *value, spin_error_t *err) {
    ret_area_t r;
    redis_get(conn.handle, key, strlen(key), &r);
    if (r.b[0]) return fail_with(err, SPIN_ERROR_REDIS, &r, 4);
    *found = r.b[4] != 0;
    *value = *found ? bytes_at(&r, 8) : (spin_bytes_t){NULL, 0};
    return true;
}

bool spin_redis_set(spin_redis_t conn, const char *key, const uint8_t *value, size_t len, spin_error_t *err) {
    ret_area_t r;
    redis_set(conn.handle, key, strlen(key), value, len, &r);
    return r.b[0] ? fail_with(err, SPIN_ERROR_REDIS, &r, 4) : true;
}

bool spin_redis_incr(spin_redis_t conn, const char *key, int64_t *value, spin_error_t *err) {
    ret_area_t r;
    redis_incr(conn.handle, key, strlen(key), &r);
    // result<s64, error>: the payload is 8-aligned.
    if (r.b[0]) return fail_with(err, SPIN_ERROR_REDIS, &r, 8);
    *value = (int64_t)u64_at(&r, 8);
    return true;
}

void spin_redis_close(spin_redis_t conn) { redis_drop(conn.handle); }

// ---- postgres ----
spin_db_value_t spin_db_str(const char *s) {
    spin_db_value_t v = {.kind = SPIN_DB_STR};
    v.as.bytes.ptr = (uint8_t *)s;
    v.as.bytes.len = (uint32_t)strlen(s);
    return v;
}

spin_db_value_t spin_db_int64(int64_t i) {
    spin_db_value_t v = {.kind = SPIN_DB_INT64};
    v.as.i64 = i;
    return v;
}

bool spin_pg_open(const char *address, spin_pg_t *conn, spin_error_t *err) {
    ret_area_t r;
    pg_open(address, strlen(address), &r);
    if (r.b[0]) return fail_with(err, SPIN_ERROR_RDBMS, &r, 4);
    conn->handle = (int32_t)u32_at(&r, 4);
    return true;
}

bool spin_pg_query(spin_pg_t conn, const char *statement, const spin_db_value_t *params, size_t param_count,
                   spin_pg_rows_t *rows, spin_error_t *err) {
    _Static_assert(sizeof(spin_db_value_t) == 16, "db-value is 16 bytes in the canonical ABI");
    ret_area_t r;
    pg_query(conn.handle, statement, strlen(statement), params, param_count, &r);
    if (r.b[0]) return fail_with(err, SPIN_ERROR_RDBMS, &r, 4);
    // row-set { columns: list<column>, rows: list<list<db-value>> }; column { name: string, data-type: u8 } is 12 bytes.
    const uint8_t *columns = (const uint8_t *)(uintptr_t)u32_at(&r, 4);
    size_t column_count = u32_at(&r, 8);
    const uint8_t *row_list = (const uint8_t *)(uintptr_t)u32_at(&r, 12);
    size_t row_count = u32_at(&r, 16);
    rows->column_count = column_count;
    rows->columns = calloc(column_count ? column_count : 1, sizeof(spin_db_column_t));
    for (size_t c = 0; c < column_count; c++) {
        uint32_t p, l;
        memcpy(&p, columns + 12 * c, 4);
        memcpy(&l, columns + 12 * c + 4, 4);
        rows->columns[c].name = (spin_bytes_t){(uint8_t *)(uintptr_t)p, l};
        rows->columns[c].data_type = columns[12 * c + 8];
    }
    spin_db_value_t *values = calloc(row_count * column_count ? row_count * column_count : 1, sizeof(spin_db_value_t));
    for (size_t i = 0; i < row_count; i++) {
        uint32_t p, l;
        memcpy(&p, row_list + 8 * i, 4);
        memcpy(&l, row_list + 8 * i + 4, 4);
        if (l != column_count) return fail_sdk(err, "a row's length differs from the column count");
        memcpy(values + i * column_count, (const void *)(uintptr_t)p, l * sizeof(spin_db_value_t));
    }
    rows->row_count = row_count;
    rows->values = values;
    return true;
}

bool spin_pg_execute(spin_pg_t conn, const char *statement, const spin_db_value_t *params, size_t param_count,
                     uint64_t *affected, spin_error_t *err) {
    ret_area_t r;
    pg_execute(conn.handle, statement, strlen(statement), params, param_count, &r);
    // result<u64, error>: the payload is 8-aligned.
    if (r.b[0]) return fail_with(err, SPIN_ERROR_RDBMS, &r, 8);
    *affected = u64_at(&r, 8);
    return true;
}

void spin_pg_close(spin_pg_t conn) { pg_drop(conn.handle); }

char *spin_db_value_text(const spin_db_value_t *v) {
    char buf[64];
    switch ((spin_db_kind_t)v->kind) {
    case SPIN_DB_BOOLEAN: snprintf(buf, sizeof buf, "%s", v->as.boolean ? "true" : "false"); break;
    case SPIN_DB_INT8: snprintf(buf, sizeof buf, "%d", v->as.i8); break;
    case SPIN_DB_INT16: snprintf(buf, sizeof buf, "%d", v->as.i16); break;
    case SPIN_DB_INT32: snprintf(buf, sizeof buf, "%d", v->as.i32); break;
    case SPIN_DB_INT64: snprintf(buf, sizeof buf, "%lld", (long long)v->as.i64); break;
    case SPIN_DB_UINT8: snprintf(buf, sizeof buf, "%u", v->as.u8); break;
    case SPIN_DB_UINT16: snprintf(buf, sizeof buf, "%u", v->as.u16); break;
    case SPIN_DB_UINT32: snprintf(buf, sizeof buf, "%u", v->as.u32); break;
    case SPIN_DB_UINT64: snprintf(buf, sizeof buf, "%llu", (unsigned long long)v->as.u64); break;
    case SPIN_DB_FLOATING32: snprintf(buf, sizeof buf, "%g", (double)v->as.f32); break;
    case SPIN_DB_FLOATING64: snprintf(buf, sizeof buf, "%g", v->as.f64); break;
    case SPIN_DB_STR: {
        char *s = malloc(v->as.bytes.len + 1);
        memcpy(s, v->as.bytes.ptr, v->as.bytes.len);
        s[v->as.bytes.len] = 0;
        return s;
    }
    case SPIN_DB_BINARY: snprintf(buf, sizeof buf, "<%u bytes>", v->as.bytes.len); break;
    case SPIN_DB_NULL: snprintf(buf, sizeof buf, "NULL"); break;
    default: snprintf(buf, sizeof buf, "<unsupported>"); break;
    }
    return strdup(buf);
}

// ---- streams ----

/// Reads `stream` to its end into `*out`; false when the read fails (not at the end).
static bool read_all(int32_t stream, spin_bytes_t *out) {
    size_t cap = 0, len = 0;
    uint8_t *buf = NULL;
    for (;;) {
        ret_area_t r;
        in_stream_read(stream, 65536, &r);
        if (r.b[0]) {  // stream-error: last-operation-failed(error) or closed
            if (r.b[4] == 0) {
                io_error_drop((int32_t)u32_at(&r, 8));
                free(buf);
                return false;
            }
            break;
        }
        spin_bytes_t chunk = bytes_at(&r, 4);
        if (len + chunk.len > cap) {
            cap = (len + chunk.len) * 2;
            buf = realloc(buf, cap);
        }
        if (chunk.len) memcpy(buf + len, chunk.ptr, chunk.len);
        len += chunk.len;
        free(chunk.ptr);
    }
    *out = (spin_bytes_t){buf, len};
    return true;
}

// ---- outbound HTTP ----
static const char *const method_names[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};

/// Writes `len` bytes to `body`'s stream and finishes it; false when a write fails.
static bool write_body(int32_t body, const uint8_t *bytes, size_t len) {
    ret_area_t r;
    out_body_write(body, &r);
    if (r.b[0]) return false;
    int32_t stream = (int32_t)u32_at(&r, 4);
    bool ok = true;
    // blocking-write-and-flush takes at most 4096 bytes a call.
    for (size_t off = 0; ok && off < len; off += 4096) {
        size_t n = len - off < 4096 ? len - off : 4096;
        out_stream_write(stream, bytes + off, n, &r);
        ok = !r.b[0];
    }
    out_stream_drop(stream);
    out_body_finish(body, 0, 0, &r);
    return ok && !r.b[0];
}

bool spin_http_send(const char *method, const char *url, spin_http_outbound_response_t *response, spin_error_t *err) {
    spin_http_outbound_request_t request = {.method = method, .url = url};
    return spin_http_send_request(&request, response, err);
}

bool spin_http_send_request(const spin_http_outbound_request_t *req, spin_http_outbound_response_t *response,
                            spin_error_t *err) {
    const char *method = req->method, *url = req->url;
    int32_t scheme;
    const char *rest;
    if (strncmp(url, "http://", 7) == 0) scheme = 0, rest = url + 7;
    else if (strncmp(url, "https://", 8) == 0) scheme = 1, rest = url + 8;
    else return fail_sdk(err, "the URL must start with http:// or https://");
    const char *slash = strchr(rest, '/');
    size_t authority_len = slash ? (size_t)(slash - rest) : strlen(rest);
    if (authority_len == 0) return fail_sdk(err, "the URL has no host");
    const char *path = slash ? slash : "/";

    ret_area_t r;
    int32_t headers = fields_new();
    for (size_t i = 0; i < req->header_count; i++) {
        const spin_http_header_t *h = &req->headers[i];
        fields_append(headers, h->name, strlen(h->name), (const uint8_t *)h->value, strlen(h->value), &r);
        if (r.b[0]) return fail_sdk(err, "a request header is invalid or forbidden");
    }
    int32_t request = oreq_new(headers);
    int32_t method_tag = 9;  // other(string)
    for (int32_t i = 0; i < (int32_t)COUNT(method_names); i++)
        if (strcmp(method, method_names[i]) == 0) method_tag = i;
    oreq_set_method(request, method_tag, method, strlen(method));
    oreq_set_scheme(request, 1, scheme, NULL, 0);
    oreq_set_authority(request, 1, rest, authority_len);
    oreq_set_path(request, 1, path, strlen(path));
    // The body is taken before the request is handed over and written after: the host sends
    // when the guest waits for the response.
    oreq_body(request, &r);
    int32_t body_out = r.b[0] ? -1 : (int32_t)u32_at(&r, 4);

    outgoing_handle(request, 0, 0, &r);
    // result<future-incoming-response, error-code>: error-code holds u64s, so the payload is at 8.
    if (r.b[0]) {
        if (body_out >= 0) out_body_drop(body_out);
        err->domain = SPIN_ERROR_HTTP, err->kind = r.b[8], err->message = (spin_bytes_t){NULL, 0};
        return false;
    }
    int32_t future = (int32_t)u32_at(&r, 8);
    if (body_out >= 0 && !write_body(body_out, req->body, req->body_len)) {
        future_drop(future);
        return fail_sdk(err, "writing the request body failed");
    }
    int32_t pollable = future_subscribe(future);
    pollable_block(pollable);
    pollable_drop(pollable);
    // option<result<result<incoming-response, error-code>>>: tags at 0, 8, 16; the answer at 24.
    future_get(future, &r);
    future_drop(future);
    if (!r.b[0] || r.b[8]) return fail_sdk(err, "the response future gave no answer");
    if (r.b[16]) {
        err->domain = SPIN_ERROR_HTTP, err->kind = r.b[24], err->message = (spin_bytes_t){NULL, 0};
        return false;
    }
    int32_t incoming = (int32_t)u32_at(&r, 24);
    response->status = (uint16_t)iresp_status(incoming);
    iresp_consume(incoming, &r);
    if (r.b[0]) {
        iresp_drop(incoming);
        return fail_sdk(err, "the response body was already consumed");
    }
    int32_t body = (int32_t)u32_at(&r, 4);
    in_body_stream(body, &r);
    bool ok = !r.b[0];
    if (ok) {
        int32_t stream = (int32_t)u32_at(&r, 4);
        ok = read_all(stream, &response->body);
        in_stream_drop(stream);
    }
    in_body_drop(body);
    iresp_drop(incoming);
    return ok ? true : fail_sdk(err, "reading the response body failed");
}

// ---- query strings ----
static int hex(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

char *spin_query_param(const spin_bytes_t *path_with_query, const char *name) {
    const char *s = (const char *)path_with_query->ptr, *end = s + path_with_query->len;
    const char *q = memchr(s, '?', path_with_query->len);
    if (!q) return NULL;
    size_t name_len = strlen(name);
    for (const char *p = q + 1; p < end;) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(stop - p));
        const char *key_end = eq ? eq : stop;
        if ((size_t)(key_end - p) == name_len && memcmp(p, name, name_len) == 0) {
            const char *v = eq ? eq + 1 : stop;
            char *out = malloc((size_t)(stop - v) + 1), *o = out;
            while (v < stop) {
                if (*v == '%' && stop - v >= 3 && hex(v[1]) >= 0 && hex(v[2]) >= 0) {
                    *o++ = (char)(hex(v[1]) * 16 + hex(v[2]));
                    v += 3;
                } else {
                    *o++ = *v == '+' ? ' ' : *v;
                    v++;
                }
            }
            *o = 0;
            return out;
        }
        p = stop + 1;
    }
    return NULL;
}

// ---- the incoming-handler export ----
static const char *const incoming_methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};

__attribute__((export_name("wasi:http/incoming-handler@0.2.0#handle")))
void spin_component_handle(int32_t request, int32_t response_out) {
    spin_http_request_t req = {0};
    ret_area_t r;
    req_method(request, &r);
    if (r.b[0] < COUNT(incoming_methods)) {
        const char *m = incoming_methods[r.b[0]];
        req.method = (spin_bytes_t){(uint8_t *)m, strlen(m)};
    } else {
        req.method = bytes_at(&r, 4);
    }
    req_path(request, &r);
    req.path_with_query = r.b[0] ? bytes_at(&r, 4) : (spin_bytes_t){(uint8_t *)"/", 1};
    req_consume(request, &r);
    if (!r.b[0]) {
        int32_t body = (int32_t)u32_at(&r, 4);
        in_body_stream(body, &r);
        if (!r.b[0]) {
            int32_t stream = (int32_t)u32_at(&r, 4);
            read_all(stream, &req.body);
            in_stream_drop(stream);
        }
        in_body_drop(body);
    }
    req_drop(request);

    spin_http_response_t resp = {.status = 200};
    spin_http_handle(&req, &resp);

    int32_t headers = fields_new();
    const char *ct = resp.content_type ? resp.content_type : "text/plain";
    fields_append(headers, "content-type", 12, (const uint8_t *)ct, strlen(ct), &r);
    int32_t out = resp_new(headers);
    resp_set_status(out, resp.status);
    resp_body(out, &r);
    int32_t body = (int32_t)u32_at(&r, 4);
    outparam_set(response_out, 0, out, 0, 0, 0, 0, 0, 0);
    out_body_write(body, &r);
    int32_t stream = (int32_t)u32_at(&r, 4);
    // blocking-write-and-flush takes at most 4096 bytes a call.
    for (size_t off = 0; off < resp.body_len; off += 4096) {
        size_t n = resp.body_len - off < 4096 ? resp.body_len - off : 4096;
        out_stream_write(stream, resp.body + off, n, &r);
        if (r.b[0]) break;
    }
    out_stream_drop(stream);
    out_body_finish(body, 0, 0, &r);
}
