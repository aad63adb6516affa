import Testing
import WasmCore

/// A module whose types use `exnref` (a function type, a global, a table, a local, an element
/// segment, a block type, `select t`, `ref.null exn`) fails to load when the exceptions feature is
/// switched off, naming the feature and the type's byte offset; with the feature on it loads.
@Suite struct ExceptionReferenceFeatureTests {
    static let exnref: UInt8 = 0x69

    /// A module and the byte offset of the `exnref` type it uses.
    struct Case: CustomStringConvertible, Sendable {
        let description: String
        let bytes: [UInt8]
        let offset: Int
        /// The start of the error text before the feature ("malformed value type").
        let malformed: String
    }

    /// `sections` as a module; `marker` is (section index, byte index within its payload).
    static func module(_ sections: [(id: UInt8, payload: [UInt8])], marker: (Int, Int)) -> (bytes: [UInt8], offset: Int) {
        var bytes = Wasm.header
        var offset = 0
        for (i, s) in sections.enumerated() {
            let head = [s.id] + Wasm.u32(UInt32(s.payload.count))
            if i == marker.0 { offset = bytes.count + head.count + marker.1 }
            bytes += head + s.payload
        }
        return (bytes, offset)
    }

    static let cases: [Case] = {
        var cases: [Case] = []
        func add(_ name: String, _ malformed: String, _ sections: [(id: UInt8, payload: [UInt8])], _ marker: (Int, Int)) {
            let (bytes, offset) = module(sections, marker: marker)
            cases.append(Case(description: name, bytes: bytes, offset: offset, malformed: malformed))
        }
        let value = "malformed value type"
        let reference = "malformed reference type"
        // type section: vec(1) 0x60 vec(1) param
        add("function parameter", value, [(1, [1, 0x60, 1, exnref, 0])], (0, 3))
        add("function result (ref null exn)", value, [(1, [1, 0x60, 0, 1, 0x63, exnref])], (0, 4))
        add("function result (ref exn)", value, [(1, [1, 0x60, 0, 1, 0x64, exnref])], (0, 4))
        // global section: vec(1) type mut init
        add("global", value, [(6, [1, exnref, 0, 0xD0, exnref, Wasm.end])], (0, 1))
        // import section: a global import
        add("imported global", value, [(2, [1] + Wasm.name("m") + Wasm.name("g") + [0x03, exnref, 0])], (0, 6))
        // table section: vec(1) reftype limits
        add("table", reference, [(4, [1, exnref, 0, 1])], (0, 1))
        // a local: type, function, code with one local group
        let code: [UInt8] = [1, 4, 1, 1, exnref, Wasm.end]
        add("local", value, [(1, [1, 0x60, 0, 0]), (3, [1, 0]), (10, code)], (2, 4))
        // element segment with expressions and an explicit type (flags 5: passive, exprs)
        let element: [UInt8] = [1, 5, exnref, 1, 0xD0, exnref, Wasm.end]
        add("element segment", reference, [(9, element)], (0, 2))
        // code: block (result exnref) ref.null exn end drop end
        let blockBody: [UInt8] = [0, 0x02, exnref, 0xD0, exnref, Wasm.end, 0x1A, Wasm.end]
        add("block type", value, [(1, [1, 0x60, 0, 0]), (3, [1, 0]), (10, [1, UInt8(blockBody.count)] + blockBody)], (2, 4))
        // code: ref.null exn drop end
        let nullBody: [UInt8] = [0, 0xD0, exnref, 0x1A, Wasm.end]
        add("ref.null exn", reference, [(1, [1, 0x60, 0, 0]), (3, [1, 0]), (10, [1, UInt8(nullBody.count)] + nullBody)], (2, 4))
        return cases
    }()

    @Test(arguments: cases)
    func exceptionReferencesNeedTheExceptionsFeature(_ c: Case) throws {
        var off = WasmFeatures()
        off.exceptions = false
        #expect(Self.exnref == ValueType.exnref.code)
        do {
            _ = try Module(bytes: c.bytes, features: off)
            Issue.record("\(c): loaded with exceptions off")
        } catch {
            let text = "\(error)"
            #expect(
                text.contains("\(c.malformed): exceptions support is not enabled (at byte offset \(c.offset))"),
                "\(c): \(text)")
        }
        // With the feature on, the same module is no such error (it loads, or fails for another reason).
        do {
            _ = try Module(bytes: c.bytes)
        } catch {
            #expect(!"\(error)".contains("exceptions support"), "\(c): \(error)")
        }
    }
}
