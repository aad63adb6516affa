;; Detection fixture: wit-bindgen 0.8-shaped names (a `fermyon:spin/config` import and the
;; inbound-http export) but no `cabi_realloc` export: loading it must name `cabi_realloc`.
(module
  (import "fermyon:spin/config" "get-config" (func (param i32 i32 i32)))
  (memory (export "memory") 1)
  (func (export "fermyon:spin/inbound-http#handle-request")
    (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
    i32.const 0))
