/* wagi-flood: a WAGI guest that writes a 200 response whose body is N MiB of 'x'
 * (N from the query string, default 16): more than a small max_output allows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    const char *q = getenv("QUERY_STRING");
    int mib = (q && *q) ? atoi(q) : 16;
    static char chunk[65536];
    memset(chunk, 'x', sizeof chunk);
    printf("content-type: text/plain\n\n");
    for (int i = 0; i < mib * 16; i++) fwrite(chunk, 1, sizeof chunk, stdout);
    return 0;
}
