;; An exception nothing catches: `spin wasm run` reports it (exit 134).
(module (tag $e (param i32)) (func (export "_start") (throw $e (i32.const 7))))
