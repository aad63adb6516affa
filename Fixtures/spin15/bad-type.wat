;; Detection fixture: the inbound-http export with the wrong core type (the request not
;; flattened: one pointer instead of 10 values): loading it must name the export and both types.
(module
  (memory (export "memory") 1)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 8)
  (func (export "fermyon:spin/inbound-http#handle-request") (param i32) (result i32)
    i32.const 0))
