import Testing
import WasmCore

/// These tests pin Wasm 2.0's rules: modules decode with every Wasm 3.0 feature off.
private func decodeWasm2(_ bytes: [UInt8]) throws(DecodeError) -> ModuleInfo {
    try ModuleDecoder.decode(bytes, features: .wasm2)
}

private func decodeError(_ bytes: [UInt8]) -> DecodeError? {
    do {
        _ = try decodeWasm2(bytes)
        return nil
    } catch {
        return error
    }
}

@Suite("ModuleDecoder")
struct DecoderTests {
    // MARK: header

    @Test func emptyModule() throws {
        let info = try decodeWasm2(Wasm.header)
        #expect(info.types.isEmpty && info.sections.isEmpty && info.names == nil)
    }

    @Test func headerErrors() {
        #expect(decodeError([]) == DecodeError("unexpected end", offset: 0))
        #expect(decodeError([0x00, 0x61, 0x73]) == DecodeError("unexpected end", offset: 0))
        #expect(
            decodeError([0x00, 0x61, 0x73, 0x6E, 1, 0, 0, 0]) == DecodeError("magic header not detected", offset: 0))
        #expect(decodeError([0x00, 0x61, 0x73, 0x6D, 1, 0]) == DecodeError("unexpected end", offset: 4))
        #expect(decodeError([0x00, 0x61, 0x73, 0x6D, 2, 0, 0, 0]) == DecodeError("unknown binary version", offset: 4))
    }

    @Test func malformedSectionID() {
        #expect(decodeError(Wasm.header + [0x0E, 0x00]) == DecodeError("malformed section id", offset: 8))
        // The tag section (13) is malformed while exceptions are off, naming the feature.
        #expect(
            decodeError(Wasm.header + [0x0D, 0x00])
                == DecodeError("malformed section id: exceptions support is not enabled", offset: 8))
    }

    // MARK: sections

    @Test func typeSection() throws {
        let info = try decodeWasm2(
            Wasm.module(
                Wasm.section(
                    1,
                    Wasm.vec([
                        Wasm.funcType([Wasm.i32, Wasm.i64], [Wasm.f32]),
                        Wasm.funcType([], [Wasm.externref, Wasm.funcref]),
                    ]))))
        #expect(
            info.types == [
                FunctionType(parameters: [.i32, .i64], results: [.f32]),
                FunctionType(parameters: [], results: [.externref, .funcref]),
            ])
        #expect(info.sections == [SectionRecord(id: 1, start: 8, payloadStart: 10, end: 10 + 12)])
    }

    @Test func v128DecodesAsValueType() throws {
        let info = try decodeWasm2(Wasm.module(Wasm.section(1, Wasm.vec([Wasm.funcType([0x7B])]))))
        #expect(info.types[0].parameters == [.v128])
    }

    @Test func importSection() throws {
        let imports = Wasm.vec([
            Wasm.name("env") + Wasm.name("f") + [0x00, 0x00],
            Wasm.name("env") + Wasm.name("t") + [0x01, Wasm.funcref, 0x01, 0x01, 0x0A],
            Wasm.name("env") + Wasm.name("m") + [0x02, 0x00, 0x02],
            Wasm.name("env") + Wasm.name("g") + [0x03, Wasm.i64, 0x01],
        ])
        let info = try decodeWasm2(
            Wasm.module(Wasm.section(1, Wasm.vec([Wasm.funcType()])), Wasm.section(2, imports)))
        #expect(
            info.imports == [
                Import(module: "env", name: "f", descriptor: .function(typeIndex: 0)),
                Import(
                    module: "env", name: "t",
                    descriptor: .table(TableType(elementType: .funcref, limits: Limits(min: 1, max: 10)))),
                Import(module: "env", name: "m", descriptor: .memory(MemoryType(limits: Limits(min: 2)))),
                Import(module: "env", name: "g", descriptor: .global(GlobalType(valueType: .i64, isMutable: true))),
            ])
        #expect(info.importedFunctionCount == 1 && info.importedGlobalCount == 1)
    }

    @Test func importErrors() {
        let badKind = Wasm.module(Wasm.section(2, Wasm.vec([Wasm.name("a") + Wasm.name("b") + [0x04]])))
        #expect(decodeError(badKind) == DecodeError("malformed import kind: exceptions support is not enabled", offset: 15))
        let badMutability = Wasm.module(
            Wasm.section(2, Wasm.vec([Wasm.name("a") + Wasm.name("b") + [0x03, Wasm.i32, 0x02]])))
        #expect(decodeError(badMutability)?.message == "malformed mutability")
        let badUTF8 = Wasm.module(Wasm.section(2, Wasm.vec([[0x01, 0xFF] + Wasm.name("b") + [0x00, 0x00]])))
        #expect(decodeError(badUTF8) == DecodeError("malformed UTF-8 encoding", offset: 11))
    }

    @Test func functionAndCodeSections() throws {
        let info = try decodeWasm2(
            Wasm.module(
                Wasm.section(1, Wasm.vec([Wasm.funcType([Wasm.i32], [Wasm.i32])])),
                Wasm.section(3, Wasm.vec([[0x00], [0x00]])),
                Wasm.section(
                    10,
                    Wasm.vec([
                        Wasm.body([0x20, 0x00, Wasm.end]),
                        Wasm.body(locals: [(2, Wasm.i64), (1, Wasm.f32)], [0x41, 0x01, Wasm.end]),
                    ]))))
        #expect(info.functions == [0, 0])
        #expect(info.codes.count == 2)
        #expect(info.codes[0].locals.isEmpty)
        #expect(info.codes[1].locals == [.i64, .i64, .f32])
        let code = info.codes[1]
        #expect(Array(info.bytes[code.codeStart..<code.codeEnd]) == [0x41, 0x01, Wasm.end])
        let first = info.codes[0]
        #expect(Array(info.bytes[first.codeStart..<first.codeEnd]) == [0x20, 0x00, Wasm.end])
    }

    @Test func functionAndCodeCountsMustAgree() {
        let bytes = Wasm.module(Wasm.section(1, Wasm.vec([Wasm.funcType()])), Wasm.section(3, Wasm.vec([[0], [0]])))
        #expect(
            decodeError(bytes)
                == DecodeError("function and code section have inconsistent lengths", offset: bytes.count))
    }

    @Test func tooManyLocals() {
        let bytes = Wasm.module(
            Wasm.section(1, Wasm.vec([Wasm.funcType()])), Wasm.section(3, Wasm.vec([[0]])),
            Wasm.section(10, Wasm.vec([Wasm.body(locals: [(0xFFFF_FFFF, Wasm.i32), (2, Wasm.i64)], [Wasm.end])])))
        #expect(decodeError(bytes)?.message == "too many locals")
        let implementationLimit = Wasm.module(
            Wasm.section(1, Wasm.vec([Wasm.funcType()])), Wasm.section(3, Wasm.vec([[0]])),
            Wasm.section(10, Wasm.vec([Wasm.body(locals: [(1_000_000, Wasm.i32)], [Wasm.end])])))
        #expect(decodeError(implementationLimit)?.message == "too many locals")
    }

    @Test func malformedBodies() {
        func module(_ code: [UInt8]) -> [UInt8] {
            Wasm.module(
                Wasm.section(1, Wasm.vec([Wasm.funcType()])), Wasm.section(3, Wasm.vec([[0]])),
                Wasm.section(5, Wasm.vec([[0x00, 0x01]])), Wasm.section(10, Wasm.vec([Wasm.body(code)])))
        }
        #expect(decodeError(module([0x3F, 0x01, 0x1A, Wasm.end]))?.message == "zero byte expected")
        #expect(decodeError(module([0x06, Wasm.end]))?.message == "illegal opcode: exceptions support is not enabled")
        #expect(
            decodeError(module([0x41, 0x00, 0x28, 0x20, 0x00, 0x1A, Wasm.end]))?.message == "malformed memop flags")
        #expect(decodeError(module([0x41, 0x00, 0x1A]))?.message == "unexpected end of section or function")
        // Instructions running past the declared body size.
        let bytes = Wasm.module(
            Wasm.section(1, Wasm.vec([Wasm.funcType()])), Wasm.section(3, Wasm.vec([[0]])),
            Wasm.section(10, [0x01, 0x02, 0x00, 0x01, Wasm.end]))
        #expect(decodeError(bytes)?.message == "section size mismatch")
    }

    @Test func tableMemoryGlobalExportStart() throws {
        let info = try decodeWasm2(
            Wasm.module(
                Wasm.section(1, Wasm.vec([Wasm.funcType()])),
                Wasm.section(3, Wasm.vec([[0]])),
                Wasm.section(4, Wasm.vec([[Wasm.externref, 0x00, 0x03]])),
                Wasm.section(5, Wasm.vec([[0x01, 0x01, 0x02]])),
                Wasm.section(
                    6,
                    Wasm.vec([
                        [Wasm.i32, 0x00, 0x41, 0x7F, Wasm.end],
                        [Wasm.i64, 0x01, 0x42, 0x80, 0x01, Wasm.end],
                        [Wasm.f32, 0x00, 0x43, 0x00, 0x00, 0x80, 0x3F, Wasm.end],
                        [Wasm.f64, 0x00, 0x44, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, Wasm.end],
                        [Wasm.funcref, 0x00, 0xD2, 0x00, Wasm.end],
                        [Wasm.externref, 0x00, 0xD0, Wasm.externref, Wasm.end],
                        [Wasm.i32, 0x00, 0x23, 0x00, Wasm.end],
                    ])),
                Wasm.section(7, Wasm.vec([Wasm.name("run") + [0x00, 0x00], Wasm.name("mem") + [0x02, 0x00]])),
                Wasm.section(8, [0x00]),
                Wasm.section(10, Wasm.vec([Wasm.body([Wasm.end])]))))
        #expect(info.tables == [TableType(elementType: .externref, limits: Limits(min: 3))])
        #expect(info.memories == [MemoryType(limits: Limits(min: 1, max: 2))])
        #expect(
            info.globals.map(\.initializer.instructions) == [
                [.i32Const(UInt32(bitPattern: -1))], [.i64Const(128)], [.f32Const(0x3F80_0000)],
                [.f64Const(0x3FF0_0000_0000_0000)], [.refFunc(0)], [.refNull(.externref)], [.globalGet(0)],
            ])
        #expect(info.globals[1].type == GlobalType(valueType: .i64, isMutable: true))
        #expect(
            info.exports == [
                Export(name: "run", kind: .function, index: 0), Export(name: "mem", kind: .memory, index: 0),
            ])
        #expect(info.start == 0)
    }

    @Test func constantExpressions() throws {
        // A non-constant instruction is recorded, not rejected, by the decoder.
        let info = try decodeWasm2(
            Wasm.module(
                Wasm.section(6, Wasm.vec([[Wasm.i32, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6A, Wasm.end]]))))
        let expr = info.globals[0].initializer
        #expect(expr.instructions == [.i32Const(1), .i32Const(2)])
        #expect(expr.nonConstant == NonConstantInstruction(opcode: 0x6A, offset: 17, position: 2))
        // Missing end: the next byte is decoded as an instruction.
        let missingEnd = Wasm.module(
            Wasm.section(6, Wasm.vec([[Wasm.i32, 0x00, 0x41, 0x00]])), Wasm.section(10, [0x00]))
        #expect(decodeError(missingEnd)?.message == "illegal opcode: exceptions support is not enabled")
        let elseAtTop = Wasm.module(Wasm.section(6, Wasm.vec([[Wasm.i32, 0x00, 0x41, 0x00, 0x05]])))
        #expect(decodeError(elseAtTop)?.message == "END opcode expected")
    }

    @Test func elementSegmentEncodings() throws {
        let offset: [UInt8] = [0x41, 0x00, Wasm.end]
        let segments: [[UInt8]] = [
            [0x00] + offset + Wasm.vec([[0x00]]),
            [0x01, 0x00] + Wasm.vec([[0x00]]),
            [0x02, 0x00] + offset + [0x00] + Wasm.vec([[0x00]]),
            [0x03, 0x00] + Wasm.vec([[0x00]]),
            [0x04] + offset + Wasm.vec([[0xD2, 0x00, Wasm.end]]),
            [0x05, Wasm.externref] + Wasm.vec([[0xD0, Wasm.externref, Wasm.end]]),
            [0x06, 0x00] + offset + [Wasm.funcref] + Wasm.vec([[0xD0, Wasm.funcref, Wasm.end]]),
            [0x07, Wasm.funcref] + Wasm.vec([[0xD2, 0x00, Wasm.end]]),
        ]
        let info = try decodeWasm2(
            Wasm.module(
                Wasm.section(1, Wasm.vec([Wasm.funcType()])), Wasm.section(3, Wasm.vec([[0]])),
                Wasm.section(4, Wasm.vec([[Wasm.funcref, 0x00, 0x01]])),
                Wasm.section(9, Wasm.vec(segments)),
                Wasm.section(10, Wasm.vec([Wasm.body([Wasm.end])]))))
        let zero = ConstExpression([.i32Const(0)])
        let f0 = ConstExpression([.refFunc(0)])
        #expect(
            info.elements == [
                ElementSegment(mode: .active(table: 0, offset: zero), type: .funcref, initializers: [f0]),
                ElementSegment(mode: .passive, type: .funcref, initializers: [f0]),
                ElementSegment(mode: .active(table: 0, offset: zero), type: .funcref, initializers: [f0]),
                ElementSegment(mode: .declarative, type: .funcref, initializers: [f0]),
                ElementSegment(mode: .active(table: 0, offset: zero), type: .funcref, initializers: [f0]),
                ElementSegment(
                    mode: .passive, type: .externref, initializers: [ConstExpression([.refNull(.externref)])]),
                ElementSegment(
                    mode: .active(table: 0, offset: zero), type: .funcref,
                    initializers: [ConstExpression([.refNull(.funcref)])]),
                ElementSegment(mode: .declarative, type: .funcref, initializers: [f0]),
            ])
    }

    @Test func elementSegmentErrors() {
        let badFlags = Wasm.module(Wasm.section(9, Wasm.vec([[0x08]])))
        #expect(decodeError(badFlags)?.message == "malformed elements segment kind")
        let badKind = Wasm.module(Wasm.section(9, Wasm.vec([[0x01, 0x01, 0x00]])))
        #expect(decodeError(badKind)?.message == "malformed element kind")
        let badRefType = Wasm.module(Wasm.section(9, Wasm.vec([[0x05, Wasm.i32, 0x00]])))
        #expect(decodeError(badRefType)?.message == "malformed reference type")
    }

    @Test func dataSegmentsAndDataCount() throws {
        let info = try decodeWasm2(
            Wasm.module(
                Wasm.section(5, Wasm.vec([[0x00, 0x01]])),
                Wasm.section(12, [0x03]),
                Wasm.section(
                    11,
                    Wasm.vec([
                        [0x00, 0x41, 0x08, Wasm.end] + Wasm.vec([[0x61], [0x62]]),
                        [0x01] + Wasm.vec([[0x63]]),
                        [0x02, 0x00, 0x41, 0x10, Wasm.end] + Wasm.vec([]),
                    ]))))
        #expect(info.dataCount == 3)
        #expect(
            info.data == [
                DataSegment(mode: .active(memory: 0, offset: ConstExpression([.i32Const(8)])), bytes: [0x61, 0x62]),
                DataSegment(mode: .passive, bytes: [0x63]),
                DataSegment(mode: .active(memory: 0, offset: ConstExpression([.i32Const(16)])), bytes: []),
            ])
    }

    @Test func dataCountErrors() {
        let mismatch = Wasm.module(Wasm.section(12, [0x02]), Wasm.section(11, Wasm.vec([[0x01, 0x00]])))
        #expect(decodeError(mismatch)?.message == "data count and data section have inconsistent lengths")
        let required = Wasm.module(
            Wasm.section(1, Wasm.vec([Wasm.funcType()])), Wasm.section(3, Wasm.vec([[0]])),
            Wasm.section(10, Wasm.vec([Wasm.body([0xFC, 0x09, 0x00, Wasm.end])])),
            Wasm.section(11, Wasm.vec([[0x01, 0x00]])))
        #expect(decodeError(required)?.message == "data count section required")
        let badKind = Wasm.module(Wasm.section(11, Wasm.vec([[0x03]])))
        #expect(decodeError(badKind)?.message == "malformed data segment kind")
    }

    // MARK: section framing

    @Test func sectionOrder() throws {
        // The data count section sits between element and code.
        _ = try decodeWasm2(
            Wasm.module(Wasm.section(9, [0x00]), Wasm.section(12, [0x00]), Wasm.section(10, [0x00])))
        let codeBeforeDataCount = Wasm.module(Wasm.section(10, [0x00]), Wasm.section(12, [0x00]))
        #expect(decodeError(codeBeforeDataCount) == DecodeError("unexpected content after last section", offset: 11))
        let duplicate = Wasm.module(Wasm.section(1, [0x00]), Wasm.section(1, [0x00]))
        #expect(decodeError(duplicate)?.message == "unexpected content after last section")
    }

    @Test func sectionSizeMismatch() {
        // A type section declaring 5 bytes whose contents take 4.
        let bytes = Wasm.header + [0x01, 0x05, 0x01, 0x60, 0x00, 0x00, 0x00]
        #expect(decodeError(bytes) == DecodeError("section size mismatch", offset: 10))
        #expect(decodeError(Wasm.header + [0x01, 0x05, 0x00]) == DecodeError("length out of bounds", offset: 9))
        #expect(
            decodeError(Wasm.header + [0x01, 0x03, 0x05, 0x60, 0x00]) == DecodeError("length out of bounds", offset: 10)
        )
        #expect(
            decodeError(Wasm.header + [0x01, 0x01, 0x02, 0x60, 0x00])?.message
                == "unexpected end of section or function")
    }

    @Test func customSectionsAnywhere() throws {
        let custom = Wasm.section(0, Wasm.name("hello") + [1, 2, 3])
        let bytes = Wasm.module(
            custom, Wasm.section(1, Wasm.vec([Wasm.funcType()])), custom, Wasm.section(3, Wasm.vec([[0]])),
            Wasm.section(10, Wasm.vec([Wasm.body([Wasm.end])])), custom)
        let info = try decodeWasm2(bytes)
        #expect(info.customSections.count == 3)
        #expect(info.customSections[0].name == "hello")
        #expect(Array(info.bytes[info.customSections[0].payload]) == [1, 2, 3])
        #expect(info.sections.map(\.id) == [0, 1, 0, 3, 10, 0])
        // A custom section whose name runs past its end.
        #expect(
            decodeError(Wasm.header + [0x00, 0x01, 0x05, 0x61, 0x62, 0x63, 0x64, 0x65])?.message
                == "unexpected end of section or function")
    }

    @Test func nameSection() throws {
        let functionNames = Wasm.vec([[0x00] + Wasm.name("main"), [0x01] + Wasm.name("helper")])
        let localNames = Wasm.vec([[0x00] + Wasm.vec([[0x00] + Wasm.name("x")])])
        let payload =
            Wasm.name("name")
            + Wasm.section(0, Wasm.name("demo"))
            + Wasm.section(1, functionNames)
            + Wasm.section(2, localNames)
        let info = try decodeWasm2(Wasm.module(Wasm.oneFunction, Wasm.section(0, payload)))
        #expect(info.names?.moduleName == "demo")
        #expect(info.names?.functionNames == [0: "main", 1: "helper"])
        #expect(info.names?.localNames == [0: [0: "x"]])
    }

    @Test func malformedNameSectionIsIgnored() throws {
        let payload = Wasm.name("name") + [0x01, 0x05, 0x01, 0x00, 0x09, 0x61]
        let info = try decodeWasm2(Wasm.module(Wasm.oneFunction, Wasm.section(0, payload)))
        #expect(info.names == nil)
        #expect(info.customSections.map(\.name) == ["name"])
    }
}
