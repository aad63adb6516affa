/*
 * postgres-rows: an HTTP component that keeps request bodies in PostgreSQL.
 *
 *   POST /   body = any UTF-8 text  -> 201 {"inserted":1}       (INSERT INTO entries (body) VALUES ($1))
 *   GET  /                          -> 200 [{"id":1,"body":"...","created":"..."}, ...]   (ordered by id)
 *   GET  /count                     -> 200 {"count":N}
 *   other methods                   -> 405
 * Database errors answer 500 with the pg-error case and message.
 *
 * The table `entries` is created on first use. The server is the `pg_address`
 * variable (a libpq connection string or postgres:// URL), e.g.
 *
 *     SPIN_CONFIG_PG_ADDRESS='host=127.0.0.1 port=5432 user=app password=secret dbname=app' \
 *         spin up -f Examples/postgres-rows
 *     curl -d 'hello' http://127.0.0.1:3000/ ; curl http://127.0.0.1:3000/
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spin_config.h"
#include "spin_http.h"
#include "spin_pg.h"

static const char *CREATE =
    "CREATE TABLE IF NOT EXISTS entries (id bigserial PRIMARY KEY, body text NOT NULL, "
    "created timestamptz NOT NULL DEFAULT now())";

/* A growable output buffer. */
typedef struct {
    char *p;
    size_t len, cap;
} buf_t;

static void put(buf_t *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p) abort();
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void puts_(buf_t *b, const char *s) { put(b, s, strlen(s)); }

static void put_json_string(buf_t *b, const char *s, size_t n) {
    puts_(b, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\'; esc[1] = (char)c;
            put(b, esc, 2);
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            puts_(b, esc);
        } else {
            put(b, (const char *)&s[i], 1);
        }
    }
    puts_(b, "\"");
}

static spin_http_response_t text(uint16_t status, const char *body) {
    spin_http_response_t res = spin_http_response(status);
    spin_http_response_add_header(&res, "content-type", "application/json");
    spin_http_response_set_body_str(&res, body);
    return res;
}

static spin_http_response_t db_error(spin_pg_error_t *err) {
    static const char *names[] = {"success", "connection-failed", "bad-parameter", "query-failed",
                                  "value-conversion-failed", "other-error"};
    buf_t b = {0};
    puts_(&b, "{\"error\":\"");
    puts_(&b, err->tag < 6 ? names[err->tag] : "unknown");
    puts_(&b, "\",\"message\":");
    put_json_string(&b, err->message.ptr, err->message.len);
    puts_(&b, "}");
    b.p[b.len] = 0;
    fprintf(stderr, "postgres-rows: %s\n", b.p);
    spin_pg_error_free(err);
    spin_http_response_t res = text(500, b.p);
    free(b.p);
    return res;
}

/* "undefined_table": the first request of a fresh database. */
static bool missing_table(const spin_pg_error_t *err) {
    return err->tag == SPIN_PG_ERROR_QUERY_FAILED && err->message.len >= 5 &&
           memmem(err->message.ptr, err->message.len, "42P01", 5) != NULL;
}

static spin_http_response_t insert(const char *address, const spin_http_request_t *req) {
    spin_pg_parameter_t body = spin_pg_str_n((const char *)req->body.ptr, req->body.len);
    uint64_t n = 0;
    spin_pg_error_t err;
    if (!spin_pg_execute(address, "INSERT INTO entries (body) VALUES ($1)", &body, 1, &n, &err)) {
        if (!missing_table(&err)) return db_error(&err);
        spin_pg_error_free(&err);
        /* Concurrent first requests may race to create it: only the insert's result counts. */
        if (!spin_pg_execute(address, CREATE, NULL, 0, NULL, &err)) spin_pg_error_free(&err);
        if (!spin_pg_execute(address, "INSERT INTO entries (body) VALUES ($1)", &body, 1, &n, &err))
            return db_error(&err);
    }
    char out[64];
    snprintf(out, sizeof out, "{\"inserted\":%llu}", (unsigned long long)n);
    return text(201, out);
}

static spin_http_response_t list(const char *address, bool count_only) {
    const char *sql = count_only ? "SELECT count(*) FROM entries"
                                 : "SELECT id, body, created::text AS created FROM entries ORDER BY id";
    spin_pg_row_set_t rows;
    spin_pg_error_t err;
    if (!spin_pg_query(address, sql, NULL, 0, &rows, &err)) {
        if (!missing_table(&err)) return db_error(&err);
        spin_pg_error_free(&err);
        return text(200, count_only ? "{\"count\":0}" : "[]");
    }
    buf_t b = {0};
    if (count_only) {
        char out[64];
        long long n = rows.rows.len == 1 && rows.rows.ptr[0].ptr[0].tag == SPIN_PG_INT64 ? rows.rows.ptr[0].ptr[0].val.int64 : -1;
        snprintf(out, sizeof out, "{\"count\":%lld}", n);
        puts_(&b, out);
    } else {
        puts_(&b, "[");
        for (size_t i = 0; i < rows.rows.len; i++) {
            spin_pg_row_t *row = &rows.rows.ptr[i];
            puts_(&b, i ? ",{" : "{");
            for (size_t j = 0; j < row->len && j < rows.columns.len; j++) {
                if (j) puts_(&b, ",");
                put_json_string(&b, rows.columns.ptr[j].name.ptr, rows.columns.ptr[j].name.len);
                puts_(&b, ":");
                spin_pg_db_value_t *v = &row->ptr[j];
                char num[32];
                switch (v->tag) {
                case SPIN_PG_INT64: snprintf(num, sizeof num, "%lld", (long long)v->val.int64); puts_(&b, num); break;
                case SPIN_PG_STR: put_json_string(&b, v->val.str.ptr, v->val.str.len); break;
                default: puts_(&b, "null"); break;
                }
            }
            puts_(&b, "}");
        }
        puts_(&b, "]");
    }
    spin_pg_row_set_free(&rows);
    b.p[b.len] = 0;
    spin_http_response_t res = text(200, b.p);
    free(b.p);
    return res;
}

spin_http_response_t spin_http_handle(const spin_http_request_t *req) {
    char *address = spin_config_get_cstr("pg_address");
    if (!address) return text(500, "{\"error\":\"the pg_address variable has no value\"}");
    spin_http_response_t res;
    const char *path = req->uri.ptr;
    size_t path_len = req->uri.len;
    const spin_string_t *info = spin_http_request_header(req, "spin-path-info");
    if (info) {
        path = info->ptr;
        path_len = info->len;
    }
    bool count = path_len >= 6 && memcmp(path, "/count", 6) == 0;
    if (req->method == SPIN_HTTP_POST) {
        res = insert(address, req);
    } else if (req->method == SPIN_HTTP_GET) {
        res = list(address, count);
    } else {
        res = spin_http_response(405);
    }
    free(address);
    return res;
}
