import Testing
import WasmCore

/// These tests pin Wasm 2.0's rules: modules decode with every Wasm 3.0 feature off.
private func decodeWasm2(_ bytes: [UInt8]) throws(DecodeError) -> ModuleInfo {
    try ModuleDecoder.decode(bytes, features: .wasm2)
}

private func validate(_ bytes: [UInt8]) throws -> ModuleContext {
    try ModuleValidator.validate(try decodeWasm2(bytes))
}

private func validationMessage(_ bytes: [UInt8]) -> String? {
    do {
        let info = try decodeWasm2(bytes)
        _ = try ModuleValidator.validate(info)
        return nil
    } catch let error as ValidationError {
        return error.message
    } catch {
        return "malformed: \(error)"
    }
}

private let emptyType = Wasm.section(1, Wasm.vec([Wasm.funcType()]))

@Suite("ModuleValidator")
struct ModuleValidatorTests {
    @Test func contextIndexSpaces() throws {
        let bytes = Wasm.module(
            Wasm.section(1, Wasm.vec([Wasm.funcType(), Wasm.funcType([Wasm.i32])])),
            Wasm.section(
                2,
                Wasm.vec([
                    Wasm.name("m") + Wasm.name("f") + [0x00, 0x01],
                    Wasm.name("m") + Wasm.name("g") + [0x03, Wasm.i32, 0x00],
                    Wasm.name("m") + Wasm.name("t") + [0x01, Wasm.externref, 0x00, 0x00],
                ])),
            Wasm.section(3, Wasm.vec([[0x00]])),
            Wasm.section(4, Wasm.vec([[Wasm.funcref, 0x00, 0x01]])),
            Wasm.section(5, Wasm.vec([[0x00, 0x01]])),
            Wasm.section(
                6, Wasm.vec([[Wasm.i32, 0x01, 0x23, 0x00, Wasm.end], [Wasm.funcref, 0x00, 0xD2, 0x00, Wasm.end]])),
            Wasm.section(7, Wasm.vec([Wasm.name("f1") + [0x00, 0x01]])),
            Wasm.section(8, [0x01]),
            Wasm.section(9, Wasm.vec([[0x01, 0x00] + Wasm.vec([[0x01]]), [0x05, Wasm.externref, 0x00]])),
            Wasm.section(12, [0x01]),
            Wasm.section(10, Wasm.vec([Wasm.body([Wasm.end])])),
            Wasm.section(11, Wasm.vec([[0x01, 0x00]])))
        let c = try validate(bytes)
        #expect(c.types.count == 2)
        #expect(c.functionTypeIndices == [1, 0])
        #expect(c.tables.map(\.elementType) == [.externref, .funcref])
        #expect(c.memories.count == 1)
        #expect(
            c.globals == [
                GlobalType(valueType: .i32, isMutable: false), GlobalType(valueType: .i32, isMutable: true),
                GlobalType(valueType: .funcref, isMutable: false),
            ])
        #expect(c.elementTypes == [.funcref, .externref])
        #expect(c.dataCount == 1)
        // Function 0 (global init), 1 (export and element); the start function does not count.
        #expect(c.declaredFunctionReferences == [0, 1])
    }

    @Test func unknownType() {
        #expect(
            validationMessage(
                Wasm.module(Wasm.section(3, Wasm.vec([[0x00]])), Wasm.section(10, Wasm.vec([Wasm.body([Wasm.end])]))))
                == "unknown type 0")
        #expect(
            validationMessage(Wasm.module(Wasm.section(2, Wasm.vec([Wasm.name("a") + Wasm.name("b") + [0x00, 0x05]]))))
                == "unknown type 5")
    }

    @Test func limits() {
        #expect(
            validationMessage(Wasm.module(Wasm.section(5, Wasm.vec([[0x01, 0x02, 0x01]]))))
                == "size minimum must not be greater than maximum")
        #expect(
            validationMessage(Wasm.module(Wasm.section(5, Wasm.vec([[0x00] + Wasm.u32(65537)]))))
                == "memory size must be at most 65536 pages (4GiB)")
        #expect(
            validationMessage(Wasm.module(Wasm.section(5, Wasm.vec([[0x01, 0x00] + Wasm.u32(65537)]))))
                == "memory size must be at most 65536 pages (4GiB)")
        #expect(validationMessage(Wasm.module(Wasm.section(5, Wasm.vec([[0x00] + Wasm.u32(65536)])))) == nil)
        #expect(
            validationMessage(Wasm.module(Wasm.section(4, Wasm.vec([[Wasm.funcref, 0x01, 0x05, 0x04]]))))
                == "size minimum must not be greater than maximum")
        #expect(
            validationMessage(Wasm.module(Wasm.section(4, Wasm.vec([[Wasm.funcref, 0x00] + Wasm.u32(UInt32.max)]))))
                == nil)
    }

    @Test func multipleMemories() {
        #expect(
            validationMessage(Wasm.module(Wasm.section(5, Wasm.vec([[0x00, 0x00], [0x00, 0x00]]))))
                == "multiple memories: multi-memory support is not enabled")
        #expect(
            validationMessage(
                Wasm.module(
                    Wasm.section(2, Wasm.vec([Wasm.name("a") + Wasm.name("b") + [0x02, 0x00, 0x00]])),
                    Wasm.section(5, Wasm.vec([[0x00, 0x00]])))) == "multiple memories: multi-memory support is not enabled")
        // Several tables are fine in Wasm 2.0.
        #expect(
            validationMessage(
                Wasm.module(Wasm.section(4, Wasm.vec([[Wasm.funcref, 0x00, 0x00], [Wasm.externref, 0x00, 0x00]]))))
                == nil)
    }

    @Test func globalInitializers() {
        func global(_ type: UInt8, _ expr: [UInt8], imports: [[UInt8]] = []) -> String? {
            validationMessage(
                Wasm.module(
                    Wasm.section(2, Wasm.vec(imports)), Wasm.section(6, Wasm.vec([[type, 0x00] + expr + [Wasm.end]]))))
        }
        #expect(global(Wasm.i32, [0x41, 0x00]) == nil)
        #expect(global(Wasm.i64, [0x41, 0x00]) == "type mismatch")
        #expect(global(Wasm.i32, []) == "type mismatch")
        #expect(global(Wasm.i32, [0x41, 0x00, 0x41, 0x00]) == "type mismatch")
        #expect(
            global(Wasm.i32, [0x41, 0x00, 0x41, 0x00, 0x6A])
                == "constant expression required: extended-const support is not enabled")
        #expect(global(Wasm.i32, [0x01]) == "constant expression required")
        #expect(global(Wasm.externref, [0xD0, Wasm.funcref]) == "type mismatch")
        #expect(global(Wasm.funcref, [0xD2, 0x00]) == "unknown function 0")
        // global.get: only imported globals, and only immutable ones.
        #expect(global(Wasm.i32, [0x23, 0x00]) == "unknown global 0")
        let immutable = Wasm.name("m") + Wasm.name("g") + [0x03, Wasm.i32, 0x00]
        let mutable = Wasm.name("m") + Wasm.name("g") + [0x03, Wasm.i32, 0x01]
        #expect(global(Wasm.i32, [0x23, 0x00], imports: [immutable]) == nil)
        #expect(global(Wasm.i64, [0x23, 0x00], imports: [immutable]) == "type mismatch")
        #expect(global(Wasm.i32, [0x23, 0x00], imports: [mutable]) == "constant expression required")
        // A module-defined global is not visible to another global's initializer.
        #expect(
            validationMessage(
                Wasm.module(
                    Wasm.section(
                        6,
                        Wasm.vec([
                            [Wasm.i32, 0x00, 0x41, 0x00, Wasm.end], [Wasm.i32, 0x00, 0x23, 0x00, Wasm.end],
                        ])))) == "unknown global 0")
    }

    @Test func exports() {
        let base = [emptyType, Wasm.section(3, Wasm.vec([[0x00]]))]
        let code = Wasm.section(10, Wasm.vec([Wasm.body([Wasm.end])]))
        func exports(_ entries: [[UInt8]]) -> String? {
            validationMessage(Wasm.header + base.flatMap { $0 } + Wasm.section(7, Wasm.vec(entries)) + code)
        }
        #expect(exports([Wasm.name("a") + [0x00, 0x00], Wasm.name("b") + [0x00, 0x00]]) == nil)
        #expect(exports([Wasm.name("a") + [0x00, 0x00], Wasm.name("a") + [0x00, 0x00]]) == "duplicate export name")
        #expect(exports([Wasm.name("a") + [0x00, 0x01]]) == "unknown function 1")
        #expect(exports([Wasm.name("a") + [0x01, 0x00]]) == "unknown table 0")
        #expect(exports([Wasm.name("a") + [0x02, 0x00]]) == "unknown memory 0")
        #expect(exports([Wasm.name("a") + [0x03, 0x00]]) == "unknown global 0")
        // Canonically equivalent but different byte strings are different names.
        #expect(exports([Wasm.name("\u{00C5}") + [0x00, 0x00], Wasm.name("A\u{030A}") + [0x00, 0x00]]) == nil)
    }

    @Test func startFunction() {
        let withParams = Wasm.module(
            Wasm.section(1, Wasm.vec([Wasm.funcType([Wasm.i32])])), Wasm.section(3, Wasm.vec([[0x00]])),
            Wasm.section(8, [0x00]), Wasm.section(10, Wasm.vec([Wasm.body([Wasm.end])])))
        #expect(validationMessage(withParams)?.hasPrefix("start function") == true)
        let unknown = Wasm.module(Wasm.section(8, [0x03]))
        #expect(validationMessage(unknown) == "unknown function 3")
    }

    @Test func elementSegments() {
        let table = Wasm.section(4, Wasm.vec([[Wasm.funcref, 0x00, 0x01]]))
        func elements(_ segments: [[UInt8]], withTable: Bool = true) -> String? {
            validationMessage(
                Wasm.header + emptyType + Wasm.section(3, Wasm.vec([[0x00]])) + (withTable ? table : [])
                    + Wasm.section(9, Wasm.vec(segments)) + Wasm.section(10, Wasm.vec([Wasm.body([Wasm.end])])))
        }
        #expect(elements([[0x00, 0x41, 0x00, Wasm.end] + Wasm.vec([[0x00]])]) == nil)
        #expect(elements([[0x00, 0x41, 0x00, Wasm.end] + Wasm.vec([[0x00]])], withTable: false) == "unknown table 0")
        #expect(elements([[0x00, 0x42, 0x00, Wasm.end] + Wasm.vec([[0x00]])]) == "type mismatch")
        #expect(elements([[0x00, 0x41, 0x00, Wasm.end] + Wasm.vec([[0x07]])]) == "unknown function 7")
        #expect(
            elements([
                [0x06, 0x00, 0x41, 0x00, Wasm.end, Wasm.externref] + Wasm.vec([[0xD0, Wasm.externref, Wasm.end]])
            ])?
            .hasPrefix("type mismatch") == true)
        #expect(elements([[0x05, Wasm.externref] + Wasm.vec([[0xD2, 0x00, Wasm.end]])]) == "type mismatch")
        #expect(
            elements([[0x05, Wasm.funcref] + Wasm.vec([[0x41, 0x00, 0x41, 0x00, 0x6A, Wasm.end]])])
                == "constant expression required: extended-const support is not enabled")
    }

    @Test func dataSegments() {
        #expect(
            validationMessage(Wasm.module(Wasm.section(11, Wasm.vec([[0x00, 0x41, 0x00, Wasm.end, 0x00]]))))
                == "unknown memory 0")
        let memory = Wasm.section(5, Wasm.vec([[0x00, 0x01]]))
        #expect(
            validationMessage(Wasm.module(memory, Wasm.section(11, Wasm.vec([[0x00, 0x41, 0x00, Wasm.end, 0x00]]))))
                == nil)
        #expect(
            validationMessage(Wasm.module(memory, Wasm.section(11, Wasm.vec([[0x00, 0x42, 0x00, Wasm.end, 0x00]]))))
                == "type mismatch")
        #expect(
            validationMessage(
                Wasm.module(memory, Wasm.section(11, Wasm.vec([[0x02, 0x01, 0x41, 0x00, Wasm.end, 0x00]]))))
                == "unknown memory 1")
        #expect(validationMessage(Wasm.module(Wasm.section(11, Wasm.vec([[0x01, 0x00]])))) == nil)
    }

    @Test func v128TypesGlobalsAndConstantsAreAccepted() {
        #expect(validationMessage(Wasm.module(Wasm.section(1, Wasm.vec([Wasm.funcType([0x7B], [0x7B])])))) == nil)
        #expect(
            validationMessage(
                Wasm.module(Wasm.section(2, Wasm.vec([Wasm.name("a") + Wasm.name("b") + [0x03, 0x7B, 0x00]]))))
                == nil)
        let v128Const: [UInt8] = [0xFD, 0x0C] + [UInt8](repeating: 0, count: 16)
        #expect(validationMessage(Wasm.module(Wasm.section(6, Wasm.vec([[0x7B, 0x00] + v128Const + [Wasm.end]])))) == nil)
        // A v128 global needs a v128 initializer, and an i32 global cannot take one.
        #expect(
            validationMessage(Wasm.module(Wasm.section(6, Wasm.vec([[0x7B, 0x00, 0x41, 0x00, Wasm.end]]))))
                == "type mismatch")
        #expect(
            validationMessage(Wasm.module(Wasm.section(6, Wasm.vec([[0x7F, 0x00] + v128Const + [Wasm.end]]))))
                == "type mismatch")
    }
}
