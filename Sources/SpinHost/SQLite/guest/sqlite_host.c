/*
 * sqlite_host: the SQLite guest run by SpinHost's engine (`SQLiteDatabase`).
 *
 * Built as a wasm32-wasi reactor with SQLite's amalgamation (see build.sh); the host calls
 * these exports and passes buffers it got from `malloc`. All integers are little-endian.
 *
 *   sh_open(path) -> int            sqlite3_open_v2 of a NUL-terminated path (":memory:" too);
 *                                   0 or an SQLite result code; the message via sh_result.
 *   sh_execute(sql, sqlLen, params, paramsLen) -> result pointer (malloc'd; the host frees it)
 *   sh_execute_batch(sql) -> result pointer (sqlite3_exec of NUL-terminated statements)
 *   sh_close()
 *
 * One database per instance (the host runs one instance per database file).
 *
 * A value:   u8 tag; 0 integer (i64), 1 real (f64), 2 text (u32 len + UTF-8), 3 blob
 *            (u32 len + bytes), 4 null.
 * Params:    u32 count, then count values.
 * Result:    u32 length of what follows, u8 status, then
 *            status 0 (rows): u32 column count, each column (u32 len + name), u32 row count,
 *                             then rows × columns values, then u8 flags, i64 changes, i64 rowid:
 *                             flag 1 = the statement changed rows (`changes` is
 *                             sqlite3_changes64), flag 2 = it set the last insert rowid;
 *            status 1 (error): i32 extended result code, u32 len + message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sqlite3.h"

static sqlite3 *db;

typedef struct {
    uint8_t *bytes;
    uint32_t count;
    uint32_t capacity;
    int failed;
} Buffer;

static void reserve(Buffer *b, uint32_t more) {
    if (b->failed || b->count + more <= b->capacity) return;
    uint32_t capacity = b->capacity ? b->capacity : 256;
    while (capacity < b->count + more) capacity *= 2;
    uint8_t *bytes = realloc(b->bytes, capacity);
    if (!bytes) { b->failed = 1; return; }
    b->bytes = bytes;
    b->capacity = capacity;
}

static void put(Buffer *b, const void *p, uint32_t n) {
    reserve(b, n);
    if (b->failed) return;
    if (n) memcpy(b->bytes + b->count, p, n);
    b->count += n;
}

static void put_u8(Buffer *b, uint8_t v) { put(b, &v, 1); }
static void put_u32(Buffer *b, uint32_t v) { put(b, &v, 4); }
static void put_bytes(Buffer *b, const void *p, uint32_t n) { put_u32(b, n); put(b, p, n); }

static uint8_t *finish(Buffer *b) {
    if (b->failed) { free(b->bytes); return NULL; }
    uint32_t length = b->count - 4;
    memcpy(b->bytes, &length, 4);
    return b->bytes;
}

static uint8_t *error_result(int code, const char *message) {
    Buffer b = {0};
    put_u32(&b, 0);
    put_u8(&b, 1);
    int32_t c = code;
    put(&b, &c, 4);
    if (!message) message = sqlite3_errstr(code);
    put_bytes(&b, message, (uint32_t)strlen(message));
    return finish(&b);
}

static uint8_t *db_error(void) {
    return error_result(sqlite3_extended_errcode(db), sqlite3_errmsg(db));
}

__attribute__((export_name("sh_malloc"))) void *sh_malloc(uint32_t n) { return malloc(n ? n : 1); }
__attribute__((export_name("sh_free"))) void sh_free(void *p) { free(p); }

/* The last open's message (or NULL before any). */
static char *open_message;

__attribute__((export_name("sh_open"))) int sh_open(const char *path) {
    if (db) { sqlite3_close_v2(db); db = NULL; }
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, "unix-none");
    free(open_message);
    open_message = NULL;
    if (rc != SQLITE_OK) {
        const char *m = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        open_message = strdup(m);
        sqlite3_close_v2(db);
        db = NULL;
    }
    return rc;
}

__attribute__((export_name("sh_open_message"))) const char *sh_open_message(void) {
    return open_message ? open_message : "";
}

__attribute__((export_name("sh_close"))) void sh_close(void) {
    if (db) sqlite3_close_v2(db);
    db = NULL;
}

static int bind_params(sqlite3_stmt *stmt, const uint8_t *p, uint32_t n) {
    const uint8_t *end = p + n;
    uint32_t count;
    if (n < 4) return n == 0 ? SQLITE_OK : SQLITE_MISUSE;
    memcpy(&count, p, 4);
    p += 4;
    for (uint32_t i = 1; i <= count; i++) {
        if (p >= end) return SQLITE_MISUSE;
        uint8_t tag = *p++;
        int rc;
        switch (tag) {
        case 0: { int64_t v; if (end - p < 8) return SQLITE_MISUSE; memcpy(&v, p, 8); p += 8;
                  rc = sqlite3_bind_int64(stmt, i, v); break; }
        case 1: { double v; if (end - p < 8) return SQLITE_MISUSE; memcpy(&v, p, 8); p += 8;
                  rc = sqlite3_bind_double(stmt, i, v); break; }
        case 2: case 3: {
            uint32_t len;
            if (end - p < 4) return SQLITE_MISUSE;
            memcpy(&len, p, 4); p += 4;
            if ((uint32_t)(end - p) < len) return SQLITE_MISUSE;
            rc = tag == 2 ? sqlite3_bind_text(stmt, i, (const char *)p, len, SQLITE_TRANSIENT)
                          : sqlite3_bind_blob(stmt, i, p, len, SQLITE_TRANSIENT);
            p += len;
            break;
        }
        case 4: rc = sqlite3_bind_null(stmt, i); break;
        default: return SQLITE_MISUSE;
        }
        /* More parameters than the statement has: SQLite's own SQLITE_RANGE. */
        if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
}

static int only_space(const char *p, const char *end) {
    for (; p < end && *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != '\f' && *p != ';') return 0;
    return 1;
}

__attribute__((export_name("sh_execute")))
uint8_t *sh_execute(const char *sql, uint32_t sql_len, const uint8_t *params, uint32_t params_len) {
    if (!db) return error_result(SQLITE_MISUSE, "no open database");
    sqlite3_stmt *stmt = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v2(db, sql, (int)sql_len, &stmt, &tail);
    if (rc != SQLITE_OK) return db_error();
    if (!stmt) return error_result(SQLITE_MISUSE, "no statement to execute");
    if (tail && !only_space(tail, sql + sql_len)) {
        sqlite3_finalize(stmt);
        return error_result(SQLITE_MISUSE, "Multiple statements provided");
    }
    rc = bind_params(stmt, params, params_len);
    if (rc != SQLITE_OK) {
        uint8_t *r = rc == SQLITE_MISUSE ? error_result(rc, "malformed parameters") : db_error();
        sqlite3_finalize(stmt);
        return r;
    }
    Buffer b = {0};
    put_u32(&b, 0);
    put_u8(&b, 0);
    int columns = sqlite3_column_count(stmt);
    put_u32(&b, (uint32_t)columns);
    for (int c = 0; c < columns; c++) {
        const char *name = sqlite3_column_name(stmt, c);
        if (!name) name = "";
        put_bytes(&b, name, (uint32_t)strlen(name));
    }
    uint32_t rows_at = b.count;
    put_u32(&b, 0);
    uint32_t rows = 0;
    sqlite3_int64 total_before = sqlite3_total_changes64(db);
    sqlite3_int64 rowid_before = sqlite3_last_insert_rowid(db);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        rows++;
        for (int c = 0; c < columns; c++) {
            switch (sqlite3_column_type(stmt, c)) {
            case SQLITE_INTEGER: { int64_t v = sqlite3_column_int64(stmt, c); put_u8(&b, 0); put(&b, &v, 8); break; }
            case SQLITE_FLOAT: { double v = sqlite3_column_double(stmt, c); put_u8(&b, 1); put(&b, &v, 8); break; }
            case SQLITE_TEXT: {
                const unsigned char *t = sqlite3_column_text(stmt, c);
                put_u8(&b, 2);
                put_bytes(&b, t, (uint32_t)sqlite3_column_bytes(stmt, c));
                break;
            }
            case SQLITE_BLOB: {
                const void *p = sqlite3_column_blob(stmt, c);
                put_u8(&b, 3);
                put_bytes(&b, p, (uint32_t)sqlite3_column_bytes(stmt, c));
                break;
            }
            default: put_u8(&b, 4); break;
            }
        }
    }
    if (rc != SQLITE_DONE) {
        free(b.bytes);
        uint8_t *r = db_error();
        sqlite3_finalize(stmt);
        return r;
    }
    sqlite3_finalize(stmt);
    if (!b.failed) memcpy(b.bytes + rows_at, &rows, 4);
    int64_t changes = sqlite3_changes64(db), rowid = sqlite3_last_insert_rowid(db);
    put_u8(&b, (uint8_t)((sqlite3_total_changes64(db) != total_before ? 1 : 0) | (rowid != rowid_before ? 2 : 0)));
    put(&b, &changes, 8);
    put(&b, &rowid, 8);
    uint8_t *r = finish(&b);
    return r ? r : error_result(SQLITE_NOMEM, NULL);
}

__attribute__((export_name("sh_execute_batch"))) uint8_t *sh_execute_batch(const char *sql) {
    if (!db) return error_result(SQLITE_MISUSE, "no open database");
    char *message = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &message);
    if (rc != SQLITE_OK) {
        uint8_t *r = error_result(sqlite3_extended_errcode(db), message ? message : sqlite3_errmsg(db));
        sqlite3_free(message);
        return r;
    }
    Buffer b = {0};
    put_u32(&b, 0);
    put_u8(&b, 0);
    put_u32(&b, 0);
    put_u32(&b, 0);
    int64_t zero = 0;
    put_u8(&b, 0);
    put(&b, &zero, 8);
    put(&b, &zero, 8);
    uint8_t *r = finish(&b);
    return r ? r : error_result(SQLITE_NOMEM, NULL);
}
