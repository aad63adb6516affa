// C++ exceptions compiled to WebAssembly exception handling (-fwasm-exceptions): throws
// through many frames and through function pointers, destructors run while unwinding,
// nested handlers, rethrow, exceptions in a hot loop. Handlers are `catch (...)` (see
// eh_runtime.cpp for why) and look at the exception's type through the runtime.
#include <cstdio>
#include <cstring>
#include <typeinfo>

extern "C" const std::type_info* eh_current_type();

struct ParseError { int position; char found; };
struct Overflow { long long value; };

static int destroyed = 0;
struct Trace {
    const char* name;
    explicit Trace(const char* n) : name(n) {}
    ~Trace() { destroyed++; }
};

static const char* kind() {
    const std::type_info* t = eh_current_type();
    if (!t) return "none";
    if (*t == typeid(ParseError)) return "ParseError";
    if (*t == typeid(Overflow)) return "Overflow";
    if (*t == typeid(int)) return "int";
    return "other";
}

// A recursive-descent calculator that throws on bad input and on overflow.
struct Parser {
    const char* s;
    int i = 0;
    long long expr();
    long long term() {
        Trace t("term");
        long long v = factor();
        while (s[i] == '*' || s[i] == '/') {
            char op = s[i++];
            long long r = factor();
            if (op == '*') {
                v *= r;
                if (v > 1000000000LL || v < -1000000000LL) throw Overflow{v};
            } else {
                if (r == 0) throw 0;
                v /= r;
            }
        }
        return v;
    }
    long long factor() {
        Trace t("factor");
        if (s[i] == '(') {
            i++;
            long long v = expr();
            if (s[i] != ')') throw ParseError{i, s[i]};
            i++;
            return v;
        }
        if (s[i] == '-') {
            i++;
            return -factor();
        }
        if (s[i] < '0' || s[i] > '9') throw ParseError{i, s[i]};
        long long v = 0;
        while (s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0');
        return v;
    }
};

long long Parser::expr() {
    Trace t("expr");
    long long v = term();
    while (s[i] == '+' || s[i] == '-') {
        char op = s[i++];
        long long r = term();
        v = op == '+' ? v + r : v - r;
    }
    return v;
}

static void evaluate(const char* text) {
    Parser p{text};
    try {
        long long v = p.expr();
        if (text[p.i] != 0) throw ParseError{p.i, text[p.i]};
        std::printf("%-22s = %lld\n", text, v);
    } catch (...) {
        std::printf("%-22s : %s at %d\n", text, kind(), p.i);
    }
}

// Deep recursion unwound by one throw; every frame has a destructor to run.
static int deep(int n) {
    Trace t("deep");
    if (n == 0) throw Overflow{12345};
    return deep(n - 1) + 1;
}

// Rethrow from an inner handler to an outer one.
static int layered(int x) {
    try {
        try {
            if (x % 3 == 0) throw ParseError{x, '!'};
            if (x % 3 == 1) throw x;
            return x;
        } catch (...) {
            if (*eh_current_type() == typeid(int)) return -x;  // handled here
            throw;                                             // passed on
        }
    } catch (...) {
        return 1000 + x;
    }
}

typedef int (*Op)(int);
static int ok(int x) { return x + 1; }
static int bad(int x) {
    if (x > 5) throw ParseError{x, '?'};
    return x;
}

int main() {
    const char* inputs[] = {"1+2*3", "(1+2)*3", "2*(3+4)*5", "-(7-10)*2", "8/(4-4)", "12+*3", "(1+2",
                            "99999*99999*99999", "((((((1))))))+1", "1+2)"};
    for (const char* s : inputs) evaluate(s);

    destroyed = 0;
    try {
        deep(1000);
    } catch (...) {
        std::printf("deep: caught %s after %d destructors\n", kind(), destroyed);
    }

    int total = 0;
    for (int x = 0; x < 12; x++) total += layered(x);
    std::printf("layered total %d\n", total);

    Op ops[] = {ok, bad};
    int caughtCount = 0, sum = 0;
    for (int i = 0; i < 20000; i++) {
        try {
            sum += ops[i & 1](i % 11);
        } catch (...) {
            caughtCount++;
        }
    }
    std::printf("indirect: sum %d, caught %d\n", sum, caughtCount);
    return 0;
}
