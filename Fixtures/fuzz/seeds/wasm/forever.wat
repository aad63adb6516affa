;; Never returns on its own: the "run" fuzz target's deadline must stop each export.
(module
  (import "env" "tick" (func $tick (param i32) (result i32)))
  (func (export "spin") (loop $l (br $l)))
  (func $recurse (export "recurse") (param i32) (result i32)
    (call $recurse (i32.add (local.get 0) (i32.const 1))))
  (func (export "calls_host") (loop $l (drop (call $tick (i32.const 1))) (br $l)))
)
