/*
 * spin_pg.h: Spin 1.x outbound PostgreSQL (`outbound-pg`) for C guests.
 *
 *     spin_pg_row_set_t rows;
 *     spin_pg_error_t err;
 *     spin_pg_parameter_t params[] = {spin_pg_str("hello"), spin_pg_int64(42)};
 *     if (spin_pg_query("host=127.0.0.1 user=app password=secret dbname=app",
 *                       "SELECT id, body FROM notes WHERE owner = $1 AND id < $2", params, 2, &rows, &err)) {
 *         ... rows.rows.ptr[i].ptr[j] is a spin_pg_db_value_t ...
 *         spin_pg_row_set_free(&rows);
 *     } else {
 *         fprintf(stderr, "%d: %.*s\n", err.tag, (int)err.message.len, err.message.ptr);
 *         spin_pg_error_free(&err);
 *     }
 *
 * The address is a libpq connection string (`host=... port=... user=...
 * password=... dbname=...`) or a `postgres://user:password@host:port/db` URL.
 * Results are malloc'd in guest memory by the host: release them with
 * spin_pg_row_set_free / spin_pg_error_free.
 *
 * Link spin_pg.c next to spin_http.c (or alone: it provides weak
 * `canonical_abi_realloc`/`canonical_abi_free`):
 *
 *     python3 -m ziglang cc -target wasm32-wasi -mexec-model=reactor -O2 -s \
 *         -I path/to/sdk main.c path/to/sdk/spin_http.c path/to/sdk/spin_pg.c -o main.wasm
 *
 * Written from the wit-bindgen 0.2 layouts of Spin 1.x's outbound-pg.wit,
 * rdbms-types.wit and pg-types.wit.
 */
#ifndef SPIN_PG_H
#define SPIN_PG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A UTF-8 string, not NUL-terminated. */
typedef struct {
    char *ptr;
    size_t len;
} spin_pg_string_t;

typedef struct {
    uint8_t *ptr;
    size_t len;
} spin_pg_bytes_t;

/* rdbms-types.wit `enum db-data-type`. */
typedef enum {
    SPIN_PG_TYPE_BOOLEAN = 0,
    SPIN_PG_TYPE_INT8,
    SPIN_PG_TYPE_INT16,
    SPIN_PG_TYPE_INT32,
    SPIN_PG_TYPE_INT64,
    SPIN_PG_TYPE_UINT8,
    SPIN_PG_TYPE_UINT16,
    SPIN_PG_TYPE_UINT32,
    SPIN_PG_TYPE_UINT64,
    SPIN_PG_TYPE_FLOATING32,
    SPIN_PG_TYPE_FLOATING64,
    SPIN_PG_TYPE_STR,
    SPIN_PG_TYPE_BINARY,
    SPIN_PG_TYPE_OTHER,
} spin_pg_data_type_t;

/* `variant db-value` (and `parameter-value`, which lacks UNSUPPORTED): 16 bytes, tag @0, value @8. */
typedef enum {
    SPIN_PG_BOOLEAN = 0,
    SPIN_PG_INT8,
    SPIN_PG_INT16,
    SPIN_PG_INT32,
    SPIN_PG_INT64,
    SPIN_PG_UINT8,
    SPIN_PG_UINT16,
    SPIN_PG_UINT32,
    SPIN_PG_UINT64,
    SPIN_PG_FLOATING32,
    SPIN_PG_FLOATING64,
    SPIN_PG_STR,
    SPIN_PG_BINARY,
    SPIN_PG_DB_NULL,
    SPIN_PG_UNSUPPORTED,
} spin_pg_value_tag_t;

typedef struct {
    uint8_t tag; /* spin_pg_value_tag_t */
    union {
        bool boolean;
        int8_t int8;
        int16_t int16;
        int32_t int32;
        int64_t int64;
        uint8_t uint8;
        uint16_t uint16;
        uint32_t uint32;
        uint64_t uint64;
        float floating32;
        double floating64;
        spin_pg_string_t str;
        spin_pg_bytes_t binary;
    } val;
} spin_pg_db_value_t;

/* Parameters borrow the caller's memory (strings and bytes are not copied). */
typedef spin_pg_db_value_t spin_pg_parameter_t;

/* `record column { name: string, data-type: db-data-type }`: 12 bytes. */
typedef struct {
    spin_pg_string_t name;
    uint8_t data_type; /* spin_pg_data_type_t */
} spin_pg_column_t;

/* `type row = list<db-value>`. */
typedef struct {
    spin_pg_db_value_t *ptr;
    size_t len;
} spin_pg_row_t;

/* `record row-set { columns: list<column>, rows: list<row> }`. */
typedef struct {
    struct {
        spin_pg_column_t *ptr;
        size_t len;
    } columns;
    struct {
        spin_pg_row_t *ptr;
        size_t len;
    } rows;
} spin_pg_row_set_t;

/* pg-types.wit `variant pg-error`. */
typedef enum {
    SPIN_PG_ERROR_SUCCESS = 0,
    SPIN_PG_ERROR_CONNECTION_FAILED,
    SPIN_PG_ERROR_BAD_PARAMETER,
    SPIN_PG_ERROR_QUERY_FAILED,
    SPIN_PG_ERROR_VALUE_CONVERSION_FAILED,
    SPIN_PG_ERROR_OTHER_ERROR,
} spin_pg_error_tag_t;

typedef struct {
    uint8_t tag; /* spin_pg_error_tag_t */
    spin_pg_string_t message;
} spin_pg_error_t;

/* Parameter constructors (str/binary borrow their argument). */
spin_pg_parameter_t spin_pg_bool(bool v);
spin_pg_parameter_t spin_pg_int8(int8_t v);
spin_pg_parameter_t spin_pg_int16(int16_t v);
spin_pg_parameter_t spin_pg_int32(int32_t v);
spin_pg_parameter_t spin_pg_int64(int64_t v);
spin_pg_parameter_t spin_pg_float32(float v);
spin_pg_parameter_t spin_pg_float64(double v);
spin_pg_parameter_t spin_pg_str(const char *nul_terminated);
spin_pg_parameter_t spin_pg_str_n(const char *ptr, size_t len);
spin_pg_parameter_t spin_pg_binary(const uint8_t *ptr, size_t len);
spin_pg_parameter_t spin_pg_null(void);

/* `query`: true and *out filled on success; false and *err filled on failure. */
bool spin_pg_query(const char *address, const char *statement, const spin_pg_parameter_t *params, size_t count,
                   spin_pg_row_set_t *out, spin_pg_error_t *err);

/* `execute`: true and *rows_affected set on success; false and *err filled on failure. */
bool spin_pg_execute(const char *address, const char *statement, const spin_pg_parameter_t *params, size_t count,
                     uint64_t *rows_affected, spin_pg_error_t *err);

void spin_pg_row_set_free(spin_pg_row_set_t *rows);
void spin_pg_error_free(spin_pg_error_t *err);

#ifdef __cplusplus
}
#endif

#endif
