;; {{project-name}}: a Spin HTTP component written by hand in WebAssembly text.
;;
;; Every request gets 200, `foo: bar`, `content-type: text/plain` and the
;; body "Hello, Fermyon".
;;
;; The Spin 1.x HTTP ABI (wit-bindgen 0.2 canonical ABI) asks for three exports:
;;   handle-http-request(method, uri_ptr, uri_len, headers_ptr, headers_len,
;;                       params_ptr, params_len, body_tag, body_ptr, body_len) -> response_ptr
;;   canonical_abi_realloc(old_ptr, old_len, align, new_len) -> ptr
;;   canonical_abi_free(ptr, len, align)
;; The host copies the request into memory it gets from canonical_abi_realloc,
;; and after the call copies the response out and calls canonical_abi_free on
;; every string/list it points to.
;;
;; Memory is a bump allocator: Spin makes a fresh instance for every request,
;; so nothing is ever freed.
(module
  (memory (export "memory") 1)

  ;; Response strings.
  (data (i32.const 16) "foo")             ;; 16..19
  (data (i32.const 19) "bar")             ;; 19..22
  (data (i32.const 22) "content-type")    ;; 22..34
  (data (i32.const 34) "text/plain")      ;; 34..44
  (data (i32.const 48) "Hello, Fermyon")  ;; 48..62

  ;; 64..96: two headers of 16 bytes {name_ptr, name_len, value_ptr, value_len}
  ;; 96..124: the 28-byte response record the export returns
  (global $heap (mut i32) (i32.const 1024))

  (func $realloc (export "canonical_abi_realloc")
    (param $old i32) (param $old_len i32) (param $align i32) (param $new_len i32) (result i32)
    (local $ptr i32) (local $end i32) (local $i i32)
    (if (i32.eqz (local.get $new_len)) (then (return (local.get $align))))
    ;; ptr = heap rounded up to align
    (local.set $ptr
      (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    (local.set $end (i32.add (local.get $ptr) (local.get $new_len)))
    ;; grow memory when the block does not fit
    (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
      (then
        (if (i32.eq
              (memory.grow
                (i32.sub
                  (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16))
                  (memory.size)))
              (i32.const -1))
          (then unreachable))))
    (global.set $heap (local.get $end))
    ;; realloc of an existing block: copy min(old_len, new_len) bytes
    (if (i32.gt_u (local.get $old_len) (local.get $new_len))
      (then (local.set $old_len (local.get $new_len))))
    (block $done
      (loop $copy
        (br_if $done (i32.ge_u (local.get $i) (local.get $old_len)))
        (i32.store8
          (i32.add (local.get $ptr) (local.get $i))
          (i32.load8_u (i32.add (local.get $old) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy)))
    (local.get $ptr))

  (func (export "canonical_abi_free") (param $ptr i32) (param $len i32) (param $align i32)
    ;; bump allocator: nothing to do
    )

  (func (export "handle-http-request")
    (param $method i32) (param $uri_ptr i32) (param $uri_len i32)
    (param $headers_ptr i32) (param $headers_len i32)
    (param $params_ptr i32) (param $params_len i32)
    (param $body_tag i32) (param $body_ptr i32) (param $body_len i32)
    (result i32)
    ;; headers[0] = ("foo", "bar")
    (i32.store (i32.const 64) (i32.const 16))
    (i32.store (i32.const 68) (i32.const 3))
    (i32.store (i32.const 72) (i32.const 19))
    (i32.store (i32.const 76) (i32.const 3))
    ;; headers[1] = ("content-type", "text/plain")
    (i32.store (i32.const 80) (i32.const 22))
    (i32.store (i32.const 84) (i32.const 12))
    (i32.store (i32.const 88) (i32.const 34))
    (i32.store (i32.const 92) (i32.const 10))
    ;; response { status: 200, headers: some(64, 2), body: some(48, 14) }
    (i32.store16 (i32.const 96) (i32.const 200))
    (i32.store8 (i32.const 100) (i32.const 1))
    (i32.store (i32.const 104) (i32.const 64))
    (i32.store (i32.const 108) (i32.const 2))
    (i32.store8 (i32.const 112) (i32.const 1))
    (i32.store (i32.const 116) (i32.const 48))
    (i32.store (i32.const 120) (i32.const 14))
    (i32.const 96))
)
