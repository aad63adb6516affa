;; start-loop: a Spin HTTP module whose start function never returns, so the
;; request deadline must cover instantiation. It never reaches its handler.
(module
  (memory (export "memory") 1)
  (func $spin (loop $forever (br $forever)))
  (start $spin)
  (func (export "canonical_abi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 1024))
  (func (export "canonical_abi_free") (param i32 i32 i32))
  (func (export "handle-http-request")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
    (unreachable)))
