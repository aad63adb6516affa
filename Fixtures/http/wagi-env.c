/* wagi-env: a WAGI program that prints its arguments, environment and stdin. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
    printf("content-type: text/plain\n\n");
    for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    size_t n = 0;
    while (environ[n]) n++;
    qsort(environ, n, sizeof *environ, compare);
    for (size_t i = 0; i < n; i++) printf("%s\n", environ[i]);
    printf("stdin=");
    int c;
    while ((c = getchar()) != EOF) putchar(c);
    printf("\n");
    return 0;
}
