// A handler of the async shape Spin 3 also accepts (`spin:redis/inbound-redis@3.0.0`,
// `handle-message: async func`), lifted stackful: it returns ok through `task.return` at once.
// Only used to check that this host refuses an async handler at load. Build: ./build.sh
#include <stdint.h>
#include <stdlib.h>

__attribute__((import_module("[export]spin:redis/inbound-redis@3.0.0"), import_name("[task-return]handle-message")))
void task_return(int32_t is_err, const char *p, size_t len);

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *ptr, size_t old, size_t align, size_t new_size) {
    (void)old; (void)align;
    return realloc(ptr, new_size ? new_size : 1);
}

__attribute__((export_name("[async-lift-stackful]spin:redis/inbound-redis@3.0.0#handle-message")))
void handle_message(const uint8_t *payload, size_t len) {
    (void)payload; (void)len;
    task_return(0, 0, 0);
}
