// A minimal C++ exception runtime for -fwasm-exceptions programs that catch with `catch (...)`.
//
// Debian's libc++abi for wasm32 (libc++abi-19-dev-wasm32), like zig's, is built without
// exception support: no __cxa_begin_catch/__cxa_end_catch/__cxa_rethrow and no unwinder
// (_Unwind_CallPersonality), so typed `catch (const T&)` clauses cannot link. This file
// supplies the entry points that `throw`, `throw;`, `catch (...)` and unwinding cleanups
// (destructors) need; the type_info vtables still come from libc++abi. The thrown object's
// type is kept in a header before it, so a handler can look at it (eh_current_type()).
#include <cstdlib>
#include <typeinfo>

namespace {
struct Header {
    std::type_info* type;
    void (*destroy)(void*);
    int handlers;  // active catch clauses holding it
    bool rethrown;
};
Header* header(void* object) { return static_cast<Header*>(object) - 1; }
// The exceptions being handled, innermost last (a catch block can itself catch another one).
void* caught[64];
int caughtCount = 0;
}

extern "C" {
void* __cxa_allocate_exception(size_t size) noexcept {
    char* p = static_cast<char*>(std::malloc(sizeof(Header) + size));
    return p + sizeof(Header);
}

void __cxa_free_exception(void* object) noexcept { std::free(header(object)); }

[[noreturn]] void __cxa_throw(void* object, std::type_info* type, void (*destroy)(void*)) {
    Header* h = header(object);
    h->type = type;
    h->destroy = destroy;
    h->handlers = 0;
    h->rethrown = false;
    __builtin_wasm_throw(0, object);
}

void* __cxa_begin_catch(void* object) noexcept {
    Header* h = header(object);
    if (h->rethrown) {
        h->rethrown = false;
    } else {
        caught[caughtCount++] = object;
    }
    h->handlers++;
    return object;
}

void __cxa_end_catch() {
    if (caughtCount == 0) return;
    void* object = caught[caughtCount - 1];
    Header* h = header(object);
    if (--h->handlers > 0 || h->rethrown) return;
    caughtCount--;
    if (h->destroy) h->destroy(object);
    std::free(h);
}

[[noreturn]] void __cxa_rethrow() {
    void* object = caught[caughtCount - 1];
    header(object)->rethrown = true;
    __builtin_wasm_throw(0, object);
}

// The type of the exception the innermost active catch clause holds (for `catch (...)`).
const std::type_info* eh_current_type() { return caughtCount ? header(caught[caughtCount - 1])->type : nullptr; }
}

#if __clang_major__ >= 20
// Newer LLVM leaves the definition of the C++ exception tag to the runtime (libunwind's job).
__asm__(".globl __cpp_exception\n.tagtype __cpp_exception i32\n__cpp_exception:\n");
#endif
