/* A minimal QuickJS host (the library from the `quickjs` sdist, no quickjs-libc): reads a
 * script from stdin, gives it print(), evaluates it, runs pending promise jobs, and exits
 * with 1 if an exception escaped (printing it and its stack to stdout). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "quickjs.h"

static JSValue js_print(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
    for (int i = 0; i < argc; i++) {
        const char *s = JS_ToCString(ctx, argv[i]);
        if (!s) return JS_EXCEPTION;
        fputs(s, stdout);
        if (i + 1 < argc) fputc(' ', stdout);
        JS_FreeCString(ctx, s);
    }
    fputc('\n', stdout);
    return JS_UNDEFINED;
}

static void dump_exception(JSContext *ctx) {
    JSValue e = JS_GetException(ctx);
    const char *s = JS_ToCString(ctx, e);
    printf("uncaught: %s\n", s ? s : "?");
    JS_FreeCString(ctx, s);
    if (JS_IsError(ctx, e)) {
        JSValue stack = JS_GetPropertyStr(ctx, e, "stack");
        if (!JS_IsUndefined(stack)) {
            const char *st = JS_ToCString(ctx, stack);
            printf("%s", st ? st : "");
            JS_FreeCString(ctx, st);
        }
        JS_FreeValue(ctx, stack);
    }
    JS_FreeValue(ctx, e);
}

int main(int argc, char **argv) {
    size_t cap = 1 << 16, len = 0;
    char *src = malloc(cap);
    ssize_t n;
    while ((n = read(0, src + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 1024) src = realloc(src, cap *= 2);
    }
    src[len] = 0;

    JSRuntime *rt = JS_NewRuntime();
    JS_SetMaxStackSize(rt, 256 * 1024);
    JSContext *ctx = JS_NewContext(rt);
    JSValue global = JS_GetGlobalObject(ctx);
    JS_SetPropertyStr(ctx, global, "print", JS_NewCFunction(ctx, js_print, "print", 1));
    JSValue args = JS_NewArray(ctx);
    for (int i = 1; i < argc; i++) JS_SetPropertyUint32(ctx, args, (uint32_t)(i - 1), JS_NewString(ctx, argv[i]));
    JS_SetPropertyStr(ctx, global, "scriptArgs", args);
    JS_FreeValue(ctx, global);

    int status = 0;
    JSValue result = JS_Eval(ctx, src, len, argc > 1 ? argv[1] : "<stdin>", JS_EVAL_TYPE_GLOBAL);
    if (JS_IsException(result)) {
        dump_exception(ctx);
        status = 1;
    }
    JS_FreeValue(ctx, result);
    for (;;) {
        JSContext *jctx;
        int r = JS_ExecutePendingJob(rt, &jctx);
        if (r == 0) break;
        if (r < 0) { dump_exception(jctx); status = 1; }
    }
    JS_FreeContext(ctx);
    JS_FreeRuntime(rt);
    free(src);
    fflush(stdout);
    return status;
}
