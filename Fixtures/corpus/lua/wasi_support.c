/* The other half of wasi_prelude.h: what a Lua error does on wasm32-wasi, and the
 * libc pieces wasi-libc lacks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "lua.h"

void lua_wasi_throw(lua_State *L) {
    const char *msg = lua_tostring(L, -1);
    fflush(stdout);
    fprintf(stderr, "lua error (cannot unwind on wasm32-wasi): %s\n", msg ? msg : "(non-string error)");
    exit(3);
}

FILE *tmpfile(void) {
    errno = ENOTSUP;
    return NULL;
}
