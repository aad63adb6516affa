;; memory.grow within a declared maximum of 4 pages: the "run" fuzz target runs it.
(module
  (memory 1 4)
  (func (export "grow") (result i32) (memory.grow (i32.const 3)))
  (func (export "fill") (memory.fill (i32.const 0) (i32.const 7) (i32.const 262144))))
