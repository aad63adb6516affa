/* Force-included (-include) into the QuickJS sources for wasm32-wasi. */
#ifndef QUICKJS_WASI_PRELUDE_H
#define QUICKJS_WASI_PRELUDE_H
#include <stddef.h>
/* wasi-libc's dlmalloc has it, but no header declares it. */
size_t malloc_usable_size(const void *ptr);
/* wasm has round-to-nearest only: fesetround() with these fails and changes nothing, so
 * toFixed/toPrecision ties round to even here (on any wasm engine alike). */
#include <fenv.h>
#ifndef FE_DOWNWARD
#define FE_DOWNWARD 0x400
#endif
#ifndef FE_UPWARD
#define FE_UPWARD 0x800
#endif
#endif
