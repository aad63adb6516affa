// Imports every wasi_snapshot_preview1 function through wasi-libc's own
// declarations (wasi/api.h), so a test can compare the import signatures of
// the built module with WasmWASI's. Nothing is called at run time.
#include <wasi/api.h>

// Newer wasi-libc no longer declares proc_raise; import it by hand.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise")))
int32_t raw_proc_raise(int32_t signal);

volatile int never = 0;

int main(void) {
    if (never) {
        __wasi_iovec_t iov = {0};
        __wasi_ciovec_t ciov = {0};
        __wasi_size_t n = 0;
        __wasi_fd_t fd = 0;
        __wasi_filesize_t off = 0;
        __wasi_timestamp_t t = 0;
        __wasi_fdstat_t fdstat;
        __wasi_filestat_t filestat;
        __wasi_prestat_t prestat;
        __wasi_subscription_t sub = {0};
        __wasi_event_t ev;
        __wasi_roflags_t roflags;
        uint8_t buf[8];
        char *ptrs[1];
        __wasi_args_get((uint8_t **)ptrs, buf);
        __wasi_args_sizes_get(&n, &n);
        __wasi_environ_get((uint8_t **)ptrs, buf);
        __wasi_environ_sizes_get(&n, &n);
        __wasi_clock_res_get(0, &t);
        __wasi_clock_time_get(0, 1, &t);
        __wasi_fd_advise(0, 0, 0, 0);
        __wasi_fd_allocate(0, 0, 0);
        __wasi_fd_close(0);
        __wasi_fd_datasync(0);
        __wasi_fd_fdstat_get(0, &fdstat);
        __wasi_fd_fdstat_set_flags(0, 0);
        __wasi_fd_fdstat_set_rights(0, 0, 0);
        __wasi_fd_filestat_get(0, &filestat);
        __wasi_fd_filestat_set_size(0, 0);
        __wasi_fd_filestat_set_times(0, 0, 0, 0);
        __wasi_fd_pread(0, &iov, 1, 0, &n);
        __wasi_fd_prestat_get(0, &prestat);
        __wasi_fd_prestat_dir_name(0, buf, 8);
        __wasi_fd_pwrite(0, &ciov, 1, 0, &n);
        __wasi_fd_read(0, &iov, 1, &n);
        __wasi_fd_readdir(0, buf, 8, 0, &n);
        __wasi_fd_renumber(0, 1);
        __wasi_fd_seek(0, 0, 0, &off);
        __wasi_fd_sync(0);
        __wasi_fd_tell(0, &off);
        __wasi_fd_write(0, &ciov, 1, &n);
        __wasi_path_create_directory(3, "d");
        __wasi_path_filestat_get(3, 0, "f", &filestat);
        __wasi_path_filestat_set_times(3, 0, "f", 0, 0, 0);
        __wasi_path_link(3, 0, "a", 3, "b");
        __wasi_path_open(3, 0, "f", 0, 0, 0, 0, &fd);
        __wasi_path_readlink(3, "l", buf, 8, &n);
        __wasi_path_remove_directory(3, "d");
        __wasi_path_rename(3, "a", 3, "b");
        __wasi_path_symlink("a", 3, "b");
        __wasi_path_unlink_file(3, "f");
        __wasi_poll_oneoff(&sub, &ev, 1, &n);
        raw_proc_raise(0);
        __wasi_sched_yield();
        __wasi_random_get(buf, 8);
        __wasi_sock_accept(0, 0, &fd);
        __wasi_sock_recv(0, &iov, 1, 0, &n, &roflags);
        __wasi_sock_send(0, &ciov, 1, 0, &n);
        __wasi_sock_shutdown(0, 0);
        __wasi_proc_exit(0);
    }
    return 0;
}
