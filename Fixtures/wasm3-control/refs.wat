;; Typed function references through `spin wasm run --invoke`: reference results and null arguments.
(module
  (type $t (func))
  (func $f (type $t))
  (elem declare func $f)
  (func (export "nullf") (result funcref) (ref.null func))
  (func (export "f") (result (ref $t)) (ref.func $f))
  (func (export "ext") (param externref) (result externref) (local.get 0))
  (func (export "isnull") (param funcref) (result i32) (ref.is_null (local.get 0)))
)
