;; Tail calls: loops written as recursion, each call in tail position.
(module
  (type $sumT (func (param i32 i64) (result i64)))
  (import "host" "finish" (func $finish (param i32 i64) (result i64)))
  (table 2 funcref)
  (elem (i32.const 0) $sumIndirect $sumDirect)

  ;; sum(n, acc) = acc + n + (n-1) + ... + 1, by return_call.
  (func $sumDirect (export "sum") (type $sumT)
    (if (i32.eqz (local.get 0)) (then (return (local.get 1))))
    (return_call $sumDirect
      (i32.sub (local.get 0) (i32.const 1))
      (i64.add (local.get 1) (i64.extend_i32_u (local.get 0)))))

  ;; The same through the table (return_call_indirect to itself, slot 0).
  (func $sumIndirect (export "sumIndirect") (type $sumT)
    (if (i32.eqz (local.get 0)) (then (return (local.get 1))))
    (return_call_indirect (type $sumT)
      (i32.sub (local.get 0) (i32.const 1))
      (i64.add (local.get 1) (i64.extend_i32_u (local.get 0)))
      (i32.const 0)))

  ;; Mutual recursion: even/odd.
  (func $even (export "even") (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then (return (i32.const 1))))
    (return_call $odd (i32.sub (local.get 0) (i32.const 1))))
  (func $odd (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then (return (i32.const 0))))
    (return_call $even (i32.sub (local.get 0) (i32.const 1))))

  ;; Counts down, then tail-calls the host function, whose result is the caller's result.
  (func $toHost (export "toHost") (type $sumT)
    (if (i32.eqz (local.get 0)) (then (return_call $finish (local.get 0) (local.get 1))))
    (return_call $toHost (i32.sub (local.get 0) (i32.const 1)) (i64.add (local.get 1) (i64.const 2))))

  ;; The same loop with br, for comparison.
  (func (export "sumLoop") (type $sumT)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get 0)))
        (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $next)))
    (local.get 1))
)
