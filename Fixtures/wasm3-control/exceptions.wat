;; Exception handling: try_table with every catch kind, throw_ref, exceptions crossing host
;; functions in both directions, and an exported tag.
(module
  (import "host" "throwE" (func $hostThrowE (param i32)))
  (import "host" "callBack" (func $hostCallBack (param i32) (result i32)))
  (tag $e (export "e") (param i32))
  (tag $pair (param i64 f64))
  (tag $empty)

  ;; Throws $e with x when x is odd, else returns x.
  (func $maybeThrow (export "maybeThrow") (param i32) (result i32)
    (if (i32.and (local.get 0) (i32.const 1)) (then (throw $e (local.get 0))))
    (local.get 0))

  ;; catch $e: the thrown value + 1000.
  (func (export "catchValue") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call $maybeThrow (local.get 0)))
      (return))
    (i32.add (i32.const 1000)))

  ;; catch_all: -1 for any exception.
  (func (export "catchAll") (param i32) (result i32)
    (block $h
      (try_table (catch_all $h)
        (return (call $maybeThrow (local.get 0)))))
    (i32.const -1))

  ;; catch_ref, then throw_ref from an outer handler: the same exception arrives outside.
  (func (export "rethrowRef") (param i32) (result i32)
    (block $outer (result i32)
      (try_table (result i32) (catch $e $outer)
        (block $h (result i32 exnref)
          (try_table (result i32) (catch_ref $e $h)
            (call $maybeThrow (local.get 0)))
          (return))
        (throw_ref)))   ;; the exnref (the i32 under it is never used)
    (i32.const 5000)
    (i32.add))

  ;; catch_all_ref keeps the exception; throw_ref of null traps.
  (func (export "throwNull")
    (throw_ref (ref.null exn)))

  ;; Tags with other payloads; the handler's values in order.
  (func (export "pair") (result i64 f64)
    (block $h (result i64 f64)
      (try_table (catch $pair $h)
        (throw $pair (i64.const -7) (f64.const 2.5)))
      (unreachable)))

  ;; An uncaught exception leaves through the embedder.
  (func (export "uncaught") (param i32)
    (throw $e (local.get 0)))

  ;; A host function throws the guest's tag; the guest catches it.
  (func (export "catchFromHost") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h)
        (call $hostThrowE (local.get 0))
        (return (i32.const 0)))
      (unreachable))
    (i32.add (i32.const 2000)))

  ;; The host calls back into the guest ("maybeThrow"); the guest's exception crosses the host
  ;; frame and is caught here.
  (func (export "throughHost") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call $hostCallBack (local.get 0)))
      (return))
    (i32.add (i32.const 3000)))

  ;; A deep recursion unwound by one throw.
  (func $deep (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then (throw $e (i32.const 42))))
    (i32.add (call $deep (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "deep") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call $deep (local.get 0)))
      (return))
    (i32.add (i32.const 0)))

  ;; A hot loop of throws and catches: the count of caught exceptions.
  (func (export "throwLoop") (param i32) (result i32)
    (local $caught i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get 0)))
        (block $h
          (try_table (catch_all $h)
            (throw $empty)))
        (local.set $caught (i32.add (local.get $caught) (i32.const 1)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $next)))
    (local.get $caught))
)
