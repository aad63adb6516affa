// Tail calls from C (clang -mtail-call, __attribute__((musttail))): every call below in
// tail position must become return_call / return_call_indirect, so recursion millions deep
// runs in constant stack (without tail calls each of these would overflow any call stack).
#include <stdint.h>
#include <stdio.h>

__attribute__((noinline)) static int is_odd(uint32_t n);
__attribute__((noinline)) static int is_even(uint32_t n) {
    if (n == 0) return 1;
    __attribute__((musttail)) return is_odd(n - 1);
}
__attribute__((noinline)) static int is_odd(uint32_t n) {
    if (n == 0) return 0;
    __attribute__((musttail)) return is_even(n - 1);
}

// Accumulating loops written as recursion.
__attribute__((noinline)) static uint64_t sum_to(uint64_t n, uint64_t acc) {
    if (n == 0) return acc;
    __attribute__((musttail)) return sum_to(n - 1, acc + n);
}

__attribute__((noinline)) static uint32_t collatz_steps(uint64_t n, uint32_t steps) {
    if (n == 1) return steps;
    __attribute__((musttail)) return collatz_steps(n & 1 ? 3 * n + 1 : n / 2, steps + 1);
}

// A small bytecode machine whose handlers tail-call the next one through a table
// (return_call_indirect): the "threaded code" style of fast interpreters.
enum { PUSH, ADD, SUB, MUL, DUP, SWAP, JNZ, DEC, PRINT, HALT };
typedef struct { int64_t stack[64]; int sp; } Machine;
typedef int64_t (*Handler)(Machine*, const int32_t*, int);
static Handler handlers[10];

#define NEXT(m, code, pc) __attribute__((musttail)) return handlers[code[pc]](m, code, pc)

static int64_t op_push(Machine* m, const int32_t* code, int pc) { m->stack[m->sp++] = code[pc + 1]; NEXT(m, code, pc + 2); }
static int64_t op_add(Machine* m, const int32_t* code, int pc) { m->sp--; m->stack[m->sp - 1] += m->stack[m->sp]; NEXT(m, code, pc + 1); }
static int64_t op_sub(Machine* m, const int32_t* code, int pc) { m->sp--; m->stack[m->sp - 1] -= m->stack[m->sp]; NEXT(m, code, pc + 1); }
static int64_t op_mul(Machine* m, const int32_t* code, int pc) { m->sp--; m->stack[m->sp - 1] *= m->stack[m->sp]; NEXT(m, code, pc + 1); }
static int64_t op_dup(Machine* m, const int32_t* code, int pc) { m->stack[m->sp] = m->stack[m->sp - 1]; m->sp++; NEXT(m, code, pc + 1); }
static int64_t op_swap(Machine* m, const int32_t* code, int pc) {
    int64_t t = m->stack[m->sp - 1];
    m->stack[m->sp - 1] = m->stack[m->sp - 2];
    m->stack[m->sp - 2] = t;
    NEXT(m, code, pc + 1);
}
static int64_t op_jnz(Machine* m, const int32_t* code, int pc) {
    int64_t v = m->stack[--m->sp];
    NEXT(m, code, v ? code[pc + 1] : pc + 2);
}
static int64_t op_dec(Machine* m, const int32_t* code, int pc) { m->stack[m->sp - 1]--; NEXT(m, code, pc + 1); }
static int64_t op_print(Machine* m, const int32_t* code, int pc) { printf("vm: %lld\n", (long long)m->stack[m->sp - 1]); NEXT(m, code, pc + 1); }
static int64_t op_halt(Machine* m, const int32_t* code, int pc) { (void)code; (void)pc; return m->stack[m->sp - 1]; }

int main(void) {
    printf("is_even(1000001) = %d\n", is_even(1000001));
    printf("is_odd(300000) = %d\n", is_odd(300000));
    printf("sum_to(1000000) = %llu\n", (unsigned long long)sum_to(1000000, 0));
    uint32_t best = 0;
    uint64_t arg = 0;
    for (uint64_t n = 1; n < 30000; n++) {
        uint32_t s = collatz_steps(n, 0);
        if (s > best) best = s, arg = n;
    }
    printf("longest collatz below 30000: %llu (%u steps)\n", (unsigned long long)arg, best);

    handlers[PUSH] = op_push; handlers[ADD] = op_add; handlers[SUB] = op_sub; handlers[MUL] = op_mul;
    handlers[DUP] = op_dup; handlers[SWAP] = op_swap; handlers[JNZ] = op_jnz; handlers[DEC] = op_dec;
    handlers[PRINT] = op_print; handlers[HALT] = op_halt;
    // acc = 0; n = 200000; do { acc += 3; n--; } while (n); print acc
    const int32_t count[] = {
        PUSH, 0,            // 0: acc
        PUSH, 200000,       // 2: n
        SWAP,               // 4: n acc
        PUSH, 3, ADD,       // 5: n acc+3
        SWAP,               // 8: acc n
        DEC,                // 9: acc n-1
        DUP,                // 10: acc n n
        JNZ, 4,             // 11: acc n
        SWAP, PRINT, HALT,  // 13
    };
    Machine m = {{0}, 0};
    printf("vm result %lld\n", (long long)handlers[count[0]](&m, count, 0));
    return 0;
}
