// A `wasi:cli/command` component using `spin:sqlite/sqlite@3.0.0`, written against the canonical
// ABI by hand: opens `default`, creates a table, inserts every value type with parameters,
// selects it back, and prints each step's result to stdout (plus the errors for an unlisted
// label and bad SQL). Build: ./build.sh (zig cc + wasm-tools).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))
#define SQLITE "spin:sqlite/sqlite@3.0.0"

IMPORT("wasi:cli/stdout@0.2.0", "get-stdout") int32_t get_stdout(void);
IMPORT("wasi:io/streams@0.2.0", "[method]output-stream.blocking-write-and-flush")
void stream_write(int32_t self, const uint8_t *p, size_t len, void *ret);
IMPORT("wasi:io/streams@0.2.0", "[resource-drop]output-stream") void stream_drop(int32_t self);
IMPORT(SQLITE, "[static]connection.open") void sqlite_open(const char *p, size_t len, void *ret);
IMPORT(SQLITE, "[method]connection.execute")
void sqlite_execute(int32_t self, const char *p, size_t len, const void *params, size_t count, void *ret);
IMPORT(SQLITE, "[method]connection.last-insert-rowid") int64_t sqlite_last_insert_rowid(int32_t self);
IMPORT(SQLITE, "[method]connection.changes") int64_t sqlite_changes(int32_t self);
IMPORT(SQLITE, "[resource-drop]connection") void sqlite_drop(int32_t self);

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *ptr, size_t old, size_t align, size_t new_size) {
    (void)old; (void)align;
    return realloc(ptr, new_size ? new_size : 1);
}

struct str { const char *ptr; size_t len; };
struct value {  // variant value: 16 bytes, align 8
    uint8_t tag;
    union { int64_t i; double r; struct { const char *ptr; size_t len; } s; } v;
};
struct row { struct value *ptr; size_t len; };
struct result {  // result<query-result, error>, payload at 4
    uint8_t tag;
    union {
        struct { struct { struct str *ptr; size_t len; } columns; struct { struct row *ptr; size_t len; } rows; } ok;
        struct { uint8_t tag; struct str message; } err;
    } u;
};

static char out[4096];
static size_t n;

static void printf_out(const char *format, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
static void printf_out(const char *format, ...) {
    va_list a;
    va_start(a, format);
    int k = vsnprintf(out + n, sizeof out - n, format, a);
    va_end(a);
    if (k > 0) n += (size_t)k < sizeof out - n ? (size_t)k : sizeof out - n - 1;
}

static void print_result(const char *what, const struct result *r) {
    printf_out("%s:", what);
    if (r->tag != 0) {
        printf_out(" error %d %.*s\n", r->u.err.tag, r->u.err.tag == 4 ? (int)r->u.err.message.len : 0,
                   r->u.err.tag == 4 ? r->u.err.message.ptr : "");
        return;
    }
    for (size_t c = 0; c < r->u.ok.columns.len; c++)
        printf_out(" %.*s", (int)r->u.ok.columns.ptr[c].len, r->u.ok.columns.ptr[c].ptr);
    printf_out("\n");
    for (size_t i = 0; i < r->u.ok.rows.len; i++) {
        struct row *row = &r->u.ok.rows.ptr[i];
        printf_out("  row");
        for (size_t c = 0; c < row->len; c++) {
            struct value *v = &row->ptr[c];
            switch (v->tag) {
            case 0: printf_out(" integer(%lld)", (long long)v->v.i); break;
            case 1: printf_out(" real(%g)", v->v.r); break;
            case 2: printf_out(" text(%.*s)", (int)v->v.s.len, v->v.s.ptr); break;
            case 3:
                printf_out(" blob(");
                for (size_t k = 0; k < v->v.s.len; k++) printf_out("%02x", (unsigned char)v->v.s.ptr[k]);
                printf_out(")");
                break;
            default: printf_out(" null"); break;
            }
        }
        printf_out("\n");
    }
}

static void execute(int32_t c, const char *what, const char *sql, const struct value *params, size_t count) {
    struct result r __attribute__((aligned(8)));
    memset(&r, 0, sizeof r);
    sqlite_execute(c, sql, strlen(sql), params, count, &r);
    print_result(what, &r);
}

__attribute__((export_name("wasi:cli/run@0.2.0#run")))
int32_t run(void) {
    struct { uint8_t tag; int32_t handle_or_error; struct str message; } open __attribute__((aligned(4)));
    sqlite_open("secret", 6, &open);
    printf_out("open secret: %s %d\n", open.tag ? "error" : "ok", open.handle_or_error & 0xff);
    sqlite_open("default", 7, &open);
    if (open.tag != 0) {
        printf_out("open default: error %d\n", open.handle_or_error & 0xff);
    } else {
        int32_t c = open.handle_or_error;
        execute(c, "create", "CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n)", NULL, 0);
        struct value params[5] __attribute__((aligned(8)));
        memset(params, 0, sizeof params);
        params[0].tag = 0; params[0].v.i = -42;
        params[1].tag = 1; params[1].v.r = 2.5;
        params[2].tag = 2; params[2].v.s.ptr = "hello"; params[2].v.s.len = 5;
        params[3].tag = 3; params[3].v.s.ptr = "\x01\xfe"; params[3].v.s.len = 2;
        params[4].tag = 4;
        execute(c, "insert", "INSERT INTO t VALUES (?, ?, ?, ?, ?)", params, 5);
        execute(c, "insert", "INSERT INTO t VALUES (?, ?, ?, ?, ?)", params, 5);
        printf_out("last-insert-rowid: %lld changes: %lld\n", (long long)sqlite_last_insert_rowid(c),
                   (long long)sqlite_changes(c));
        execute(c, "update", "UPDATE t SET i = i + 1", NULL, 0);
        printf_out("changes: %lld\n", (long long)sqlite_changes(c));
        execute(c, "select", "SELECT i, r, s, b, n FROM t", NULL, 0);
        execute(c, "bad", "SELECT * FROM missing", NULL, 0);
        sqlite_drop(c);
    }
    struct { uint8_t tag; uint8_t pad[3]; uint32_t a; uint32_t b; } ret __attribute__((aligned(4)));
    int32_t stdout_stream = get_stdout();
    stream_write(stdout_stream, (const uint8_t *)out, n, &ret);
    stream_drop(stdout_stream);
    return ret.tag != 0;
}
