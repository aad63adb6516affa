/* libc pieces the SQLite shell references that wasi-libc lacks (never reached by the tests). */
#include <errno.h>
int system(const char *command) {
    (void)command;
    errno = ENOSYS;
    return -1;
}
