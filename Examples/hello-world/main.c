/*
 * hello-world: the app from Spin's getting-started, in C.
 *
 *   GET  /?name=John              -> 200 "Hello, John"   (no name: "Hello, Fermyon")
 *   POST / {"name":"Jane"}        -> 200 "Hello, Jane"   ({"name":""}: "Hello, Fermyon")
 *   POST / anything else          -> 400 "Please provide a valid JSON payload"
 *   other methods                 -> 405, empty body
 * Successful responses carry the header `foo: bar`.
 */
#include <stdio.h>
#include <string.h>

#include "spin_http.h"

/* A small JSON reader: is `body` an object whose "name" member is a string? */
typedef struct {
    const char *p, *end;
} json_t;

static void ws(json_t *j) {
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')) j->p++;
}

/* Parses a string; copies it (escapes decoded, ASCII \u only) to out when out != NULL. */
static int string(json_t *j, char *out, size_t cap, size_t *len) {
    if (j->p >= j->end || *j->p != '"') return 0;
    j->p++;
    size_t n = 0;
    while (j->p < j->end && *j->p != '"') {
        char c = *j->p++;
        if ((unsigned char)c < 0x20) return 0;
        if (c == '\\') {
            if (j->p >= j->end) return 0;
            char e = *j->p++;
            switch (e) {
            case '"': case '\\': case '/': c = e; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'u': {
                if (j->end - j->p < 4) return 0;
                unsigned v = 0;
                for (int i = 0; i < 4; i++) {
                    char h = *j->p++;
                    v <<= 4;
                    if (h >= '0' && h <= '9') v |= (unsigned)(h - '0');
                    else if (h >= 'a' && h <= 'f') v |= (unsigned)(h - 'a' + 10);
                    else if (h >= 'A' && h <= 'F') v |= (unsigned)(h - 'A' + 10);
                    else return 0;
                }
                c = v < 0x80 ? (char)v : '?';
                break;
            }
            default: return 0;
            }
        }
        if (out && n + 1 < cap) out[n] = c;
        n++;
    }
    if (j->p >= j->end) return 0;
    j->p++;
    if (out && cap) out[n < cap ? n : cap - 1] = 0;
    if (len) *len = n;
    return 1;
}

static int value(json_t *j, int depth);

static int literal(json_t *j, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0) return 0;
    j->p += n;
    return 1;
}

static int number(json_t *j) {
    const char *start = j->p;
    if (j->p < j->end && *j->p == '-') j->p++;
    while (j->p < j->end && ((*j->p >= '0' && *j->p <= '9') || *j->p == '.' || *j->p == 'e' || *j->p == 'E' ||
                             *j->p == '+' || *j->p == '-'))
        j->p++;
    return j->p > start;
}

static int container(json_t *j, int depth, char close) {
    j->p++;
    ws(j);
    if (j->p < j->end && *j->p == close) { j->p++; return 1; }
    for (;;) {
        ws(j);
        if (close == '}') {
            if (!string(j, NULL, 0, NULL)) return 0;
            ws(j);
            if (j->p >= j->end || *j->p++ != ':') return 0;
        }
        if (!value(j, depth + 1)) return 0;
        ws(j);
        if (j->p >= j->end) return 0;
        if (*j->p == ',') { j->p++; continue; }
        if (*j->p == close) { j->p++; return 1; }
        return 0;
    }
}

static int value(json_t *j, int depth) {
    if (depth > 32) return 0;
    ws(j);
    if (j->p >= j->end) return 0;
    switch (*j->p) {
    case '"': return string(j, NULL, 0, NULL);
    case '{': return container(j, depth, '}');
    case '[': return container(j, depth, ']');
    case 't': return literal(j, "true");
    case 'f': return literal(j, "false");
    case 'n': return literal(j, "null");
    default: return number(j);
    }
}

/* Finds the top-level string member "name"; returns 1 and fills name on success. */
static int parse_name(const uint8_t *body, size_t len, char *name, size_t cap) {
    json_t j = {(const char *)body, (const char *)body + len};
    int found = 0;
    ws(&j);
    if (j.p >= j.end || *j.p != '{') return 0;
    j.p++;
    ws(&j);
    if (j.p < j.end && *j.p == '}') return 0;
    for (;;) {
        char key[16];
        size_t key_len = 0;
        ws(&j);
        if (!string(&j, key, sizeof key, &key_len)) return 0;
        ws(&j);
        if (j.p >= j.end || *j.p++ != ':') return 0;
        ws(&j);
        if (key_len == 4 && memcmp(key, "name", 4) == 0 && j.p < j.end && *j.p == '"') {
            if (!string(&j, name, cap, NULL)) return 0;
            found = 1;
        } else if (!value(&j, 1)) {
            return 0;
        }
        ws(&j);
        if (j.p >= j.end) return 0;
        if (*j.p == ',') { j.p++; continue; }
        if (*j.p == '}') { j.p++; break; }
        return 0;
    }
    ws(&j);
    return found && j.p == j.end;
}

static spin_http_response_t greet(const char *name) {
    char text[600];
    snprintf(text, sizeof text, "Hello, %s", name[0] ? name : "Fermyon");
    spin_http_response_t res = spin_http_response(200);
    spin_http_response_add_header(&res, "foo", "bar");
    spin_http_response_add_header(&res, "content-type", "text/plain");
    spin_http_response_set_body_str(&res, text);
    return res;
}

spin_http_response_t spin_http_handle(const spin_http_request_t *req) {
    char name[512];
    switch (req->method) {
    case SPIN_HTTP_GET:
    case SPIN_HTTP_HEAD:
        if (spin_http_query_param(req, "name", name, sizeof name) < 0) name[0] = 0;
        return greet(name);
    case SPIN_HTTP_POST:
        if (!parse_name(req->body.ptr, req->body.len, name, sizeof name)) {
            spin_http_response_t res = spin_http_response(400);
            spin_http_response_set_body_str(&res, "Please provide a valid JSON payload");
            return res;
        }
        return greet(name);
    default:
        return spin_http_response(405);
    }
}
