// A second wasi-libc guest: big directories (readdir cookies and cut-off
// entries), pread/pwrite, ftruncate, futimens, hard links, O_APPEND, poll on
// stdin, random bytes, clock resolution, isatty, sched_yield. Run it with the
// preopen "/sandbox" mapped to an empty directory and stdin "ping\n".
// It prints one line per step and exits with 0.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void check(const char *what, int ok) { printf("%s: %s\n", what, ok ? "ok" : strerror(errno)); }

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void) {
    // 300 files with long names: wasi-libc reads the directory in several fd_readdir calls.
    check("mkdir big", mkdir("/sandbox/big", 0755) == 0);
    char name[128];
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof name, "/sandbox/big/file-with-a-rather-long-name-%03d.txt", i);
        int fd = open(name, O_CREAT | O_WRONLY, 0644);
        if (fd < 0) { check("create", 0); return 1; }
        close(fd);
    }
    DIR *d = opendir("/sandbox/big");
    int count = 0, dots = 0;
    char *names[400];
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') { dots++; continue; }
        if (count < 400) names[count] = strdup(e->d_name);
        count++;
    }
    closedir(d);
    qsort(names, count, sizeof names[0], cmp);
    int distinct = 1;
    for (int i = 1; i < count; i++) distinct += strcmp(names[i - 1], names[i]) != 0;
    printf("readdir: %d entries, %d distinct, %d dots, first=%s last=%s\n", count, distinct, dots, names[0], names[count - 1]);

    int fd = open("/sandbox/p.bin", O_CREAT | O_RDWR, 0644);
    check("open rw", fd >= 0);
    check("pwrite", pwrite(fd, "0123456789", 10, 0) == 10);
    char buf[16] = {0};
    check("pread", pread(fd, buf, 4, 3) == 4);
    printf("pread=%s offset=%lld\n", buf, (long long)lseek(fd, 0, SEEK_CUR));
    check("ftruncate", ftruncate(fd, 4) == 0);
    struct stat st;
    fstat(fd, &st);
    printf("size after truncate=%lld\n", (long long)st.st_size);
    struct timespec times[2] = {{1000000000, 0}, {1200000000, 500}};
    check("futimens", futimens(fd, times) == 0);
    fstat(fd, &st);
    printf("mtime=%lld.%09ld\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    close(fd);

    check("link", link("/sandbox/p.bin", "/sandbox/q.bin") == 0);
    stat("/sandbox/q.bin", &st);
    printf("nlink=%d\n", (int)st.st_nlink);

    fd = open("/sandbox/q.bin", O_WRONLY | O_APPEND);
    check("open append", fd >= 0);
    check("append", write(fd, "XY", 2) == 2);
    close(fd);
    fd = open("/sandbox/p.bin", O_RDONLY);
    memset(buf, 0, sizeof buf);
    read(fd, buf, sizeof buf - 1);
    close(fd);
    printf("after append=%s\n", buf);
    check("write to read-only fd fails", write(open("/sandbox/p.bin", O_RDONLY), "x", 1) < 0);

    struct pollfd pfd = {.fd = 0, .events = POLLIN};
    int ready = poll(&pfd, 1, 1000);
    printf("poll stdin: %d %s\n", ready, (pfd.revents & POLLIN) ? "POLLIN" : "-");
    memset(buf, 0, sizeof buf);
    fgets(buf, sizeof buf, stdin);
    printf("stdin=%s", buf);

    unsigned char r1[32], r2[32];
    check("getentropy", getentropy(r1, 32) == 0 && getentropy(r2, 32) == 0 && memcmp(r1, r2, 32) != 0);
    struct timespec res;
    check("clock_getres", clock_getres(CLOCK_MONOTONIC, &res) == 0 && (res.tv_sec > 0 || res.tv_nsec > 0));
    check("realtime", clock_gettime(CLOCK_REALTIME, &res) == 0 && res.tv_sec > 1600000000);
    check("sched_yield", sched_yield() == 0);
    printf("isatty(stdout)=%d\n", isatty(1));
    check("rmdir non-empty fails", rmdir("/sandbox/big") != 0 && errno == ENOTEMPTY);
    errno = 0;
    check("open missing fails", open("/sandbox/nope", O_RDONLY) < 0 && errno == ENOENT);
    fflush(stdout);
    return 0;
}
