/* Drives the real zstd library (single-file zstd.c from the zstandard sdist): one-shot
 * compression at several levels, streaming compression/decompression in small chunks,
 * a trained dictionary, and checksums (zstd's own XXH64) of everything produced. */
#define ZDICT_STATIC_LINKING_ONLY
#include "zstd.c" /* one translation unit, so zstd's private XXH64 is visible */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng = 12345;
static uint32_t next(void) { rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5; return rng; }

static size_t make_text(unsigned char *buf, size_t n) {
    static const char *words[] = {"alpha", "beta", "gamma", "delta", "wasm", "engine", "interpreter", "zstd",
                                  "compress", "the", "of", "and", "function", "module", "memory", "table"};
    size_t i = 0;
    while (i < n) {
        uint32_t r = next();
        const char *w = words[r % 16];
        size_t len = strlen(w);
        if (i + len + 1 > n) break;
        memcpy(buf + i, w, len);
        i += len;
        buf[i++] = (r >> 8) % 11 == 0 ? '\n' : ' ';
        if ((r >> 12) % 29 == 0 && i + 8 < n) i += (size_t)sprintf((char *)buf + i, "%u ", r % 100000);
    }
    while (i < n) buf[i++] = '.';
    return n;
}

static void check(size_t code, const char *what) {
    if (ZSTD_isError(code)) { printf("%s failed: %s\n", what, ZSTD_getErrorName(code)); exit(1); }
}

int main(void) {
    printf("zstd %s\n", ZSTD_versionString());
    const size_t n = 64 * 1024;
    unsigned char *src = malloc(n);
    make_text(src, n / 2);
    for (size_t i = n / 2; i < n; i++) src[i] = (unsigned char)((i * i) >> 7) ^ (unsigned char)(next() & 3);
    printf("input %zu bytes xxh64 %016llx\n", n, XXH64(src, n, 0));

    size_t cap = ZSTD_compressBound(n);
    unsigned char *dst = malloc(cap);
    unsigned char *back = malloc(n);
    int levels[] = {-5, 1, 3, 7, 12};
    for (unsigned li = 0; li < sizeof levels / sizeof levels[0]; li++) {
        size_t c = ZSTD_compress(dst, cap, src, n, levels[li]);
        check(c, "compress");
        unsigned long long fcs = ZSTD_getFrameContentSize(dst, c);
        size_t d = ZSTD_decompress(back, n, dst, c);
        check(d, "decompress");
        printf("level %3d: %6zu -> %6zu (frame says %llu) xxh64 %016llx roundtrip %s\n", levels[li], n, c, fcs,
               XXH64(dst, c, 0), d == n && memcmp(src, back, n) == 0 ? "ok" : "MISMATCH");
    }

    /* Streaming with parameters and small buffers. */
    ZSTD_CCtx *cctx = ZSTD_createCCtx();
    check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 5), "level");
    check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1), "checksum");
    check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, 15), "windowLog");
    size_t total = 0;
    unsigned char chunk[1000];
    for (size_t off = 0; off < n;) {
        size_t take = n - off < 3000 ? n - off : 3000;
        ZSTD_inBuffer in = {src + off, take, 0};
        ZSTD_EndDirective mode = off + take == n ? ZSTD_e_end : ZSTD_e_continue;
        size_t remaining;
        do {
            ZSTD_outBuffer out = {chunk, sizeof chunk, 0};
            remaining = ZSTD_compressStream2(cctx, &out, &in, mode);
            check(remaining, "compressStream2");
            memcpy(dst + total, chunk, out.pos);
            total += out.pos;
        } while (mode == ZSTD_e_end ? remaining != 0 : in.pos != in.size);
        off += take;
    }
    printf("stream: %zu bytes xxh64 %016llx\n", total, XXH64(dst, total, 0));
    ZSTD_DCtx *dctx = ZSTD_createDCtx();
    size_t got = 0;
    for (size_t off = 0; off < total;) {
        size_t take = total - off < 777 ? total - off : 777;
        ZSTD_inBuffer in = {dst + off, take, 0};
        while (in.pos < in.size) {
            ZSTD_outBuffer out = {back + got, n - got < 4096 ? n - got : 4096, 0};
            check(ZSTD_decompressStream(dctx, &out, &in), "decompressStream");
            got += out.pos;
        }
        off += take;
    }
    printf("stream roundtrip: %zu bytes %s\n", got, got == n && memcmp(src, back, n) == 0 ? "ok" : "MISMATCH");

    /* Dictionary: train on many small samples, then compress one with and without it. */
    enum { SAMPLES = 200 };
    size_t sizes[SAMPLES];
    unsigned char *samples = malloc(SAMPLES * 256);
    size_t used = 0;
    for (int i = 0; i < SAMPLES; i++) {
        int len = sprintf((char *)samples + used, "{\"id\":%d,\"name\":\"user%d\",\"score\":%u,\"tags\":[\"a%d\",\"b\"],\"active\":%s}",
                          i, i * 7 % 50, next() % 1000, i % 5, i % 3 ? "true" : "false");
        sizes[i] = (size_t)len;
        used += (size_t)len;
    }
    unsigned char dict[2048];
    size_t dsize = ZDICT_trainFromBuffer(dict, sizeof dict, samples, sizes, SAMPLES);
    check(dsize, "trainFromBuffer");
    printf("dictionary: %zu bytes id %u xxh64 %016llx\n", dsize, ZDICT_getDictID(dict, dsize), XXH64(dict, dsize, 0));
    size_t plain = ZSTD_compress(dst, cap, samples, sizes[0], 3);
    size_t withd = ZSTD_compress_usingDict(cctx, dst, cap, samples, sizes[0], dict, dsize, 3);
    check(withd, "compress_usingDict");
    size_t dd = ZSTD_decompress_usingDict(dctx, back, n, dst, withd, dict, dsize);
    check(dd, "decompress_usingDict");
    printf("sample 0: %zu bytes, plain %zu, with dictionary %zu, roundtrip %s\n", sizes[0], plain, withd,
           dd == sizes[0] && memcmp(back, samples, dd) == 0 ? "ok" : "MISMATCH");

    /* Corrupt frames must be rejected. */
    size_t c = ZSTD_compress(dst, cap, src, 5000, 3);
    dst[c / 2] ^= 0x55;
    size_t bad = ZSTD_decompress(back, n, dst, c);
    printf("corrupted frame: %s\n", ZSTD_isError(bad) ? ZSTD_getErrorName(bad) : "accepted?!");
    ZSTD_freeCCtx(cctx);
    ZSTD_freeDCtx(dctx);
    free(samples); free(src); free(dst); free(back);
    return 0;
}
