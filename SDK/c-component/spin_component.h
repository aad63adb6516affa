// The Spin component SDK for C: a small C API over the canonical-ABI bindings of the
// `spin-http` world in spin-http.wit (written by hand; no wit-bindgen here).
//
// An app implements `spin_http_handle` (the `wasi:http/incoming-handler@0.2.0` export) and may
// call the Spin 2.x host interfaces it imports:
//   fermyon:spin/variables@2.0.0    spin_variable_get
//   fermyon:spin/key-value@2.0.0    spin_kv_*
//   fermyon:spin/redis@2.0.0        spin_redis_*
//   fermyon:spin/postgres@2.0.0     spin_pg_* (values from fermyon:spin/rdbms-types@2.0.0)
//   wasi:http/outgoing-handler@0.2.0  spin_http_send
//
// Conventions:
// - Every host call returns true on success; on failure it fills `*err` (kind and message) and
//   returns false. `spin_error_text` renders an error the way Spin's WIT names it
//   ("no-such-store", "other: connection refused").
// - Strings passed in are NUL-terminated; strings and byte lists handed out are (ptr, len),
//   malloc'd (cabi_realloc), and NOT NUL-terminated unless stated: free them with `spin_free`
//   or let the instance end (Spin instantiates a component per request).
// - Handles (stores, connections) are closed with their `*_close` function.
//
// Build an app with build.sh (zig cc or clang → core module → `wasm-tools component embed`
// with spin-http.wit → `wasm-tools component new`).
#ifndef SPIN_COMPONENT_H
#define SPIN_COMPONENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A byte string handed out by the SDK (not NUL-terminated).
typedef struct {
    uint8_t *ptr;
    size_t len;
} spin_bytes_t;

/// Which interface an error came from: selects the names of `spin_error_t.kind`.
typedef enum {
    SPIN_ERROR_NONE = 0,
    SPIN_ERROR_VARIABLES,  ///< variables.error: invalid-name, undefined, provider, other
    SPIN_ERROR_KEY_VALUE,  ///< key-value.error: store-table-full, no-such-store, access-denied, other
    SPIN_ERROR_REDIS,      ///< redis.error: invalid-address, too-many-connections, type-error, other
    SPIN_ERROR_RDBMS,      ///< rdbms-types.error: connection-failed, bad-parameter, query-failed, value-conversion-failed, other
    SPIN_ERROR_HTTP,       ///< wasi:http error-code: `kind` is its case index (15 is HTTP-request-denied)
    SPIN_ERROR_SDK,        ///< the SDK itself (bad URL, a stream failed): `message` says what
} spin_error_domain_t;

/// An error value from a host interface.
typedef struct {
    spin_error_domain_t domain;
    uint32_t kind;         ///< the case index of the interface's error variant
    spin_bytes_t message;  ///< the case's string payload, if it has one (else len 0)
} spin_error_t;

/// The WIT name of `err`'s case ("no-such-store", "HTTP-request-denied", ...).
const char *spin_error_kind_name(const spin_error_t *err);
/// "kind" or "kind: message", NUL-terminated, malloc'd.
char *spin_error_text(const spin_error_t *err);
/// Frees memory the SDK handed out (NULL is fine).
void spin_free(void *ptr);

// ---- The HTTP trigger (wasi:http/incoming-handler@0.2.0) ----

/// One incoming request, read in full before `spin_http_handle` is called.
typedef struct {
    spin_bytes_t method;           ///< "GET", "POST", ...
    spin_bytes_t path_with_query;  ///< "/kv/get?store=default&key=k"
    spin_bytes_t body;
} spin_http_request_t;

/// The answer `spin_http_handle` fills in; `body` is sent as is (the SDK frees nothing of it).
typedef struct {
    uint16_t status;
    const char *content_type;  ///< NULL: "text/plain"
    const uint8_t *body;
    size_t body_len;
} spin_http_response_t;

/// Implemented by the app: answer `request` in `response` (status defaults to 200).
void spin_http_handle(const spin_http_request_t *request, spin_http_response_t *response);

/// The value of query parameter `name` in `path_with_query`, percent- and '+'-decoded,
/// NUL-terminated and malloc'd; NULL when absent.
char *spin_query_param(const spin_bytes_t *path_with_query, const char *name);

// ---- fermyon:spin/variables@2.0.0 ----

/// The value of the component variable `name`.
bool spin_variable_get(const char *name, spin_bytes_t *value, spin_error_t *err);

// ---- fermyon:spin/key-value@2.0.0 ----

/// An open key-value store (a `store` resource handle).
typedef struct {
    int32_t handle;
} spin_kv_store_t;

/// Opens the store `label` (it must be listed in the component's `key_value_stores`).
bool spin_kv_open(const char *label, spin_kv_store_t *store, spin_error_t *err);
/// Reads `key`: `*found` is false (and `*value` empty) when it does not exist.
bool spin_kv_get(spin_kv_store_t store, const char *key, bool *found, spin_bytes_t *value, spin_error_t *err);
bool spin_kv_set(spin_kv_store_t store, const char *key, const uint8_t *value, size_t len, spin_error_t *err);
bool spin_kv_delete(spin_kv_store_t store, const char *key, spin_error_t *err);
bool spin_kv_exists(spin_kv_store_t store, const char *key, bool *exists, spin_error_t *err);
void spin_kv_close(spin_kv_store_t store);

// ---- fermyon:spin/redis@2.0.0 ----

/// An open Redis connection (a `connection` resource handle).
typedef struct {
    int32_t handle;
} spin_redis_t;

/// Opens `address` ("redis://host:port"; it must be allowed by `allowed_outbound_hosts`).
bool spin_redis_open(const char *address, spin_redis_t *conn, spin_error_t *err);
bool spin_redis_get(spin_redis_t conn, const char *key, bool *found, spin_bytes_t *value, spin_error_t *err);
bool spin_redis_set(spin_redis_t conn, const char *key, const uint8_t *value, size_t len, spin_error_t *err);
bool spin_redis_incr(spin_redis_t conn, const char *key, int64_t *value, spin_error_t *err);
void spin_redis_close(spin_redis_t conn);

// ---- fermyon:spin/postgres@2.0.0 + rdbms-types@2.0.0 ----

/// An open PostgreSQL connection (a `connection` resource handle).
typedef struct {
    int32_t handle;
} spin_pg_t;

/// rdbms-types db-value / parameter-value cases (the same indices for both; the last two are
/// db-value only).
typedef enum {
    SPIN_DB_BOOLEAN = 0, SPIN_DB_INT8, SPIN_DB_INT16, SPIN_DB_INT32, SPIN_DB_INT64,
    SPIN_DB_UINT8, SPIN_DB_UINT16, SPIN_DB_UINT32, SPIN_DB_UINT64,
    SPIN_DB_FLOATING32, SPIN_DB_FLOATING64, SPIN_DB_STR, SPIN_DB_BINARY, SPIN_DB_NULL,
    SPIN_DB_UNSUPPORTED,
} spin_db_kind_t;

/// One value in canonical-ABI layout (16 bytes, 8-aligned): use the constructors below for
/// parameters and `spin_db_value_text` to read results.
typedef struct {
    uint8_t kind;  ///< spin_db_kind_t
    union {
        bool boolean;
        int64_t i64;
        uint64_t u64;
        int32_t i32;
        uint32_t u32;
        int16_t i16;
        uint16_t u16;
        int8_t i8;
        uint8_t u8;
        float f32;
        double f64;
        struct {
            uint8_t *ptr;
            uint32_t len;
        } bytes;  ///< str and binary
    } as;
} __attribute__((aligned(8))) spin_db_value_t;

/// A column of a row set: its name and rdbms-types `db-data-type` case index.
typedef struct {
    spin_bytes_t name;
    uint8_t data_type;
} spin_db_column_t;

/// A query's answer: `rows[r * column_count + c]` is row r's column c.
typedef struct {
    size_t column_count;
    spin_db_column_t *columns;
    size_t row_count;
    const spin_db_value_t *values;
} spin_pg_rows_t;

spin_db_value_t spin_db_str(const char *s);
spin_db_value_t spin_db_int64(int64_t v);

/// Opens `address` ("postgres://user:password@host:port/db"; allowed by `allowed_outbound_hosts`).
bool spin_pg_open(const char *address, spin_pg_t *conn, spin_error_t *err);
bool spin_pg_query(spin_pg_t conn, const char *statement, const spin_db_value_t *params, size_t param_count,
                   spin_pg_rows_t *rows, spin_error_t *err);
bool spin_pg_execute(spin_pg_t conn, const char *statement, const spin_db_value_t *params, size_t param_count,
                     uint64_t *affected, spin_error_t *err);
void spin_pg_close(spin_pg_t conn);
/// A value as text ("NULL", "true", "42", the string itself, "<3 bytes>"), malloc'd, NUL-terminated.
char *spin_db_value_text(const spin_db_value_t *value);

// ---- wasi:http/outgoing-handler@0.2.0 ----

/// An outbound response read in full.
typedef struct {
    uint16_t status;
    spin_bytes_t body;
} spin_http_outbound_response_t;

/// One header of an outbound request (NUL-terminated name and value).
typedef struct {
    const char *name;
    const char *value;
} spin_http_header_t;

/// An outbound request: `method` ("GET", "POST", ... or any token), `url`
/// ("http://host:port/path?query"; its host must be allowed by `allowed_outbound_hosts`),
/// optional headers and body.
typedef struct {
    const char *method;
    const char *url;
    const spin_http_header_t *headers;
    size_t header_count;
    const uint8_t *body;
    size_t body_len;
} spin_http_outbound_request_t;

/// Sends `request` and reads the whole answer. A denied host fails with domain
/// SPIN_ERROR_HTTP, kind 15 (HTTP-request-denied); so do the other wasi:http error codes.
bool spin_http_send_request(const spin_http_outbound_request_t *request, spin_http_outbound_response_t *response,
                            spin_error_t *err);

/// `spin_http_send_request` without headers or body.
bool spin_http_send(const char *method, const char *url, spin_http_outbound_response_t *response, spin_error_t *err);

#ifdef __cplusplus
}
#endif
#endif
