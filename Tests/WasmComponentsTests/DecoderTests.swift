import Testing
import WasmCore

@testable import WasmComponents

@Suite("Component decoder")
struct DecoderTests {
    typealias B = ComponentBuilder

    @Test func emptyComponent() throws {
        let c = try ComponentDecoder.decode(B.preamble)
        #expect(c.sections.isEmpty)
        #expect(c.range == 0..<8)
        #expect(ComponentDecoder.isComponent(B.preamble))
        #expect(!ComponentDecoder.isComponent(B.modulePreamble))
    }

    @Test func preambleErrors() {
        func message(_ bytes: [UInt8]) -> String? {
            do {
                _ = try ComponentDecoder.decode(bytes)
                return nil
            } catch { return error.message }
        }
        #expect(message([0x00, 0x61]) == "unexpected end-of-file")
        #expect(message([0x01, 0x61, 0x73, 0x6D, 0x0D, 0, 1, 0]) == "magic header not detected")
        #expect(message(B.modulePreamble) == "expected a version header for a component")
        #expect(message([0x00, 0x61, 0x73, 0x6D, 0x0E, 0, 1, 0]) == "unknown binary version: 0x1000e")
    }

    @Test func customSection() throws {
        var b = B()
        b.section(0, B.name("hi") + [1, 2, 3])
        let c = try ComponentDecoder.decode(b.bytes)
        guard case .custom(let name, let payload) = c.sections[0].content else { Issue.record("not custom"); return }
        #expect(name == "hi")
        #expect(Array(b.bytes[payload]) == [1, 2, 3])
    }

    @Test func coreModuleInstanceAndAliasSections() throws {
        var b = B()
        b.section(1, B.coreModule)
        b.vectorSection(2, [[0x00, 0x00, 0x00], [0x01, 0x00]])  // instantiate module 0; empty exports
        b.vectorSection(6, [[0x00, 0x00, 0x01, 0x00] + B.name("f"), [0x00, 0x02, 0x01, 0x00] + B.name("mem")])
        let syntax = try ComponentDecoder.decode(b.bytes)
        #expect(syntax.sections.map(\.id) == [1, 2, 6])
        guard case .coreModule(let m) = syntax.sections[0].content else { Issue.record("no module"); return }
        #expect(m.range == 10..<(10 + B.coreModule.count))
        #expect(m.info.exports.map(\.name) == ["f", "mem"])
        guard case .coreInstances(let instances) = syntax.sections[1].content else { Issue.record("no core instances"); return }
        #expect(instances.map(\.value) == [.instantiate(module: 0, arguments: []), .exports([])])
        guard case .aliases(let aliases) = syntax.sections[2].content else { Issue.record("no aliases"); return }
        #expect(aliases[0].value == .coreInstanceExport(sort: .function, instance: 0, name: "f"))
        #expect(aliases[1].value == .coreInstanceExport(sort: .memory, instance: 0, name: "mem"))
        let component = try Component(bytes: b.bytes)
        #expect(component.indexSpaces.coreFunctions == [FunctionType()])
        #expect(component.indexSpaces.coreMemories.count == 1)
        #expect(component.modules.count == 1)
    }

    @Test func typeSectionDefinedFunctionComponentInstanceAndResourceTypes() throws {
        var b = B()
        b.vectorSection(
            7,
            [
                [0x72, 0x01] + B.name("a") + [0x79],  // record { a: u32 }
                [0x71, 0x02] + B.name("x") + [0x01, 0x73, 0x00] + B.name("y") + [0x00, 0x00],  // variant
                [0x70, 0x7D],  // list<u8>
                [0x67, 0x7D, 0x04],  // list<u8, 4>
                [0x6F, 0x02, 0x7F, 0x00],  // tuple<bool, type 0>
                [0x6E, 0x01] + B.name("f"),  // flags
                [0x6D, 0x01] + B.name("e"),  // enum
                [0x6B, 0x73],  // option<string>
                [0x6A, 0x01, 0x79, 0x00],  // result<u32>
                [0x40, 0x01] + B.name("p") + [0x00, 0x00, 0x73],  // func(p: type 0) -> string
                [0x42, 0x01, 0x04] + B.externName("r") + [0x03, 0x01],  // instance { export r: sub resource }
                // component { type (instance); import i: instance (type 0) } (its own type index space)
                [0x41, 0x02, 0x01, 0x42, 0x00, 0x03] + B.externName("i") + [0x05, 0x00],
            ])
        let syntax = try ComponentDecoder.decode(b.bytes)
        guard case .types(let items) = syntax.sections[0].content else { Issue.record("no types"); return }
        #expect(items.count == 12)
        #expect(items[0].value == .defined(.record([LabeledValueType(label: "a", type: .primitive(.u32))])))
        #expect(items[3].value == .defined(.fixedList(.primitive(.u8), 4)))
        #expect(items[4].value == .defined(.tuple([.primitive(.bool), .index(0)])))
        #expect(items[8].value == .defined(.result(ok: .primitive(.u32), error: nil)))
        #expect(
            items[9].value
                == .function(
                    FunctionTypeDefinition(
                        isAsync: false, parameters: [LabeledValueType(label: "p", type: .index(0))],
                        result: .primitive(.string))))
        let component = try Component(bytes: b.bytes)
        #expect(component.indexSpaces.types.count == 12)
        let f = component.types.function(component.indexSpaces.types[9])!
        #expect(f.parameters.map(\.label) == ["p"])
        #expect(f.result == .primitive(.string))
    }

    @Test func importExportCanonAndNestedComponent() throws {
        var b = B()
        b.vectorSection(7, [[0x40, 0x00, 0x01, 0x00]])  // type 0: func()
        b.vectorSection(10, [B.externName("f") + [0x01, 0x00]])  // import "f": func type 0
        b.vectorSection(8, [[0x01, 0x00, 0x00, 0x00]])  // core func 0 = canon lower func 0
        b.section(1, B.coreModule)
        b.vectorSection(2, [[0x00, 0x00, 0x00]])
        b.vectorSection(6, [[0x00, 0x00, 0x01, 0x00] + B.name("f")])  // core func 1 = instance 0 "f"
        b.vectorSection(8, [[0x00, 0x00, 0x01, 0x00, 0x00]])  // func 1 = canon lift core func 1 type 0
        b.section(4, B.preamble)  // an empty nested component
        b.vectorSection(11, [B.externName("g") + [0x01, 0x01, 0x00]])  // export "g": func 1
        let component = try Component(bytes: b.bytes)
        #expect(component.imports.keys == ["f"])
        #expect(component.exports.keys == ["g"])
        #expect(component.indexSpaces.functions.count == 3)  // import, lift, export
        #expect(component.indexSpaces.coreFunctions.count == 2)
        #expect(component.components.count == 1)
        #expect(component.unsupportedFeatures.isEmpty)
        guard case .canonicals(let canon) = component.syntax.sections[2].content else { Issue.record("no canonicals"); return }
        #expect(canon[0].value == .lower(function: 0, options: []))
    }

    @Test func externNameForms() throws {
        var b = B()
        b.vectorSection(7, [[0x42, 0x00]])
        b.vectorSection(
            10,
            [
                [0x01] + B.name("a") + [0x05, 0x00],
                [0x02] + B.name("b") + [0x02, 0x00] + B.name("w:kv/store") + [0x02] + B.name("id") + [0x05, 0x00],
            ])
        let syntax = try ComponentDecoder.decode(b.bytes)
        guard case .imports(let imports) = syntax.sections[1].content else { Issue.record("no imports"); return }
        #expect(imports[1].value.name == ComponentExternName("b", implements: "w:kv/store", externalID: "id"))
        _ = try Component(bytes: b.bytes)
    }

    @Test func asyncBuiltinsDecodeButAreUnsupported() throws {
        var b = B()
        b.vectorSection(8, [[0x24], [0x25]])  // backpressure.inc, backpressure.dec
        let component = try Component(bytes: b.bytes)
        #expect(component.unsupportedFeatures.count == 2)
        #expect(throws: ComponentUnsupportedError.self) { try component.checkSupported() }
    }

    /// Errors name the section and the absolute offset of the offending byte.
    @Test func errorOffsetsAndSections() {
        var b = B()
        b.vectorSection(7, [[0x73]])
        b.vectorSection(5, [[0x02, 0x00, 0x00]])  // 0x02 is not an instance expression
        let instanceByte = B.preamble.count + 4 + 3  // after the type section, id, size and count
        do {
            _ = try ComponentDecoder.decode(b.bytes)
            Issue.record("decoded")
        } catch {
            #expect(error.message == "invalid leading byte (0x2) for instance")
            #expect(error.offset == instanceByte)
            #expect(error.section == "instance")
        }

        var v = B()
        v.vectorSection(7, [[0x70, 0x05]])  // list<type 5>: no such type
        #expect {
            _ = try Component(bytes: v.bytes)
        } throws: { error in
            guard let e = error as? ComponentValidationError else { return false }
            return e.message == "unknown type 5: type index out of bounds" && e.offset == B.preamble.count + 3
                && e.section == "type"
        }

        var m = B()
        m.section(1, B.modulePreamble + [0x01, 0x01, 0x00, 0x0B, 0x01, 0x00, 0x01, 0x01, 0x00])
        #expect {
            _ = try ComponentDecoder.decode(m.bytes)
        } throws: { error in
            (error as? ComponentDecodeError)?.message == "section out of order"
        }
    }
}
