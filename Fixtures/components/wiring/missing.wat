;; Module $B imports "a" "h", which instance $a does not export: instantiation must fail with
;; the name path's error ("unknown import", naming a.h), whichever path wires it.
(component
  (core module $A
    (func (export "f") (result i32) i32.const 1))
  (core module $B
    (import "a" "f" (func (result i32)))
    (import "a" "h" (func (result i32))))
  (core instance $a (instantiate $A))
  (core instance $b (instantiate $B (with "a" (instance $a))))
)
