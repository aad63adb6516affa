;; v128 values across the engine's boundaries (Tests/WasmCoreTests/SIMDEngineTests.swift):
;; parameters, results, calls, multi-value returns, locals, globals, host functions,
;; select, blocks and branches, memory, and the shadow slots of the value stack.
(module
  (import "host" "swap" (func $swap (param v128) (result v128)))
  (memory (export "memory") 1)
  (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
  (global $k (export "k") v128 (v128.const i64x2 -1 7))

  ;; Identity through a Wasm call: arguments and results in the caller's slots.
  (func $id (param v128) (result v128) (local.get 0))
  (func (export "add_via_call") (param v128 v128) (result v128)
    (i32x4.add (call $id (local.get 0)) (call $id (local.get 1))))

  ;; Mixed multi-value results.
  (func $pair (param i32 v128) (result v128 i32 v128)
    (local.get 1) (local.get 0) (i8x16.splat (local.get 0)))
  (func (export "pair") (param i32 v128) (result v128 i32 v128)
    (call $pair (local.get 0) (local.get 1)))

  ;; A declared v128 local starts at zero even when the stack below held a vector.
  (func $dirty (result v128) (local v128)
    (local.set 0 (v128.const i32x4 -1 -1 -1 -1)) (local.get 0))
  (func $clean (result v128) (local v128) (local.get 0))
  (func (export "fresh_local") (result v128)
    (drop (call $dirty)) (call $clean))

  ;; Globals.
  (func (export "bump_global") (param v128) (result v128)
    (global.set $g (i32x4.add (global.get $g) (local.get 0))) (global.get $g))

  ;; A host function taking and returning a v128.
  (func (export "via_host") (param v128) (result v128) (call $swap (local.get 0)))

  ;; select and branches carrying vectors.
  (func (export "pick") (param v128 v128 i32) (result v128)
    (select (local.get 0) (local.get 1) (local.get 2)))
  (func (export "branch") (param v128 i32) (result v128)
    (block (result v128)
      (br_if 0 (local.get 0) (local.get 1))
      (drop)
      (v128.const i64x2 5 6)))

  ;; A loop summing i32 lanes of memory four at a time.
  (func (export "sum") (param $p i32) (param $n i32) (result i32) (local $acc v128)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32x4.add (local.get $acc) (v128.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
      (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))

  ;; Out-of-bounds vector access traps.
  (func (export "load_at") (param i32) (result v128) (v128.load offset=1 (local.get 0)))
)
