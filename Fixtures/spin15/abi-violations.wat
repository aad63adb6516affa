;; ABI fixture: a preview2 HTTP handler that breaks the canonical ABI on purpose, by method:
;;   GET   a response header name pointing past the end of memory
;;   POST  a response header name that is not UTF-8 (bytes ff fe)
;;   PUT   a valid response: 200 with header `x-ok: x-ok` and no body
;; and a `cabi_realloc` (a bump allocator) that answers a pointer past the end of memory when
;; asked for exactly 7777 bytes. Each violation must trap, not crash or answer garbage.
(module
  (memory (export "memory") 1)
  (global $next (mut i32) (i32.const 1024))
  (data (i32.const 16) "\ff\fe")
  (data (i32.const 32) "x-ok")
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
    (local $p i32)
    (if (i32.eq (local.get 3) (i32.const 7777)) (then (return (i32.const 0x7fff0000))))
    (local.set $p
      (i32.and
        (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get 2))))
    (global.set $next (i32.add (local.get $p) (local.get 3)))
    (local.get $p))
  ;; The response area is at 64: status @0, headers option @4 (list @8/@12), body option @16.
  (func (export "fermyon:spin/inbound-http#handle-request")
    (param $method i32) (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
    (local $name i32) (local $len i32)
    (local.set $name (i32.const 32))
    (local.set $len (i32.const 4))
    (if (i32.eqz (local.get $method)) (then (local.set $name (i32.const 0x7fff0000))))
    (if (i32.eq (local.get $method) (i32.const 1))
      (then (local.set $name (i32.const 16)) (local.set $len (i32.const 2))))
    (i32.store16 (i32.const 64) (i32.const 200))
    (i32.store8 (i32.const 68) (i32.const 1))
    (i32.store (i32.const 72) (i32.const 96))
    (i32.store (i32.const 76) (i32.const 1))
    (i32.store (i32.const 96) (local.get $name))
    (i32.store (i32.const 100) (local.get $len))
    (i32.store (i32.const 104) (i32.const 32))
    (i32.store (i32.const 108) (i32.const 4))
    (i32.store8 (i32.const 80) (i32.const 0))
    (i32.const 64)))
