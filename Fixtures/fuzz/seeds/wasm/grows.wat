;; memory.grow. Without a maximum it could reach 4 GiB: the "run" fuzz target skips it until the
;; engine can cap memory; grows-capped.wat declares a small maximum and is run.
(module
  (memory 1)
  (func (export "grow") (result i32) (memory.grow (i32.const 65535))))
