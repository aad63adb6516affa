// What fd_fdstat_get reports (file type, fdflags, base and inheriting rights)
// for stdio, the preopen, and descriptors opened through raw path_open with
// various rights and through wasi-libc's open(). Also prints what wasi-libc
// derives from those rights: fcntl(F_GETFL)'s access mode and isatty().
// Run it with the preopen "/sandbox" (fd 3) mapped to an empty directory and
// stdin, stdout and stderr not terminals. It prints one line per descriptor.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

#define ALL_RIGHTS ((__wasi_rights_t)0x3fffffff)

static void show(const char *label, int fd) {
    __wasi_fdstat_t st;
    __wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);
    if (e != 0) {
        printf("%s: fdstat errno=%d\n", label, e);
        return;
    }
    printf("%s: type=%d flags=%d base=%llu inheriting=%llu\n", label, st.fs_filetype, st.fs_flags,
           (unsigned long long)st.fs_rights_base, (unsigned long long)st.fs_rights_inheriting);
}

/// path_open beneath `dir`, then show the new descriptor; returns it (or -1).
static int raw(const char *label, int dir, const char *path, __wasi_oflags_t oflags, __wasi_rights_t base,
               __wasi_fdflags_t fdflags) {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, oflags, base, ALL_RIGHTS,
                                        fdflags, &fd);
    if (e != 0) {
        printf("%s: path_open errno=%d\n", label, e);
        return -1;
    }
    show(label, fd);
    return fd;
}

/// wasi-libc open(), then show the descriptor and fcntl's access mode.
static void libc(const char *label, const char *path, int flags) {
    int fd = open(path, flags, 0644);
    if (fd < 0) {
        printf("%s: open failed: %s\n", label, strerror(errno));
        return;
    }
    show(label, fd);
    int mode = fcntl(fd, F_GETFL) & O_ACCMODE;
    const char *name = mode == O_RDONLY ? "rdonly" : mode == O_WRONLY ? "wronly" : mode == O_RDWR ? "rdwr" : "other";
    printf("%s: F_GETFL access=%s\n", label, name);
    close(fd);
}

int main(void) {
    show("stdin", 0);
    show("stdout", 1);
    show("stderr", 2);
    show("preopen", 3);
    printf("isatty: %d %d %d\n", isatty(0), isatty(1), isatty(2));

    int fd;
    fd = raw("raw create all", 3, "f.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, ALL_RIGHTS, 0);
    close(fd);
    fd = raw("raw read", 3, "f.txt", 0, __WASI_RIGHTS_FD_READ, 0);
    close(fd);
    fd = raw("raw read seek tell", 3, "f.txt", 0,
             __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET, 0);
    close(fd);
    fd = raw("raw write", 3, "f.txt", 0, __WASI_RIGHTS_FD_WRITE, 0);
    close(fd);
    fd = raw("raw read write", 3, "f.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0);
    close(fd);
    fd = raw("raw no rights", 3, "f.txt", 0, 0, 0);
    close(fd);
    fd = raw("raw append", 3, "f.txt", 0, __WASI_RIGHTS_FD_WRITE, __WASI_FDFLAGS_APPEND);
    close(fd);
    fd = raw("raw nonblock", 3, "f.txt", 0, __WASI_RIGHTS_FD_READ, __WASI_FDFLAGS_NONBLOCK);
    close(fd);

    __wasi_path_create_directory(3, "d");
    // Without fd_write: wasmtime refuses to open a directory for writing (EISDIR).
    int dir = raw("raw directory all but write", 3, "d", __WASI_OFLAGS_DIRECTORY,
                  ALL_RIGHTS & ~__WASI_RIGHTS_FD_WRITE, 0);
    fd = raw("raw file beneath directory", dir, "g.txt", __WASI_OFLAGS_CREAT, ALL_RIGHTS, 0);
    close(fd);
    close(dir);
    fd = raw("raw directory readdir", 3, "d", __WASI_OFLAGS_DIRECTORY,
             __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_OPEN, 0);
    close(fd);
    fd = raw("raw directory no rights", 3, "d", __WASI_OFLAGS_DIRECTORY, 0, 0);
    close(fd);
    fd = raw("raw dot", 3, ".", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR, 0);
    close(fd);

    libc("libc rdonly", "/sandbox/f.txt", O_RDONLY);
    libc("libc wronly", "/sandbox/f.txt", O_WRONLY);
    libc("libc rdwr", "/sandbox/f.txt", O_RDWR);
    libc("libc append", "/sandbox/f.txt", O_WRONLY | O_APPEND);
    libc("libc creat", "/sandbox/h.txt", O_WRONLY | O_CREAT | O_TRUNC);
    libc("libc directory", "/sandbox/d", O_RDONLY | O_DIRECTORY);
    libc("libc file beneath directory", "/sandbox/d/g.txt", O_RDONLY);
    return 0;
}
