;; The same count-down sum as a br loop and as a return_call loop, for timing the two:
;;   spin wasm run --invoke loop tail-bench.wasm 100000000 0
;;   spin wasm run --invoke tail tail-bench.wasm 100000000 0
;; `loop-if` is the br loop written in `tail`'s shape (the exit test an `if ... return` at the top),
;; so `tail` against `loop-if` compares the back edges alone.
(module
  (func $tail (export "tail") (param i32 i64) (result i64)
    (if (i32.eqz (local.get 0)) (then (return (local.get 1))))
    (return_call $tail
      (i32.sub (local.get 0) (i32.const 1))
      (i64.add (local.get 1) (i64.extend_i32_u (local.get 0)))))
  (func (export "loop") (param i32 i64) (result i64)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get 0)))
        (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $next)))
    (local.get 1))
  (func (export "loop-if") (param i32 i64) (result i64)
    (loop $next
      (if (i32.eqz (local.get 0)) (then (return (local.get 1))))
      (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br $next))
    (unreachable))
)
