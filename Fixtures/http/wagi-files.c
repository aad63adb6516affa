/* wagi-files: a WAGI file server; serves PATH_INFO from the files mounted at /. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    const char *path = getenv("PATH_INFO");
    if (!path || !*path || strstr(path, "..")) {
        printf("status: 404 Not Found\ncontent-type: text/plain\n\nnot found\n");
        return 0;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("status: 404 Not Found\ncontent-type: text/plain\n\nno such file: %s\n", path);
        return 0;
    }
    printf("content-type: application/octet-stream\n\n");
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
    fclose(f);
    return 0;
}
