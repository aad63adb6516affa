// A wasi-libc guest that exercises args, environ, files, directories, links,
// clocks, stdin and the sandbox through ordinary libc calls. Run it with the
// preopen "/sandbox" mapped to an empty directory whose sibling "outside"
// holds "secret.txt", stdin "from stdin\n", args ["fs.wasm", "arg1"] and
// GREETING=hi. It prints one line per step and exits with 3.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void check(const char *what, int ok) { printf("%s: %s\n", what, ok ? "ok" : strerror(errno)); }

static const char *refused(int fd) { return fd < 0 ? "refused" : "LEAKED"; }

int main(int argc, char **argv) {
    const char *greeting = getenv("GREETING");
    printf("argc=%d argv1=%s env=%s\n", argc, argc > 1 ? argv[1] : "-", greeting ? greeting : "-");

    FILE *f = fopen("/sandbox/out.txt", "w");
    check("fopen w", f != NULL);
    if (!f) return 1;
    fprintf(f, "line one\nline two\n");
    fclose(f);

    char buf[64] = {0};
    f = fopen("/sandbox/out.txt", "r");
    check("fopen r", f != NULL);
    if (!f) return 1;
    fseek(f, 5, SEEK_SET);
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    printf("read %zu: %s", got, buf);

    struct stat st;
    check("stat", stat("/sandbox/out.txt", &st) == 0);
    printf("size=%lld regular=%d\n", (long long)st.st_size, S_ISREG(st.st_mode));

    check("mkdir", mkdir("/sandbox/dir", 0755) == 0);
    check("rename", rename("/sandbox/out.txt", "/sandbox/dir/moved.txt") == 0);
    check("symlink", symlink("dir/moved.txt", "/sandbox/link") == 0);
    char target[64] = {0};
    ssize_t n = readlink("/sandbox/link", target, sizeof target - 1);
    printf("readlink=%s\n", n > 0 ? target : "?");
    check("stat via link", stat("/sandbox/link", &st) == 0 && st.st_size == 18);

    DIR *d = opendir("/sandbox/dir");
    check("opendir", d != NULL);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') printf("entry=%s\n", e->d_name);
    if (d) closedir(d);

    printf("escape dotdot: %s\n", refused(open("/sandbox/../outside/secret.txt", O_RDONLY)));
    printf("escape absolute: %s\n", refused(open("/etc/passwd", O_RDONLY)));
    symlink("../outside/secret.txt", "/sandbox/evil");
    printf("escape symlink: %s\n", refused(open("/sandbox/evil", O_RDONLY)));

    check("unlink link", unlink("/sandbox/link") == 0);
    check("unlink evil", unlink("/sandbox/evil") == 0);
    check("unlink file", unlink("/sandbox/dir/moved.txt") == 0);
    check("rmdir", rmdir("/sandbox/dir") == 0);

    struct timespec t1, t2, req = {0, 10 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &t1);
    nanosleep(&req, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t2);
    long long ms = (t2.tv_sec - t1.tv_sec) * 1000LL + (t2.tv_nsec - t1.tv_nsec) / 1000000;
    printf("slept>=10ms: %s\n", ms >= 10 ? "yes" : "no");

    char in[64] = {0};
    if (fgets(in, sizeof in, stdin)) printf("stdin=%s", in);
    fflush(stdout);
    return 3;
}
