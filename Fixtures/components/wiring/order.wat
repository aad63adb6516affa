;; Imports in another order than the exports they come from: `run` returns g()*10 + f() = 21
;; only when "f" and "g" reach the right functions (a wiring that mixed positions gives 12).
(component
  (core module $A
    (func (export "f") (result i32) i32.const 1)
    (func (export "unused") (result i32) i32.const 7)
    (func (export "g") (result i32) i32.const 2)
    (global (export "base") i32 (i32.const 100))
    (memory (export "mem") 1))
  (core module $B
    (import "a" "g" (func $g (result i32)))
    (import "a" "base" (global $base i32))
    (import "a" "f" (func $f (result i32)))
    (import "a" "mem" (memory 1))
    (func (export "run") (result i32)
      (i32.store (i32.const 0) (global.get $base))
      (i32.add (i32.mul (call $g) (i32.const 10)) (call $f))))
  (core instance $a (instantiate $A))
  (core instance $b (instantiate $B (with "a" (instance $a))))
  (core func $run (alias core export $b "run"))
  (func (export "run") (result u32) (canon lift (core func $run)))
)
