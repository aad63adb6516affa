/* spin_pg.c: Spin 1.x outbound-pg imports (wit-bindgen 0.2 canonical ABI) for C. */
#include "spin_pg.h"

#include <stdlib.h>
#include <string.h>

/* The guest-side structs double as the ABI's list elements: check the layouts. */
_Static_assert(sizeof(spin_pg_db_value_t) == 16, "db-value is 16 bytes");
_Static_assert(offsetof(spin_pg_db_value_t, val) == 8, "db-value payload @8");
_Static_assert(sizeof(spin_pg_column_t) == 12, "column is 12 bytes");
_Static_assert(offsetof(spin_pg_column_t, data_type) == 8, "column data-type @8");
_Static_assert(sizeof(spin_pg_row_t) == 8, "row is {ptr, len}");

/* Weak so that spin_http.c's definitions win when both are linked. */
__attribute__((weak, export_name("canonical_abi_realloc")))
void *canonical_abi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
    (void)old_size;
    if (new_size == 0) return (void *)align;
    void *p = realloc(ptr, new_size);
    if (!p) abort();
    return p;
}

__attribute__((weak, export_name("canonical_abi_free")))
void canonical_abi_free(void *ptr, size_t size, size_t align) {
    (void)align;
    if (size == 0) return;
    free(ptr);
}

#define IMPORT(name) __attribute__((import_module("outbound-pg"), import_name(name)))
IMPORT("query") void spin_pg_import_query(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("execute") void spin_pg_import_execute(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);

/* expected<row-set, pg-error> is 20 bytes, align 4; expected<u64, pg-error> 24 bytes, align 8. */
__attribute__((aligned(8))) static uint8_t RET_AREA[24];

#define S(s) (int32_t)(s), (int32_t)strlen(s)

spin_pg_parameter_t spin_pg_bool(bool v) { spin_pg_parameter_t p = {SPIN_PG_BOOLEAN, {.boolean = v}}; return p; }
spin_pg_parameter_t spin_pg_int8(int8_t v) { spin_pg_parameter_t p = {SPIN_PG_INT8, {.int8 = v}}; return p; }
spin_pg_parameter_t spin_pg_int16(int16_t v) { spin_pg_parameter_t p = {SPIN_PG_INT16, {.int16 = v}}; return p; }
spin_pg_parameter_t spin_pg_int32(int32_t v) { spin_pg_parameter_t p = {SPIN_PG_INT32, {.int32 = v}}; return p; }
spin_pg_parameter_t spin_pg_int64(int64_t v) { spin_pg_parameter_t p = {SPIN_PG_INT64, {.int64 = v}}; return p; }
spin_pg_parameter_t spin_pg_float32(float v) {
    spin_pg_parameter_t p = {SPIN_PG_FLOATING32, {.floating32 = v}};
    return p;
}
spin_pg_parameter_t spin_pg_float64(double v) {
    spin_pg_parameter_t p = {SPIN_PG_FLOATING64, {.floating64 = v}};
    return p;
}
spin_pg_parameter_t spin_pg_str_n(const char *ptr, size_t len) {
    spin_pg_parameter_t p = {SPIN_PG_STR, {.str = {(char *)ptr, len}}};
    return p;
}
spin_pg_parameter_t spin_pg_str(const char *s) { return spin_pg_str_n(s, strlen(s)); }
spin_pg_parameter_t spin_pg_binary(const uint8_t *ptr, size_t len) {
    spin_pg_parameter_t p = {SPIN_PG_BINARY, {.binary = {(uint8_t *)ptr, len}}};
    return p;
}
spin_pg_parameter_t spin_pg_null(void) {
    spin_pg_parameter_t p;
    memset(&p, 0, sizeof p);
    p.tag = SPIN_PG_DB_NULL;
    return p;
}

/* pg-error at `at`: tag, then the message string at at+4/at+8. */
static void read_error(size_t at, spin_pg_error_t *err) {
    err->tag = RET_AREA[at];
    err->message.ptr = (char *)*(int32_t *)(RET_AREA + at + 4);
    err->message.len = (size_t)*(int32_t *)(RET_AREA + at + 8);
}

bool spin_pg_query(const char *address, const char *statement, const spin_pg_parameter_t *params, size_t count,
                   spin_pg_row_set_t *out, spin_pg_error_t *err) {
    spin_pg_import_query(S(address), S(statement), (int32_t)params, (int32_t)count, (int32_t)RET_AREA);
    if (RET_AREA[0] != 0) {
        read_error(4, err);
        return false;
    }
    out->columns.ptr = (spin_pg_column_t *)*(int32_t *)(RET_AREA + 4);
    out->columns.len = (size_t)*(int32_t *)(RET_AREA + 8);
    out->rows.ptr = (spin_pg_row_t *)*(int32_t *)(RET_AREA + 12);
    out->rows.len = (size_t)*(int32_t *)(RET_AREA + 16);
    return true;
}

bool spin_pg_execute(const char *address, const char *statement, const spin_pg_parameter_t *params, size_t count,
                     uint64_t *rows_affected, spin_pg_error_t *err) {
    spin_pg_import_execute(S(address), S(statement), (int32_t)params, (int32_t)count, (int32_t)RET_AREA);
    if (RET_AREA[0] != 0) {
        read_error(8, err);
        return false;
    }
    if (rows_affected) *rows_affected = *(uint64_t *)(RET_AREA + 8);
    return true;
}

void spin_pg_row_set_free(spin_pg_row_set_t *rows) {
    for (size_t i = 0; i < rows->columns.len; i++) canonical_abi_free(rows->columns.ptr[i].name.ptr, rows->columns.ptr[i].name.len, 1);
    canonical_abi_free(rows->columns.ptr, rows->columns.len * sizeof(spin_pg_column_t), 4);
    for (size_t i = 0; i < rows->rows.len; i++) {
        spin_pg_row_t *row = &rows->rows.ptr[i];
        for (size_t j = 0; j < row->len; j++) {
            spin_pg_db_value_t *v = &row->ptr[j];
            if (v->tag == SPIN_PG_STR) canonical_abi_free(v->val.str.ptr, v->val.str.len, 1);
            if (v->tag == SPIN_PG_BINARY) canonical_abi_free(v->val.binary.ptr, v->val.binary.len, 1);
        }
        canonical_abi_free(row->ptr, row->len * sizeof(spin_pg_db_value_t), 8);
    }
    canonical_abi_free(rows->rows.ptr, rows->rows.len * sizeof(spin_pg_row_t), 4);
    memset(rows, 0, sizeof *rows);
}

void spin_pg_error_free(spin_pg_error_t *err) {
    canonical_abi_free(err->message.ptr, err->message.len, 1);
    err->message.ptr = NULL;
    err->message.len = 0;
}
