/* Force-included into every Lua source file (-include). wasm32-wasi has no setjmp/longjmp
 * without the exception-handling proposal, so a Lua error cannot unwind: it prints the
 * error value and exits with status 3. The scripts run here raise no errors. */
#ifndef LUA_WASI_PRELUDE_H
#define LUA_WASI_PRELUDE_H
struct lua_State;
void lua_wasi_throw(struct lua_State *L);
#define LUAI_THROW(L, c) lua_wasi_throw(L)
#define LUAI_TRY(L, c, a) { a }
#define luai_jmpbuf int
#define l_system(cmd) ((cmd) == 0 ? 0 : -1)
#define LUA_TMPNAMBUFSIZE 32
#define lua_tmpnam(b, e) { e = 1; }
/* setjmp.h refuses to compile without exception handling; nothing here needs it. */
#define _SETJMP_H
#endif
