// fd_filestat_set_times and path_filestat_set_times: each fst_flags
// combination, invalid ones, files open for reading, writing or both,
// directories, wasi-libc's futimens, and symbolic links followed or not; each
// time read back through fd_filestat_get and path_filestat_get. Run it with
// the preopen "/sandbox" (fd 3) mapped to an empty directory. It prints one
// line per step; times set to "now" are printed as whether they changed, so
// the output does not depend on the clock.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#define ALL_RIGHTS ((__wasi_rights_t)0x3fffffff)
#define SEC 1000000000ull
#define ATIM __WASI_FSTFLAGS_ATIM
#define ATIM_NOW __WASI_FSTFLAGS_ATIM_NOW
#define MTIM __WASI_FSTFLAGS_MTIM
#define MTIM_NOW __WASI_FSTFLAGS_MTIM_NOW

static const __wasi_timestamp_t t1 = 1500000000 * SEC + 123456789;
static const __wasi_timestamp_t t2 = 1600000000 * SEC + 987654321;
static const __wasi_timestamp_t t3 = 1400000000 * SEC + 5;
static const __wasi_timestamp_t t4 = 1300000000 * SEC + 7;

/// The (atim, mtim) of `path` beneath the preopen; zeros when it cannot be read.
static __wasi_filestat_t at(const char *path, int follow) {
    __wasi_filestat_t st = {0};
    __wasi_path_filestat_get(3, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, &st);
    return st;
}

static void show(const char *label, const char *path, int follow, __wasi_errno_t e) {
    __wasi_filestat_t st = at(path, follow);
    printf("%s: errno=%d atim=%llu mtim=%llu\n", label, e, (unsigned long long)st.atim, (unsigned long long)st.mtim);
}

static int open_raw(const char *path, __wasi_oflags_t oflags, __wasi_rights_t base) {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, oflags, base, ALL_RIGHTS, 0, &fd);
    if (e != 0) {
        printf("open %s: errno=%d\n", path, e);
        return -1;
    }
    return fd;
}

int main(void) {
    int fd = open_raw("t.txt", __WASI_OFLAGS_CREAT, ALL_RIGHTS);
    __wasi_errno_t e;

    // Through the descriptor.
    e = __wasi_fd_filestat_set_times(fd, t1, t2, ATIM | MTIM);
    __wasi_filestat_t fs = {0};
    __wasi_fd_filestat_get(fd, &fs);
    printf("fd atim+mtim: errno=%d fd_filestat atim=%llu mtim=%llu\n", e, (unsigned long long)fs.atim,
           (unsigned long long)fs.mtim);
    show("fd atim+mtim", "t.txt", 1, e);
    show("fd mtim only", "t.txt", 1, __wasi_fd_filestat_set_times(fd, 0, t3, MTIM));
    show("fd atim only", "t.txt", 1, __wasi_fd_filestat_set_times(fd, t4, 0, ATIM));
    show("fd no flags", "t.txt", 1, __wasi_fd_filestat_set_times(fd, t1, t1, 0));
    e = __wasi_fd_filestat_set_times(fd, 0, 0, MTIM_NOW);
    fs = at("t.txt", 1);
    printf("fd mtim now: errno=%d atim kept=%d mtim changed=%d\n", e, fs.atim == t4, fs.mtim != t3);
    e = __wasi_fd_filestat_set_times(fd, 0, 0, ATIM_NOW);
    fs = at("t.txt", 1);
    printf("fd atim now: errno=%d atim changed=%d\n", e, fs.atim != t4);
    __wasi_fd_filestat_set_times(fd, t1, t2, ATIM | MTIM);
    show("fd atim and atim now", "t.txt", 1, __wasi_fd_filestat_set_times(fd, t3, t3, ATIM | ATIM_NOW));
    show("fd mtim and mtim now", "t.txt", 1, __wasi_fd_filestat_set_times(fd, t3, t3, MTIM | MTIM_NOW));
    show("fd bad descriptor", "t.txt", 1, __wasi_fd_filestat_set_times(99, t3, t3, MTIM));
    show("fd bad descriptor and flags", "t.txt", 1, __wasi_fd_filestat_set_times(99, t3, t3, MTIM | MTIM_NOW));
    close(fd);

    fd = open_raw("t.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES);
    show("fd read-only", "t.txt", 1, __wasi_fd_filestat_set_times(fd, t3, t3, ATIM | MTIM));
    close(fd);
    fd = open_raw("t.txt", 0, __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES);
    show("fd write-only", "t.txt", 1, __wasi_fd_filestat_set_times(fd, t1, t2, ATIM | MTIM));
    close(fd);

    __wasi_path_create_directory(3, "d");
    fd = open_raw("d", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES);
    show("fd directory", "d", 1, __wasi_fd_filestat_set_times(fd, t1, t2, ATIM | MTIM));
    close(fd);

    // wasi-libc's futimens: UTIME_OMIT keeps a time, UTIME_NOW sets it to now.
    fd = open("/sandbox/t.txt", O_RDWR);
    struct timespec ts[2] = {{0, UTIME_OMIT}, {1234567890, 42}};
    show("futimens omit atim", "t.txt", 1, futimens(fd, ts) == 0 ? 0 : -1);
    ts[0].tv_nsec = UTIME_NOW;
    ts[1].tv_nsec = UTIME_OMIT;
    e = futimens(fd, ts) == 0 ? 0 : -1;
    fs = at("t.txt", 1);
    printf("futimens now atim: result=%d atim changed=%d mtim kept=%d\n", e, fs.atim != t1,
           fs.mtim == 1234567890 * SEC + 42);
    close(fd);

    // Through a path.
    show("path atim+mtim", "t.txt", 1, __wasi_path_filestat_set_times(3, 1, "t.txt", t1, t2, ATIM | MTIM));
    show("path mtim only", "t.txt", 1, __wasi_path_filestat_set_times(3, 1, "t.txt", 0, t3, MTIM));
    e = __wasi_path_filestat_set_times(3, 1, "t.txt", 0, 0, MTIM_NOW | ATIM_NOW);
    fs = at("t.txt", 1);
    printf("path both now: errno=%d atim changed=%d mtim changed=%d\n", e, fs.atim != t1, fs.mtim != t3);
    show("path directory", "d", 1, __wasi_path_filestat_set_times(3, 1, "d", t3, t4, ATIM | MTIM));
    show("path dot", ".", 1, __wasi_path_filestat_set_times(3, 1, ".", t1, t2, ATIM | MTIM));
    __wasi_path_filestat_set_times(3, 1, "t.txt", t3, t4, ATIM | MTIM);
    show("path atim and atim now", "t.txt", 1, __wasi_path_filestat_set_times(3, 1, "t.txt", t1, t1, ATIM | ATIM_NOW));
    printf("path missing: errno=%d\n", __wasi_path_filestat_set_times(3, 1, "missing", t1, t1, MTIM));
    printf("path missing and bad flags: errno=%d\n",
           __wasi_path_filestat_set_times(3, 1, "missing", t1, t1, MTIM | MTIM_NOW));
    printf("path bad descriptor: errno=%d\n", __wasi_path_filestat_set_times(99, 1, "t.txt", t1, t1, MTIM));
    printf("path bad descriptor and flags: errno=%d\n",
           __wasi_path_filestat_set_times(99, 1, "t.txt", t1, t1, MTIM | MTIM_NOW));

    // Symbolic links: followed, the target changes; not followed, the link itself.
    __wasi_path_filestat_set_times(3, 1, "t.txt", t1, t2, ATIM | MTIM);
    __wasi_path_symlink("t.txt", 3, "l");
    show("path link followed: target", "t.txt", 1, __wasi_path_filestat_set_times(3, 1, "l", t3, t4, ATIM | MTIM));
    show("path link not followed: link", "l", 0, __wasi_path_filestat_set_times(3, 0, "l", t1, t2, ATIM | MTIM));
    show("path link not followed: target", "t.txt", 1, 0);
    return 0;
}
