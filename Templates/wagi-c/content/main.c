/*
 * {{project-name}}: a WAGI component in C.
 *
 * A plain WASI command: the request arrives as CGI environment variables
 * (REQUEST_METHOD, PATH_INFO, QUERY_STRING, HTTP_<HEADER>, ...) and the body
 * on stdin; the response is written to stdout as CGI: headers, a blank line,
 * then the body.
 */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    const char *method = getenv("REQUEST_METHOD");
    const char *path = getenv("PATH_INFO");
    printf("content-type: text/plain\n");
    printf("\n");
    printf("Hello, Fermyon\n");
    printf("%s %s\n", method ? method : "?", path && *path ? path : "/");
    return 0;
}
