;; An inline `exports` bag that swaps the names: "f" is A's g and "g" is A's f, so `run`
;; returns f()*10 + g() = 2*10 + 1 = 21 through the bag (12 if the bag's names were ignored).
;; The second argument "b" is a bag too, built from an alias of the first instance.
(component
  (core module $A
    (func (export "f") (result i32) i32.const 1)
    (func (export "g") (result i32) i32.const 2))
  (core module $B
    (import "bag" "f" (func $f (result i32)))
    (import "bag" "g" (func $g (result i32)))
    (import "other" "h" (func $h (result i32)))
    (func (export "run") (result i32)
      (i32.add (i32.add (i32.mul (call $f) (i32.const 10)) (call $g)) (i32.mul (call $h) (i32.const 0)))))
  (core instance $a (instantiate $A))
  (core func $af (alias core export $a "f"))
  (core func $ag (alias core export $a "g"))
  (core instance $bag (export "g" (func $af)) (export "f" (func $ag)))
  (core instance $other (export "h" (func $af)))
  (core instance $b (instantiate $B (with "bag" (instance $bag)) (with "other" (instance $other))))
  (core func $run (alias core export $b "run"))
  (func (export "run") (result u32) (canon lift (core func $run)))
)
