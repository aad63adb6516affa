/*
 * {{project-name}}: a static file server for Spin, in C.
 *
 * Serves the file named by the `spin-path-info` header (the request path
 * after the component's route) from the directory mounted at "/"
 * (`files = [{ source = "assets", destination = "/" }]` in spin.toml).
 * A path ending in "/" serves its index.html. Missing files: 404 "Not Found";
 * paths with ".." segments: 400; methods other than GET/HEAD: 405.
 *
 * Files are read with the WASI calls directly, so the module works whether
 * or not the host calls `_initialize`.
 */
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#include "spin_http.h"

/* The preopened directory whose guest path is "/" (or the first one). */
static int find_root(void) {
    int first = -1;
    for (int fd = 3; fd < 64; fd++) {
        __wasi_prestat_t st;
        if (__wasi_fd_prestat_get(fd, &st) != 0) break;
        if (st.tag != __WASI_PREOPENTYPE_DIR) continue;
        if (first < 0) first = fd;
        char name[8];
        size_t n = st.u.dir.pr_name_len;
        if (n < sizeof name && __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, n) == 0) {
            if ((n == 1 && name[0] == '/') || (n == 1 && name[0] == '.')) return fd;
        }
    }
    return first;
}

static const char *content_type(const char *path) {
    static const struct { const char *ext, *type; } types[] = {
        {".html", "text/html; charset=utf-8"}, {".htm", "text/html; charset=utf-8"},
        {".css", "text/css"}, {".js", "text/javascript"}, {".json", "application/json"},
        {".txt", "text/plain"}, {".md", "text/markdown"}, {".svg", "image/svg+xml"},
        {".png", "image/png"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"},
        {".gif", "image/gif"}, {".ico", "image/x-icon"}, {".wasm", "application/wasm"},
    };
    const char *dot = strrchr(path, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

static spin_http_response_t text(uint16_t status, const char *body) {
    spin_http_response_t res = spin_http_response(status);
    spin_http_response_set_body_str(&res, body);
    return res;
}

spin_http_response_t spin_http_handle(const spin_http_request_t *req) {
    if (req->method != SPIN_HTTP_GET && req->method != SPIN_HTTP_HEAD) return spin_http_response(405);

    /* "/a/b.txt" -> "a/b.txt"; "" or ".../" -> ".../index.html" */
    const spin_string_t *info = spin_http_request_header(req, "spin-path-info");
    char path[1024];
    size_t n = 0;
    if (info)
        for (size_t i = 0; i < info->len && n + 1 < sizeof path; i++)
            if (!(n == 0 && info->ptr[i] == '/')) path[n++] = info->ptr[i];
    path[n] = 0;
    if (n == 0 || path[n - 1] == '/') {
        if (n + sizeof "index.html" > sizeof path) return text(404, "Not Found");
        memcpy(path + n, "index.html", sizeof "index.html");
        n += sizeof "index.html" - 1;
    }
    for (const char *s = path; (s = strstr(s, "..")) != NULL; s += 2)
        if ((s == path || s[-1] == '/') && (s[2] == 0 || s[2] == '/')) return text(400, "Bad Request");

    int root = find_root();
    __wasi_fd_t fd;
    if (root < 0 || __wasi_path_open(root, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_FILESTAT_GET,
                                     0, 0, &fd) != 0)
        return text(404, "Not Found");
    __wasi_filestat_t st;
    if (__wasi_fd_filestat_get(fd, &st) != 0 || st.filetype != __WASI_FILETYPE_REGULAR_FILE) {
        (void)__wasi_fd_close(fd);
        return text(404, "Not Found");
    }
    size_t size = (size_t)st.size, got = 0;
    uint8_t *data = malloc(size ? size : 1);
    while (data && got < size) {
        __wasi_iovec_t iov = {data + got, size - got};
        size_t r = 0;
        if (__wasi_fd_read(fd, &iov, 1, &r) != 0 || r == 0) break;
        got += r;
    }
    (void)__wasi_fd_close(fd);
    if (!data) return text(500, "Out of memory");

    spin_http_response_t res = spin_http_response(200);
    spin_http_response_add_header(&res, "content-type", content_type(path));
    spin_http_response_add_header(&res, "cache-control", "max-age=60");
    if (req->method == SPIN_HTTP_GET) {
        res.has_body = true;
        res.body.ptr = data;
        res.body.len = got;
    } else {
        free(data);
    }
    return res;
}
