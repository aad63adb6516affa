/* wagi-exit: exits with the code in the query string (?3), printing a valid head first. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    printf("content-type: text/plain\n\nexiting\n");
    fflush(stdout);
    return argc > 1 ? atoi(argv[1]) : 0;
}
