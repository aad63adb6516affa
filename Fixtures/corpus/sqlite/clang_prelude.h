/* Force-included for the clang-19 build only: Debian's wasi-libc declares no chmod()
 * (zig's newer wasi-libc has it). The shell only calls it for .archive/.import of files. */
#include <sys/stat.h>
static inline int chmod(const char *path, mode_t mode) { (void)path; (void)mode; return -1; }
