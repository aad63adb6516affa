;; A guest that leaves secrets behind (in linear memory, grown memory and locals) and
;; one that looks for them: GuestIsolationTests runs them in successive instances,
;; which share pooled memory reservations and execution stacks.
(module
  (memory (export "memory") 1 200)
  (func (export "grow") (param $pages i32) (result i32)
    (memory.grow (local.get $pages)))
  (func (export "store") (param $addr i32) (param $value i64)
    (i64.store (local.get $addr) (local.get $value)))
  (func (export "load") (param $addr i32) (result i64)
    (i64.load (local.get $addr)))
  ;; Sets eight locals to $value and calls itself $depth times, to dirty many stack slots.
  (func $dirty (export "dirty_locals") (param $value i64) (param $depth i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64)
    (local.set 2 (local.get $value)) (local.set 3 (local.get $value))
    (local.set 4 (local.get $value)) (local.set 5 (local.get $value))
    (local.set 6 (local.get $value)) (local.set 7 (local.get $value))
    (local.set 8 (local.get $value)) (local.set 9 (local.get $value))
    (if (local.get $depth)
      (then (call $dirty (local.get $value) (i32.sub (local.get $depth) (i32.const 1))))))
  ;; The OR of eight never-assigned locals (zero by the spec) of this frame and $depth callees.
  (func $fresh (export "fresh_locals") (param $depth i32) (result i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64)
    (i64.or
      (i64.or
        (i64.or (i64.or (local.get 1) (local.get 2)) (i64.or (local.get 3) (local.get 4)))
        (i64.or (i64.or (local.get 5) (local.get 6)) (i64.or (local.get 7) (local.get 8))))
      (if (result i64) (local.get $depth)
        (then (call $fresh (i32.sub (local.get $depth) (i32.const 1))))
        (else (i64.const 0)))))
)
