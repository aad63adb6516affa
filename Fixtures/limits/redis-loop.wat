;; redis-loop: a Spin Redis component whose handler never returns, so the
;; per-message deadline must stop it.
(module
  (memory (export "memory") 1)
  (func (export "canonical_abi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 1024))
  (func (export "canonical_abi_free") (param i32 i32 i32))
  (func (export "handle-redis-message") (param i32 i32) (result i32)
    (loop $forever (br $forever))
    (i32.const 0)))
