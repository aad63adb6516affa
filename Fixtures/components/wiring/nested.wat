;; Module index spaces that are not just the module sections:
;; - a nested component reaches $A and $B by outer aliases and wires them itself;
;; - the outer component exports module $B (which adds it to its module index space again)
;;   and instantiates that copy;
;; - the nested component exports its own module $C; the outer component takes it by
;;   `alias export` (a module linking cannot know) and instantiates it, so the indices of
;;   everything after it must still line up.
;; `run` = 100 * outer copy of $B (21) + 10000 * $C (3) = 32100; `inner-run` (the nested
;; instance's `run`, re-exported) = g*10+f = 21. (The outer component's own core code does not
;; call its child: the Canonical ABI's `call_might_be_recursive` traps a parent entering its child.)
(component $outer
  (core module $A
    (func (export "f") (result i32) i32.const 1)
    (func (export "g") (result i32) i32.const 2))
  (core module $B
    (import "a" "g" (func $g (result i32)))
    (import "a" "f" (func $f (result i32)))
    (func (export "run") (result i32) (i32.add (i32.mul (call $g) (i32.const 10)) (call $f))))
  (component $inner
    (alias outer $outer $A (core module $A2))
    (alias outer $outer $B (core module $B2))
    (core module $C
      (import "x" "g" (func $g (result i32)))
      (func (export "three") (result i32) (i32.add (call $g) (i32.const 1))))
    (core instance $a (instantiate $A2))
    (core instance $b (instantiate $B2 (with "a" (instance $a))))
    (core func $run (alias core export $b "run"))
    (func (export "run") (result u32) (canon lift (core func $run)))
    (export "c" (core module $C)))
  (export $Bcopy "b-module" (core module $B))
  (instance $i (instantiate $inner))
  (alias export $i "c" (core module $C))
  (core instance $a (instantiate $A))
  (core instance $b (instantiate $Bcopy (with "a" (instance $a))))
  (core instance $c (instantiate $C (with "x" (instance $a))))
  (alias export $i "run" (func $inner-run))
  (core module $Sum
    (import "b" "run" (func $b (result i32)))
    (import "c" "three" (func $c (result i32)))
    (func (export "sum") (result i32)
      (i32.add (i32.mul (call $b) (i32.const 100)) (i32.mul (call $c) (i32.const 10000)))))
  (core instance $sum (instantiate $Sum (with "b" (instance $b)) (with "c" (instance $c))))
  (core func $sum (alias core export $sum "sum"))
  (func (export "run") (result u32) (canon lift (core func $sum)))
  (export "inner-run" (func $inner-run))
)
