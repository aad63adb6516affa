// A Spin HTTP component written with the C component SDK (SDK/c-component): each route uses one
// Spin 2.x host interface and answers its result, or the interface's error, as text.
//
//   GET  /var?name=N                          the variable's value
//   GET  /kv/get?store=L&key=K                the value; 404 "not found" when absent
//   POST /kv/set?store=L&key=K   (body)       "ok"
//   GET  /kv/delete?store=L&key=K             "ok"
//   GET  /redis/get?key=K[&address=A]         the value; 404 "not found"  (A defaults to the
//   POST /redis/set?key=K[&address=A] (body)  "ok"                          variable redis_address)
//   GET  /redis/incr?key=K[&address=A]        the new value
//   GET  /pg/query?sql=S[&param=P][&address=A]    "col:type,...\nv,...\n..." (A defaults to pg_address)
//   GET  /pg/execute?sql=S[&param=P][&address=A]  "N rows"
//   ANY  /outbound?url=U[&method=M]  (body)   "STATUS\nBODY": sends M (default GET) to U with the
//                                             request's body and `x-from-guest: spin-sdk`
// Errors answer 500 "error: KIND[: MESSAGE]" (Spin's WIT names); a missing parameter 400.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spin_component.h"

static void text(spin_http_response_t *resp, uint16_t status, const char *s) {
    resp->status = status;
    resp->body = (const uint8_t *)s;
    resp->body_len = strlen(s);
}

static void bytes(spin_http_response_t *resp, spin_bytes_t b) {
    resp->status = 200;
    resp->body = b.ptr;
    resp->body_len = b.len;
}

static void error(spin_http_response_t *resp, const spin_error_t *err) {
    char *e = spin_error_text(err);
    size_t n = strlen(e) + 8;
    char *s = malloc(n);
    snprintf(s, n, "error: %s", e);
    text(resp, 500, s);
}

static int route(const spin_http_request_t *req, const char *want) {
    size_t n = strlen(want), len = req->path_with_query.len;
    const char *p = (const char *)req->path_with_query.ptr;
    return len >= n && memcmp(p, want, n) == 0 && (len == n || p[n] == '?');
}

/// The query parameter `name`, or the variable `variable` when the parameter is absent.
static char *param_or_variable(const spin_http_request_t *req, const char *name, const char *variable,
                               spin_error_t *err) {
    char *v = spin_query_param(&req->path_with_query, name);
    if (v) return v;
    spin_bytes_t value;
    if (!spin_variable_get(variable, &value, err)) return NULL;
    char *s = malloc(value.len + 1);
    memcpy(s, value.ptr, value.len);
    s[value.len] = 0;
    return s;
}

static void key_value(const spin_http_request_t *req, spin_http_response_t *resp, const char *op) {
    char *label = spin_query_param(&req->path_with_query, "store");
    char *key = spin_query_param(&req->path_with_query, "key");
    if (!label || !key) return text(resp, 400, "store and key are required");
    spin_error_t err;
    spin_kv_store_t store;
    if (!spin_kv_open(label, &store, &err)) return error(resp, &err);
    bool ok = true, found = true;
    spin_bytes_t value = {0};
    if (strcmp(op, "get") == 0) ok = spin_kv_get(store, key, &found, &value, &err);
    else if (strcmp(op, "set") == 0) ok = spin_kv_set(store, key, req->body.ptr, req->body.len, &err);
    else ok = spin_kv_delete(store, key, &err);
    spin_kv_close(store);
    if (!ok) return error(resp, &err);
    if (!found) return text(resp, 404, "not found");
    if (strcmp(op, "get") == 0) return bytes(resp, value);
    text(resp, 200, "ok");
}

static void redis(const spin_http_request_t *req, spin_http_response_t *resp, const char *op) {
    char *key = spin_query_param(&req->path_with_query, "key");
    if (!key) return text(resp, 400, "key is required");
    spin_error_t err;
    char *address = param_or_variable(req, "address", "redis_address", &err);
    if (!address) return error(resp, &err);
    spin_redis_t conn;
    if (!spin_redis_open(address, &conn, &err)) return error(resp, &err);
    bool ok, found = true;
    spin_bytes_t value = {0};
    int64_t n = 0;
    if (strcmp(op, "get") == 0) ok = spin_redis_get(conn, key, &found, &value, &err);
    else if (strcmp(op, "set") == 0) ok = spin_redis_set(conn, key, req->body.ptr, req->body.len, &err);
    else ok = spin_redis_incr(conn, key, &n, &err);
    spin_redis_close(conn);
    if (!ok) return error(resp, &err);
    if (!found) return text(resp, 404, "not found");
    if (strcmp(op, "get") == 0) return bytes(resp, value);
    if (strcmp(op, "incr") == 0) {
        char *s = malloc(32);
        snprintf(s, 32, "%lld", (long long)n);
        return text(resp, 200, s);
    }
    text(resp, 200, "ok");
}

/// Appends `s` to the growing buffer (*buf, *len, *cap).
static void append(char **buf, size_t *len, size_t *cap, const char *s, size_t n) {
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = realloc(*buf, *cap);
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = 0;
}

static void postgres(const spin_http_request_t *req, spin_http_response_t *resp, const char *op) {
    char *sql = spin_query_param(&req->path_with_query, "sql");
    if (!sql) return text(resp, 400, "sql is required");
    char *param = spin_query_param(&req->path_with_query, "param");
    spin_db_value_t params[1];
    if (param) params[0] = spin_db_str(param);
    spin_error_t err;
    char *address = param_or_variable(req, "address", "pg_address", &err);
    if (!address) return error(resp, &err);
    spin_pg_t conn;
    if (!spin_pg_open(address, &conn, &err)) return error(resp, &err);
    if (strcmp(op, "execute") == 0) {
        uint64_t n;
        bool ok = spin_pg_execute(conn, sql, params, param ? 1 : 0, &n, &err);
        spin_pg_close(conn);
        if (!ok) return error(resp, &err);
        char *s = malloc(32);
        snprintf(s, 32, "%llu rows", (unsigned long long)n);
        return text(resp, 200, s);
    }
    spin_pg_rows_t rows;
    bool ok = spin_pg_query(conn, sql, params, param ? 1 : 0, &rows, &err);
    spin_pg_close(conn);
    if (!ok) return error(resp, &err);
    char *out = NULL;
    size_t len = 0, cap = 0;
    append(&out, &len, &cap, "", 0);
    for (size_t c = 0; c < rows.column_count; c++) {
        char t[16];
        if (c) append(&out, &len, &cap, ",", 1);
        append(&out, &len, &cap, (const char *)rows.columns[c].name.ptr, rows.columns[c].name.len);
        snprintf(t, sizeof t, ":%u", rows.columns[c].data_type);
        append(&out, &len, &cap, t, strlen(t));
    }
    append(&out, &len, &cap, "\n", 1);
    for (size_t r = 0; r < rows.row_count; r++) {
        for (size_t c = 0; c < rows.column_count; c++) {
            char *v = spin_db_value_text(&rows.values[r * rows.column_count + c]);
            if (c) append(&out, &len, &cap, ",", 1);
            append(&out, &len, &cap, v, strlen(v));
            free(v);
        }
        append(&out, &len, &cap, "\n", 1);
    }
    text(resp, 200, out);
}

static void outbound(const spin_http_request_t *req, spin_http_response_t *resp) {
    char *url = spin_query_param(&req->path_with_query, "url");
    if (!url) return text(resp, 400, "url is required");
    char *method = spin_query_param(&req->path_with_query, "method");
    static const spin_http_header_t headers[] = {{"x-from-guest", "spin-sdk"}};
    spin_http_outbound_request_t request = {
        .method = method ? method : "GET", .url = url, .headers = headers, .header_count = 1,
        .body = req->body.ptr, .body_len = req->body.len};
    spin_http_outbound_response_t answer;
    spin_error_t err;
    if (!spin_http_send_request(&request, &answer, &err)) return error(resp, &err);
    char *out = malloc(answer.body.len + 8);
    int n = snprintf(out, 8, "%u\n", answer.status);
    memcpy(out + n, answer.body.ptr, answer.body.len);
    resp->status = 200;
    resp->body = (const uint8_t *)out;
    resp->body_len = (size_t)n + answer.body.len;
}

void spin_http_handle(const spin_http_request_t *req, spin_http_response_t *resp) {
    if (route(req, "/var")) {
        char *name = spin_query_param(&req->path_with_query, "name");
        if (!name) return text(resp, 400, "name is required");
        spin_bytes_t value;
        spin_error_t err;
        if (!spin_variable_get(name, &value, &err)) return error(resp, &err);
        return bytes(resp, value);
    }
    if (route(req, "/kv/get")) return key_value(req, resp, "get");
    if (route(req, "/kv/set")) return key_value(req, resp, "set");
    if (route(req, "/kv/delete")) return key_value(req, resp, "delete");
    if (route(req, "/redis/get")) return redis(req, resp, "get");
    if (route(req, "/redis/set")) return redis(req, resp, "set");
    if (route(req, "/redis/incr")) return redis(req, resp, "incr");
    if (route(req, "/pg/query")) return postgres(req, resp, "query");
    if (route(req, "/pg/execute")) return postgres(req, resp, "execute");
    if (route(req, "/outbound")) return outbound(req, resp);
    if (route(req, "/echo")) {
        // The request as the SDK read it: method, path, body.
        size_t n = req->method.len + req->path_with_query.len + req->body.len + 3;
        char *s = malloc(n);
        snprintf(s, n, "%.*s %.*s\n%.*s", (int)req->method.len, (const char *)req->method.ptr,
                 (int)req->path_with_query.len, (const char *)req->path_with_query.ptr, (int)req->body.len,
                 (const char *)req->body.ptr);
        return text(resp, 200, s);
    }
    text(resp, 404, "no such route");
}
