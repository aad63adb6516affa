// The SIMD benchmark (README "Benchmarks"): the same loops built twice, with and
// without -msimd128 (build.sh). With it, clang's loop vectorizer turns them into
// i32x4 / f32x4 / i8x16 code; without it they stay scalar. Both print the same line.
#include <stdint.h>
#include <stdio.h>

#define N 4096
#define ROUNDS 6000

static int32_t a[N], b[N];
static float x[N], y[N];
static uint8_t pixels[N], out[N];

int main(void) {
    uint32_t seed = 1;
    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        a[i] = (int32_t)((seed >> 16) & 0xFFF) - 2048;
        b[i] = (int32_t)((seed >> 4) & 0x3FF) - 512;
        x[i] = (float)(seed & 0xFF) / 256.0f;
        y[i] = 0.0f;
        pixels[i] = (uint8_t)(seed >> 24);
    }
    int64_t dot = 0;
    uint32_t bright = 0;
    for (int r = 0; r < ROUNDS; r++) {
        // Integer dot product (i32x4.mul, i32x4.add).
        int32_t s = 0;
        for (int i = 0; i < N; i++) s += a[i] * b[i];
        dot += s ^ r;
        // Float update (f32x4.mul, f32x4.add).
        for (int i = 0; i < N; i++) y[i] = y[i] * 0.5f + x[i];
        // Saturating brighten of bytes (i8x16.add_sat_u).
        uint8_t step = (uint8_t)(r & 63);
        for (int i = 0; i < N; i++) {
            uint8_t v = (uint8_t)(pixels[i] + step);
            out[i] = v < pixels[i] ? 255 : v;
        }
        bright += out[r % N];
    }
    double ysum = 0;
    uint32_t osum = 0;
    for (int i = 0; i < N; i++) {
        ysum += y[i];
        osum += out[i];
    }
    printf("dot %lld bright %u out %u ysum %.3f\n", (long long)dot, bright, osum, ysum);
    return 0;
}
