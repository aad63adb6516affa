/* Small numeric kernels in the shapes real compilers emit for hot loops: comparisons of
 * every integer and float kind against registers and constants feeding branches, loops
 * with constant bounds, hash functions built from shifts and rotates into xor/add/or,
 * indexed loads a[i] of every width, arithmetic with a loaded operand, f64 multiply-add
 * chains, immediates of every arithmetic kind, and and/eqz bit tests. Built three ways
 * (clang -O2, clang -O0, zig cc -Os) from this one source; all print the same. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 256
#define NOINLINE __attribute__((noinline))

static uint32_t seed = 0x12345678u;
static uint32_t rnd(void) { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; return seed; }

static uint8_t u8a[N]; static int8_t i8a[N]; static uint16_t u16a[N]; static int16_t i16a[N];
static uint32_t u32a[N]; static int32_t i32a[N], i32b[N]; static uint64_t u64a[N]; static int64_t i64a[N], i64b[N];
static float f32a[N], f32b[N]; static double f64a[N], f64b[N];
static volatile int sink;

NOINLINE static int work(int i) { sink = i; return (i * 7) ^ (i >> 2); }

/* Compare-and-branch for every kind: against another array, against a constant, and as a
 * loop condition. `work` is a call so the branch stays a branch. */
#define CMP_KERNELS(T, ARR, BRR, TAG, C)                                                          \
    NOINLINE static int TAG##_eq(void) { int c = 0; for (int i = 0; i < N; i++) { if (ARR[i] == BRR[i]) c += work(i); else c ^= i; } return c; } \
    NOINLINE static int TAG##_ne(void) { int c = 0; for (int i = 0; i < N; i++) { if (ARR[i] != (T)(C)) c += work(i); } return c; } \
    NOINLINE static int TAG##_lt(void) { int c = 0; for (int i = 0; i < N; i++) { if (ARR[i] < BRR[i]) c += work(i); else c -= 1; } return c; } \
    NOINLINE static int TAG##_le(void) { int c = 0; for (int i = 0; i < N; i++) { if (ARR[i] <= BRR[i]) c += work(i); } return c; } \
    NOINLINE static int TAG##_gt(void) { int c = 0; for (int i = 0; i < N; i++) { if (ARR[i] > BRR[i]) { c += work(i); } } return c; } \
    NOINLINE static int TAG##_ge(void) { int c = 0; for (int i = 0; i < N; i++) { if (ARR[i] >= BRR[i]) c += work(i); else c += 2; } return c; } \
    NOINLINE static int TAG##_lti(void) { int c = 0; for (int i = 0; i < N; i++) { if (ARR[i] < (T)(C)) c += work(i); } return c; } \
    NOINLINE static int TAG##_lei(void) { int c = 0; for (int i = 0; i < N; i++) { if (ARR[i] <= (T)(C)) c += work(i); } return c; } \
    NOINLINE static int TAG##_gti(void) { int c = 0; for (int i = 0; i < N; i++) { if (ARR[i] > (T)(C)) c += work(i); } return c; } \
    NOINLINE static int TAG##_gei(void) { int c = 0; for (int i = 0; i < N; i++) { if (ARR[i] >= (T)(C)) c += work(i); } return c; } \
    NOINLINE static int TAG##_eqi(void) { int c = 0; for (int i = 0; i < N; i++) { if (ARR[i] == (T)(C)) c += work(i); else c += 1; } return c; } \
    NOINLINE static int TAG##_while(T x, T limit) { int c = 0; while (x < limit) { x = (T)(x + (T)3); c += work(c); if (c > 1000000) break; } return c; } \
    NOINLINE static int TAG##_until(T x, T limit) { int c = 0; do { x = (T)(x + (T)5); c++; } while (x <= limit && c < 500); return c; } \
    static int TAG##_all(void) {                                                                  \
        return TAG##_eq() ^ TAG##_ne() * 3 ^ TAG##_lt() * 5 ^ TAG##_le() * 7 ^ TAG##_gt() * 11 ^ TAG##_ge() * 13 ^ \
               TAG##_lti() * 17 ^ TAG##_lei() * 19 ^ TAG##_gti() * 23 ^ TAG##_gei() * 29 ^ TAG##_eqi() * 31 ^ \
               TAG##_while((T)1, (T)200) * 37 ^ TAG##_until((T)2, (T)100) * 41;                   \
    }

CMP_KERNELS(int32_t, i32a, i32b, s32, 100)
CMP_KERNELS(uint32_t, u32a, i32b, u32, 1000000)
CMP_KERNELS(int64_t, i64a, i64b, s64, -5)
CMP_KERNELS(uint64_t, u64a, i64b, u64, 123456789)
CMP_KERNELS(float, f32a, f32b, f32, 0.5f)
CMP_KERNELS(double, f64a, f64b, f64, 0.25)

/* Boundary comparisons LLVM cannot rewrite into a neighbouring constant. */
NOINLINE static int edges(void) {
    int c = 0;
    for (int i = 0; i < N; i++) {
        if (i32a[i] <= INT32_MAX - 1) c += 1;
        if ((uint32_t)i32a[i] >= 1u) c += 2;
        if (i64a[i] <= INT64_MAX - 1) c += 4;
        if ((uint64_t)i64a[i] >= 2u) c += 8;
        if (u8a[i] & 0x10) c += work(i);
        if (!(u16a[i] & 0x8001)) c += 16;
        if ((u64a[i] & 0x100000000ull) != 0) c += 32;
        if (i64a[i] == 0) c += 64;
        if (u32a[i] == 0) c += 128; else c ^= 1;
    }
    return c;
}

/* Indexed loads of every width, and i32 arithmetic with a loaded operand. */
NOINLINE static uint64_t loads(const int *idx, int n) {
    uint64_t h = 0;
    int32_t acc = 0;
    for (int k = 0; k < n; k++) {
        int i = idx[k];
        h = h * 31 + u8a[i];
        h = h * 31 + (uint64_t)(int64_t)i8a[i];
        h = h * 31 + u16a[i];
        h = h * 31 + (uint64_t)(int64_t)i16a[i];
        h = h * 31 + u32a[i];
        h = h * 31 + u64a[i];
        acc += i32a[i];
        acc -= i32b[i];
        acc = i32a[(i + 1) & (N - 1)] - acc;
        acc &= ~i32b[(i + 3) & (N - 1)] | 0x0f0f0f0f;
        acc |= (int32_t)u32a[i] & 0x40;
        acc ^= i32a[i ^ 5];
    }
    return h ^ (uint32_t)acc;
}

/* Hash functions: shifts and rotates feeding xor, add and or. */
static inline uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
NOINLINE static uint32_t murmur3_32(const uint8_t *key, size_t len, uint32_t h) {
    const uint32_t c1 = 0xcc9e2d51, c2 = 0x1b873593;
    size_t i = 0;
    for (; i + 4 <= len; i += 4) {
        uint32_t k;
        memcpy(&k, key + i, 4);
        k *= c1; k = rotl32(k, 15); k *= c2;
        h ^= k; h = rotl32(h, 13); h = h * 5 + 0xe6546b64;
    }
    uint32_t k = 0;
    switch (len & 3) {
    case 3: k ^= (uint32_t)key[i + 2] << 16; /* fall through */
    case 2: k ^= (uint32_t)key[i + 1] << 8; /* fall through */
    case 1: k ^= key[i]; k *= c1; k = rotl32(k, 15); k *= c2; h ^= k;
    }
    h ^= (uint32_t)len; h ^= h >> 16; h *= 0x85ebca6b; h ^= h >> 13; h *= 0xc2b2ae35; h ^= h >> 16;
    return h;
}
NOINLINE static uint32_t jenkins_oaat(const uint8_t *key, size_t len) {
    uint32_t h = 0;
    for (size_t i = 0; i < len; i++) { h += key[i]; h += h << 10; h ^= h >> 6; }
    h += h << 3; h ^= h >> 11; h += h << 15;
    return h;
}
NOINLINE static uint32_t djb2_or(const uint8_t *key, size_t len) {
    uint32_t h = 5381, m = 0;
    for (size_t i = 0; i < len; i++) { h = (h << 5) + h + key[i]; m |= h >> 27; m = (m << 3) | (m >> 29); m |= rotl32(h, 7); }
    return h ^ m;
}
NOINLINE static uint64_t xorshift_mix(uint64_t x, int rounds) {
    for (int i = 0; i < rounds; i++) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; x += rotl64(x, 23); x |= (uint64_t)i << 40; x ^= x >> 31; }
    return x;
}
NOINLINE static uint32_t crc32c(const uint8_t *p, size_t n) {
    uint32_t c = ~0u;
    for (size_t i = 0; i < n; i++) { c ^= p[i]; for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1))); }
    return ~c;
}

/* f64 multiply-add chains (dot products, polynomial evaluation, a small n-body step). */
NOINLINE static double dot(const double *a, const double *b, int n) { double s = 0; for (int i = 0; i < n; i++) s += a[i] * b[i]; return s; }
NOINLINE static double horner(double x) {
    static const double c[] = {1.0, -0.5, 0.3333333333333333, -0.25, 0.2, -0.16666666666666666, 0.14285714285714285};
    double r = c[6];
    for (int i = 5; i >= 0; i--) r = r * x + c[i];
    return r * x - x * x * 0.001 + (x * 2.5) * (x * 0.5);
}
NOINLINE static double nbody(int steps) {
    double x[5] = {0, 1, 2, 3, 4}, y[5] = {0, 0.5, -1, 1.5, 0}, vx[5] = {0}, vy[5] = {0.1, 0, -0.1, 0, 0.05}, m[5] = {10, 1, 0.5, 0.25, 2};
    for (int s = 0; s < steps; s++) {
        for (int i = 0; i < 5; i++) for (int j = i + 1; j < 5; j++) {
            double dx = x[i] - x[j], dy = y[i] - y[j];
            double d2 = dx * dx + dy * dy + 0.01;
            double inv = 1.0 / (d2 * sqrt(d2));
            vx[i] -= dx * m[j] * inv * 0.001; vy[i] -= dy * m[j] * inv * 0.001;
            vx[j] += dx * m[i] * inv * 0.001; vy[j] += dy * m[i] * inv * 0.001;
        }
        for (int i = 0; i < 5; i++) { x[i] += vx[i] * 0.01; y[i] += vy[i] * 0.01; }
    }
    double e = 0;
    for (int i = 0; i < 5; i++) e += 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i]);
    return e + x[0] * 1e-3 - y[4] * 1e-3;
}
NOINLINE static double mem_fp(void) {
    double a = 0, b = 1, c = 2;
    for (int i = 0; i < N; i++) { a += f64a[i]; b = b - f64b[i] * 1e-3; c = f64a[i] - c * 0.5; a = a * 0.999 + f64b[i] * f64a[i]; }
    return a + b + c;
}

/* Immediates of every arithmetic kind (32/64-bit, float). */
NOINLINE static uint64_t immediates(uint32_t a, uint64_t b, float f, double d) {
    uint64_t h = 0;
    for (int i = 0; i < 40; i++) {
        a = (a + 0x1234) * 0x9E37; a -= 77; a &= 0xfffff0ff; a |= 0x100; a ^= 0xa5a5a5a5;
        a = (a << 3) ^ (a >> 5) ^ (uint32_t)((int32_t)a >> 7); a = rotl32(a, 9) + (a >> 27 | a << 5);
        b = (b + 0x123456789ull) * 0x9E3779B97F4A7C15ull; b -= 99; b &= ~0xffull; b |= 0x10; b ^= 0x5555555555555555ull;
        b = (b << 7) ^ (b >> 11) ^ (uint64_t)((int64_t)b >> 13); b = rotl64(b, 17) ^ ((b >> 9) | (b << 55));
        f = f * 1.5f + 0.25f; f = f / 3.0f - 0.125f; d = d * 1.0001 + 0.5; d = d / 1.5 - 0.25;
        h = h * 1099511628211ull ^ a ^ b ^ (uint64_t)(int64_t)(f * 1000.0f) ^ (uint64_t)(int64_t)(d * 1e6);
    }
    return h;
}

/* Stores of constants, memset/memcpy, and a histogram with indexed stores. */
NOINLINE static uint32_t stores(void) {
    static uint8_t b8[64]; static uint16_t b16[64]; static uint32_t b32[64]; static uint64_t b64[64]; static uint32_t hist[16];
    for (int i = 0; i < 64; i++) { b8[i] = 0xab; b16[i] = 0x1234; b32[i] = 0xdeadbeef; b64[i] = 0x0123456789abcdefull; }
    memset(hist, 0, sizeof hist);
    for (int i = 0; i < N; i++) hist[u8a[i] & 15]++;
    uint32_t h = 0;
    for (int i = 0; i < 64; i++) h = h * 33 + b8[i] + b16[i] + b32[i] + (uint32_t)(b64[i] >> 7);
    for (int i = 0; i < 16; i++) h = h * 31 + hist[i];
    return h;
}

/* Constant-bound loops: matrix multiply on int and a 2D stencil. */
NOINLINE static int64_t matmul_i(void) {
    static int32_t A[16][16], B[16][16], C[16][16];
    for (int i = 0; i < 16; i++) for (int j = 0; j < 16; j++) { A[i][j] = i32a[i * 16 + j] % 100; B[i][j] = i32b[j * 16 + i] % 100; }
    for (int i = 0; i < 16; i++) for (int j = 0; j < 16; j++) { int32_t s = 0; for (int k = 0; k < 16; k++) s += A[i][k] * B[k][j]; C[i][j] = s; }
    int64_t t = 0;
    for (int i = 0; i < 16; i++) for (int j = 0; j < 16; j++) t = t * 3 + C[i][j];
    return t;
}
NOINLINE static double stencil(void) {
    static double g[18][18], h2[18][18];
    for (int i = 0; i < 18; i++) for (int j = 0; j < 18; j++) g[i][j] = (i * 18 + j) % 7;
    for (int it = 0; it < 10; it++) {
        for (int i = 1; i < 17; i++) for (int j = 1; j < 17; j++) h2[i][j] = 0.25 * (g[i - 1][j] + g[i + 1][j] + g[i][j - 1] + g[i][j + 1]);
        for (int i = 1; i < 17; i++) for (int j = 1; j < 17; j++) g[i][j] = h2[i][j];
    }
    double s = 0;
    for (int i = 0; i < 18; i++) for (int j = 0; j < 18; j++) s += g[i][j] * (i + 1);
    return s;
}

/* Float loop conditions that are not induction variables (so they stay float compares
 * feeding the back-edge branch), a loaded f64 minus a plain local, i32 sums compared with
 * constants right after the add, and comparisons used as values. */
NOINLINE static int float_loops(float a, double b) {
    int n = 0;
    float x = a;
    while (fabsf(x * x - a) > 1e-4f && n < 100) { x = 0.5f * (x + a / x); n++; }  /* f32 gt */
    float s = 0;
    int k = 0;
    while (s < a) { s += f32a[k++ & (N - 1)] + 1.0f; n++; }                       /* f32 lt */
    float t = -a;
    do { t += 0.75f; n++; } while (t <= a);                                       /* f32 le */
    float u = a * 4;
    do { u -= f32b[n & (N - 1)] + 0.5f; n++; } while (u >= 0.0f);                  /* f32 ge */
    float g = a;
    do { g = g * 0.9f + 0.01f; n++; } while (g > 0.5f);                           /* f32 gt */
    float h = 0;
    do { h += f32a[n & (N - 1)] * f32a[n & (N - 1)] + 0.1f; n++; } while (h <= a * 3); /* f32 le */
    double y = b;
    while (fabs(y * y - b) > 1e-12) { y = 0.5 * (y + b / y); n++; }               /* f64 gt */
    double z = 0;
    do { z += fabs(f64a[n & (N - 1)]) + 0.01; n++; } while (z <= b);              /* f64 le */
    return n * 1000 + (int)(x * 100) + (int)(y * 100);
}
NOINLINE static double loaded_minus_local(double bias) {
    double s = 0;
    for (int i = 0; i < N; i++) { double d = f64a[i] - bias; s += d * d; bias = f64b[i]; }
    return s;
}
NOINLINE static int add_then_compare(int start, int step, unsigned ustart, unsigned ustep) {
    int s = start, n = 0;
    do { s = s + step; n += work(s); } while (s > 100);
    unsigned u = ustart;
    do { u = u + ustep; n += work((int)u); } while (u > 1000u);
    int v = start;
    do { v = v + step; n ^= work(v); } while (v >= -50);
    return n;
}
/* Loops whose bounds the compiler cannot see (volatile inputs), stepping by a constant or a
 * register and compared with a constant right after the add, and i64 tests in if/else form. */
static volatile int v_start = 5, v_step = 3, v_neg = -3;
static volatile unsigned v_ustart = 7u, v_ustep = 5u, v_uneg = 4294967291u;
NOINLINE static int opaque_loops(void) {
    int n = 0;
    int start = v_start, step = v_step, neg = v_neg;
    unsigned ustart = v_ustart, ustep = v_ustep;
    for (int i = start; i < 100; i += 3) n += work(i);
    for (int i = start + 200; i > -100; i -= 3) n ^= work(i);
    for (unsigned i = ustart; i < 1000u; i += 7) n += work((int)i);
    for (unsigned i = ustart + 500u; i > 10u; i -= 7) n ^= work((int)i);
    for (int i = start; i < 150; i += step) n += work(i);
    for (int i = start + 300; i > -20; i += neg) n ^= work(i);
    for (unsigned i = ustart; i < 800u; i += ustep) n += work((int)i);
    for (unsigned i = ustart + 900u; i > 40u; i -= ustep) n ^= work((int)i);
    unsigned uneg = v_uneg;
    for (unsigned i = ustart + 700u; i > 30u; i += uneg) n += work((int)i);
    return n;
}
NOINLINE static int64_t if_else_64(void) {
    int64_t t = 0;
    for (int i = 0; i < N; i++) {
        if ((u64a[i] & 0x100000000ull) == 0) t += work(i); else t -= work(i + 1);
        if ((i64a[i] & 6) != 0) t ^= work(i + 2); else t += 3;
        if (i64a[i] != i64b[i]) t += work(i + 3); else t -= work(i + 4);
        if (i64a[i] > -3) t += work(i + 5); else t -= work(i + 6);
        if (u64a[i] > 1000000u) t ^= work(i + 7); else t += work(i + 8);
        if (f32a[i] > f32b[i]) t += work(i + 9); else t -= work(i + 10);
        if (f32a[i] <= 0.25f) t ^= work(i + 11); else t += work(i + 12);
        if ((u64a[i] & 0x300000000ull) == 0) { t += work(i + 13); t ^= work(i + 14); }
        uint64_t m = u64a[i] & 0xff00000000ull;
        if (m == 0) t -= work(i + 15);
    }
    return t;
}
NOINLINE static int cmp_values(void) {
    int c = 0;
    for (int i = 0; i < N; i++) {
        int64_t x = i64a[i];
        uint64_t y = u64a[i];
        c += (x <= 3) + 2 * (x >= -4) + 4 * (y <= 1000000u) + 8 * (y >= 77u) + 16 * (i32a[i] <= 17) + 32 * (i32a[i] >= -9)
           + 64 * ((uint32_t)i32b[i] <= 5u) + 128 * ((uint32_t)i32b[i] >= 100000u);
        int64_t big = (int64_t)(u64a[i] * 977u) - 100000000000LL;
        c += (big <= 123456789012LL) * 3 + (big <= -5000000000LL) * 5 + ((uint64_t)big <= 98765432109ull) * 7 + ((uint64_t)big >= 4000000000ull) * 11;
        c ^= (f32a[i] < f32b[i]) + (f32a[i] <= 0.5f) * 2 + (f64a[i] > f64b[i]) * 4 + (f64a[i] >= 0.125) * 8;
    }
    return c;
}

/* Steps that wrap (unsigned arithmetic, no signed-overflow promise), so the compiler keeps the
 * compare on the new value right after the add: `s += 3; br_if (s < 200)` with a signed bound. */
NOINLINE static int wrapping_steps(void) {
    int n = 0, s = v_start;
    do { n += i32a[s & 63]; s = (int)((unsigned)s + 3u); } while (s < 200);
    int t = v_start - 400;
    do { n ^= i32b[(t >> 1) & 63] + t; t = (int)((unsigned)t + 7u); } while (t < -20);
    return n;
}

int main(void) {
    for (int i = 0; i < N; i++) {
        uint32_t r = rnd(), q = rnd();
        u8a[i] = (uint8_t)r; i8a[i] = (int8_t)(r >> 8); u16a[i] = (uint16_t)(r >> 3); i16a[i] = (int16_t)(q >> 5);
        u32a[i] = q % 3 ? q : 0; i32a[i] = (int32_t)(r % 401) - 200; i32b[i] = (int32_t)(q % 401) - 200;
        u64a[i] = ((uint64_t)r << 32 | q) % 250000000ull; i64a[i] = (int64_t)(q % 21) - 10; i64b[i] = (int64_t)(r % 21) - 10;
        f32a[i] = (float)((int)(r % 2001) - 1000) / 1000.0f; f32b[i] = (float)((int)(q % 2001) - 1000) / 1000.0f;
        f64a[i] = (double)((int)(q % 4001) - 2000) / 4000.0; f64b[i] = i % 9 == 0 ? f64a[i] : (double)((int)(r % 4001) - 2000) / 4000.0;
        if (i % 17 == 0) { i32b[i] = i32a[i]; i64b[i] = i64a[i]; f32b[i] = f32a[i]; }
    }
    printf("cmp s32 %d u32 %d s64 %d u64 %d f32 %d f64 %d edges %d\n", s32_all(), u32_all(), s64_all(), u64_all(), f32_all(), f64_all(), edges());
    int idx[N];
    for (int i = 0; i < N; i++) idx[i] = (int)((i * 37 + 11) % N);
    printf("loads %016llx\n", (unsigned long long)loads(idx, N));
    uint8_t text[1000];
    for (int i = 0; i < 1000; i++) text[i] = (uint8_t)("the quick brown fox jumps over the lazy dog "[i % 44] + i / 44);
    printf("murmur %08x %08x %08x jenkins %08x djb2 %08x crc32c %08x xorshift %016llx\n", murmur3_32(text, 1000, 0), murmur3_32(text, 13, 7),
           murmur3_32(text + 1, 3, 1), jenkins_oaat(text, 1000), djb2_or(text, 1000), crc32c(text, 1000), (unsigned long long)xorshift_mix(42, 500));
    printf("dot %.17g horner %.17g %.17g nbody %.17g mem_fp %.17g\n", dot(f64a, f64b, N), horner(0.3), horner(-1.7), nbody(40), mem_fp());
    printf("immediates %016llx stores %08x matmul %lld stencil %.17g\n", (unsigned long long)immediates(7, 9, 1.0f, 2.0), stores(),
           (long long)matmul_i(), stencil());
    printf("float loops %d minus %.17g add/compare %d cmp values %d\n", float_loops(2.0f, 3.0), loaded_minus_local(0.5),
           add_then_compare(v_start + 495, v_step - 10, v_ustart + 4993u, v_ustep + 4294966995u), cmp_values());
    printf("opaque loops %d if/else 64 %lld\n", opaque_loops(), (long long)if_else_64());
    printf("wrapping steps %d\n", wrapping_steps());
    float fs = 0; for (int i = 0; i < N; i++) fs += f32a[i] * f32b[i] + 0.5f;
    printf("f32 sum %.9g sqrtf %.9g fminf %.9g\n", fs, sqrtf(fabsf(fs)), fminf(f32a[3], f32b[3]));
    return 0;
}
