/* Fixture: runs the request body as one SQL statement through Spin 1.x's `sqlite` imports
 * against database `?db=` (default "default"), with `?text=` and `?int=` as parameters
 * (in that order, when given). Answers 200 with "col1,col2\n" then one line per row of
 * values ("i:5", "r:1.5", "t:text", "b:<hex>", "null", comma-separated); errors: 500
 * "error=<tag> <message>" (open or execute). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spin_http.h"

#define IMPORT(m, n) __attribute__((import_module(m), import_name(n)))
IMPORT("sqlite", "open") void sqlite_open(int32_t, int32_t, int32_t);
IMPORT("sqlite", "execute") void sqlite_execute(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("sqlite", "close") void sqlite_close(int32_t);

typedef struct {
    uint8_t tag;
    uint8_t pad[7];
    union {
        int64_t i;
        double r;
        struct { const char *ptr; uint32_t len; } s;
    } v;
} value_t; /* 16 bytes, align 8 */

typedef struct { value_t *ptr; uint32_t len; } row_t;
typedef struct { const char *ptr; uint32_t len; } str_t;

__attribute__((aligned(8))) static uint8_t RET[24];

static spin_http_response_t error_response(void) {
    char msg[512];
    int tag = RET[4];
    int n;
    if (tag == 4) {
        str_t *m = (str_t *)(RET + 8);
        n = snprintf(msg, sizeof msg, "error=4 %.*s", (int)m->len, m->ptr);
    } else {
        n = snprintf(msg, sizeof msg, "error=%d", tag);
    }
    spin_http_response_t res = spin_http_response(500);
    spin_http_response_set_body(&res, msg, (size_t)n);
    return res;
}

spin_http_response_t spin_http_handle(const spin_http_request_t *req) {
    char db[64] = "default", text[256], num[32];
    spin_http_query_param(req, "db", db, sizeof db);
    value_t params[2];
    int count = 0;
    if (spin_http_query_param(req, "text", text, sizeof text) >= 0) {
        params[count].tag = 2;
        params[count].v.s.ptr = text;
        params[count].v.s.len = (uint32_t)strlen(text);
        count++;
    }
    if (spin_http_query_param(req, "int", num, sizeof num) >= 0) {
        params[count].tag = 0;
        params[count].v.i = strtoll(num, NULL, 10);
        count++;
    }
    memset(RET, 0, sizeof RET);
    sqlite_open((int32_t)db, (int32_t)strlen(db), (int32_t)RET);
    if (RET[0]) return error_response();
    uint32_t conn = *(uint32_t *)(RET + 4);
    memset(RET, 0, sizeof RET);
    sqlite_execute((int32_t)conn, (int32_t)req->body.ptr, (int32_t)req->body.len, (int32_t)params, count, (int32_t)RET);
    sqlite_close((int32_t)conn);
    if (RET[0]) return error_response();
    str_t *columns = *(str_t **)(RET + 4);
    uint32_t ncolumns = *(uint32_t *)(RET + 8);
    row_t *rows = *(row_t **)(RET + 12);
    uint32_t nrows = *(uint32_t *)(RET + 16);
    size_t cap = 4096, o = 0;
    char *out = malloc(cap);
    for (uint32_t c = 0; c < ncolumns; c++)
        o += (size_t)snprintf(out + o, cap - o, "%s%.*s", c ? "," : "", (int)columns[c].len, columns[c].ptr);
    o += (size_t)snprintf(out + o, cap - o, "\n");
    for (uint32_t r = 0; r < nrows && o < cap - 256; r++) {
        for (uint32_t c = 0; c < rows[r].len && o < cap - 256; c++) {
            value_t *v = &rows[r].ptr[c];
            const char *sep = c ? "," : "";
            switch (v->tag) {
            case 0: o += (size_t)snprintf(out + o, cap - o, "%si:%lld", sep, (long long)v->v.i); break;
            case 1: o += (size_t)snprintf(out + o, cap - o, "%sr:%g", sep, v->v.r); break;
            case 2: o += (size_t)snprintf(out + o, cap - o, "%st:%.*s", sep, (int)v->v.s.len, v->v.s.ptr); break;
            case 3:
                o += (size_t)snprintf(out + o, cap - o, "%sb:", sep);
                for (uint32_t k = 0; k < v->v.s.len && o < cap - 256; k++)
                    o += (size_t)snprintf(out + o, cap - o, "%02x", (unsigned char)v->v.s.ptr[k]);
                break;
            default: o += (size_t)snprintf(out + o, cap - o, "%snull", sep); break;
            }
        }
        o += (size_t)snprintf(out + o, cap - o, "\n");
    }
    spin_http_response_t res = spin_http_response(200);
    spin_http_response_set_body(&res, out, o);
    free(out);
    return res;
}
