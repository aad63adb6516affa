import WasmCore

/// Decodes the binary format of a component into `ComponentSyntax` (well-formedness only).
///
/// Spec: WebAssembly/component-model `design/mvp/Binary.md`. Sections are read with their own
/// payload as the limit; reading past it is "unexpected end-of-file". Nested core modules are
/// decoded with WasmCore's `ModuleDecoder` (their bodies only delimited) and nested components
/// recursively. Errors carry the reference tests' texts and absolute byte offsets.
public enum ComponentDecoder {
    /// The component binary version (pre-standard `0x0d`).
    public static let version: UInt16 = 0x0d
    /// The layer of components (core modules have layer 0).
    public static let layer: UInt16 = 1

    /// Whether `bytes` start like a component (magic, then any version, then layer 1): what
    /// `spin wasm` tools use to tell components from core modules.
    public static func isComponent(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 8 && bytes[0] == 0 && bytes[1] == 0x61 && bytes[2] == 0x73 && bytes[3] == 0x6D
            && bytes[6] == 1 && bytes[7] == 0
    }

    /// Decodes a whole component binary.
    public static func decode(_ bytes: [UInt8]) throws(ComponentDecodeError) -> ComponentSyntax {
        var reader = ComponentReader(bytes: bytes)
        return try decodeComponent(&reader, nested: false)
    }

    static func decodeComponent(_ reader: inout ComponentReader, nested: Bool) throws(ComponentDecodeError)
        -> ComponentSyntax
    {
        let start = reader.offset
        try readPreamble(&reader, nested: nested)
        var sections: [ComponentSection] = []
        while !reader.isAtEnd {
            sections.append(try decodeSection(&reader))
        }
        return ComponentSyntax(range: start..<reader.limit, sections: sections)
    }

    static func readPreamble(_ reader: inout ComponentReader, nested: Bool) throws(ComponentDecodeError) {
        let start = reader.offset
        guard reader.remaining >= 4 else { throw reader.eof() }
        let magic = Array(reader.bytes[start..<(start + 4)])
        guard magic == [0x00, 0x61, 0x73, 0x6D] else { throw reader.error("magic header not detected", at: start) }
        reader.offset += 4
        guard reader.remaining >= 4 else { throw reader.eof() }
        let b = reader.bytes
        let o = reader.offset
        let version = UInt16(b[o]) | UInt16(b[o + 1]) << 8
        let layer = UInt16(b[o + 2]) | UInt16(b[o + 3]) << 8
        if layer == Self.layer && version == Self.version {
            reader.offset += 4
            return
        }
        if layer == 0 && version == 1 {
            throw reader.error("expected a version header for a component", at: o)
        }
        let word = UInt32(version) | UInt32(layer) << 16
        throw reader.error("unknown binary version: 0x\(String(word, radix: 16))", at: o)
    }

    static func decodeSection(_ reader: inout ComponentReader) throws(ComponentDecodeError) -> ComponentSection {
        let sectionStart = reader.offset
        reader.section = nil
        let id = try reader.byte()
        guard id <= 12 else { throw reader.error("malformed section id: \(id)", at: sectionStart) }
        let size = Int(try reader.u32())
        let payloadStart = reader.offset
        guard size <= reader.remaining else { throw reader.error("unexpected end-of-file", at: payloadStart) }
        let end = payloadStart + size
        var inner = ComponentReader(
            bytes: reader.bytes, offset: payloadStart, limit: end, section: ComponentSection.name(ofSection: id))
        let content: ComponentSection.Content
        switch id {
        case 0:
            let name = try inner.string()
            content = .custom(name: name, payload: inner.offset..<end)
            inner.offset = end
        case 1: content = .coreModule(try decodeCoreModule(&inner))
        case 2: content = .coreInstances(try inner.vector { r throws(ComponentDecodeError) in try positioned(&r, coreInstance) })
        case 3: content = .coreTypes(try decodeCoreTypeSection(&inner))
        case 4:
            content = .component(try decodeComponent(&inner, nested: true))
        case 5: content = .instances(try inner.vector { r throws(ComponentDecodeError) in try positioned(&r, instance) })
        case 6: content = .aliases(try inner.vector { r throws(ComponentDecodeError) in try positioned(&r, alias) })
        case 7: content = .types(try inner.vector { r throws(ComponentDecodeError) in try positioned(&r, typeDefinition) })
        case 8: content = .canonicals(try inner.vector { r throws(ComponentDecodeError) in try positioned(&r, canonical) })
        case 9:
            let at = inner.offset
            let function = try inner.u32()
            let arguments = try inner.vector { r throws(ComponentDecodeError) in try r.u32() }
            let results = try inner.u32()
            content = .start(
                Positioned(
                    offset: at, value: StartDefinition(function: function, arguments: arguments, resultCount: results)))
        case 10: content = .imports(try inner.vector { r throws(ComponentDecodeError) in try positioned(&r, componentImport) })
        case 11: content = .exports(try inner.vector { r throws(ComponentDecodeError) in try positioned(&r, componentExport) })
        default:
            throw inner.error("component value sections are not supported", at: sectionStart)
        }
        guard inner.offset == end else {
            throw inner.error("unexpected content in the \(ComponentSection.name(ofSection: id)) section")
        }
        reader.offset = end
        return ComponentSection(id: id, range: sectionStart..<end, payload: payloadStart..<end, content: content)
    }

    static func positioned<T>(
        _ reader: inout ComponentReader, _ item: (inout ComponentReader) throws(ComponentDecodeError) -> T
    ) throws(ComponentDecodeError) -> Positioned<T> {
        let at = reader.offset
        return Positioned(offset: at, value: try item(&reader))
    }

    // MARK: Core modules

    static func decodeCoreModule(_ reader: inout ComponentReader) throws(ComponentDecodeError) -> CoreModuleDefinition {
        let start = reader.offset
        let end = reader.limit
        let b = reader.bytes
        // The preamble is checked here so that a component where a module belongs gets the right text.
        if end - start >= 8, b[start..<(start + 4)].elementsEqual([0x00, 0x61, 0x73, 0x6D]) {
            let version = UInt16(b[start + 4]) | UInt16(b[start + 5]) << 8
            let layer = UInt16(b[start + 6]) | UInt16(b[start + 7]) << 8
            if layer == 1 { throw reader.error("expected a version header for a module", at: start + 4) }
            if !(layer == 0 && version == 1) {
                let word = UInt32(version) | UInt32(layer) << 16
                throw reader.error("unknown binary version: 0x\(String(word, radix: 16))", at: start + 4)
            }
        }
        let bytes = Array(b[start..<end])
        do {
            let info = try ModuleDecoder.decode(bytes, scanningBodies: true)
            reader.offset = end
            return CoreModuleDefinition(range: start..<end, info: info)
        } catch {
            throw reader.error(coreDecodeMessage(error), at: start + error.offset)
        }
    }

    /// The reference tests' text for a WasmCore decode error (which uses the core spec
    /// interpreter's words), keeping WasmCore's when they say the same.
    static func coreDecodeMessage(_ error: DecodeError) -> String {
        switch error.message {
        case "unexpected end", "unexpected end of section or function", "length out of bounds":
            return "unexpected end-of-file"
        case "unexpected content after last section":
            return "section out of order"
        default:
            return error.message
        }
    }

    // MARK: Core instances and types

    static func coreInstance(_ r: inout ComponentReader) throws(ComponentDecodeError) -> CoreInstanceDefinition {
        let at = r.offset
        switch try r.byte() {
        case 0x00:
            let module = try r.u32()
            let arguments = try r.vector { r throws(ComponentDecodeError) in
                let name = try r.string()
                let kindAt = r.offset
                let kind = try r.byte()
                guard kind == 0x12 else { throw r.invalidLeadingByte(kind, "instantiation arg kind", at: kindAt) }
                return CoreInstantiationArgument(name: name, instance: try r.u32())
            }
            return .instantiate(module: module, arguments: arguments)
        case 0x01:
            return .exports(
                try r.vector { r throws(ComponentDecodeError) in
                    let name = try r.string()
                    let sort = try coreSort(&r, "external kind")
                    return CoreInlineExport(name: name, item: CoreSortIndex(sort: sort, index: try r.u32()))
                })
        case let b:
            throw r.invalidLeadingByte(b, "core instance", at: at)
        }
    }

    static func coreSort(_ r: inout ComponentReader, _ what: String) throws(ComponentDecodeError) -> CoreSort {
        let at = r.offset
        let b = try r.byte()
        guard let sort = CoreSort(rawValue: b) else { throw r.invalidLeadingByte(b, what, at: at) }
        return sort
    }

    /// A core type section: rec groups are flattened into their types.
    static func decodeCoreTypeSection(_ r: inout ComponentReader) throws(ComponentDecodeError)
        -> [Positioned<CoreTypeDefinition>]
    {
        let count = try r.u32()
        var out: [Positioned<CoreTypeDefinition>] = []
        for _ in 0..<count {
            let at = r.offset
            if try r.peek() == 0x4E {
                // A rec group: `0x4e vec(subtype)`.
                r.offset += 1
                let n = try r.u32()
                for _ in 0..<n {
                    let itemAt = r.offset
                    out.append(Positioned(offset: itemAt, value: .function(try coreSubType(&r))))
                }
            } else {
                out.append(Positioned(offset: at, value: try coreType(&r, allowModule: true)))
            }
        }
        return out
    }

    /// `core:type`: a function type (possibly as a `sub`), or (where allowed) a module type.
    static func coreType(_ r: inout ComponentReader, allowModule: Bool) throws(ComponentDecodeError) -> CoreTypeDefinition {
        if try r.peek() == 0x50 {
            r.offset += 1
            let declarations = try r.vector { r throws(ComponentDecodeError) in
                try positioned(&r, moduleDeclaration)
            }
            return .module(declarations)
        }
        return .function(try coreSubType(&r))
    }

    /// A core `subtype` whose composite type must be a function type (no GC types yet).
    static func coreSubType(_ r: inout ComponentReader) throws(ComponentDecodeError) -> FunctionType {
        let at = r.offset
        var b = try r.byte()
        if b == 0x00 || b == 0x4F {
            // `0x00 0x50` (non-final sub, prefixed in components) or `0x4f` (final sub).
            if b == 0x00 {
                let inner = try r.byte()
                guard inner == 0x50 else { throw r.invalidLeadingByte(inner, "type", at: at + 1) }
            }
            let supers = try r.vector { r throws(ComponentDecodeError) in try r.u32() }
            guard supers.isEmpty else { throw r.error("GC subtyping of core types is not supported", at: at) }
            b = try r.byte()
        }
        guard b == 0x60 else {
            if b == 0x5F || b == 0x5E { throw r.error("GC struct and array types are not supported", at: at) }
            throw r.invalidLeadingByte(b, "type", at: r.offset - 1)
        }
        let parameters = try r.vector { r throws(ComponentDecodeError) in try coreValueType(&r) }
        let results = try r.vector { r throws(ComponentDecodeError) in try coreValueType(&r) }
        return FunctionType(parameters: parameters, results: results)
    }

    static func coreValueType(_ r: inout ComponentReader) throws(ComponentDecodeError) -> ValueType {
        let at = r.offset
        let b = try r.byte()
        guard let t = ValueType(rawValue: b) else { throw r.invalidLeadingByte(b, "value type", at: at) }
        return t
    }

    static func moduleDeclaration(_ r: inout ComponentReader) throws(ComponentDecodeError) -> CoreModuleDeclaration {
        let at = r.offset
        switch try r.byte() {
        case 0x00:
            let module = try r.string()
            let name = try r.string()
            return .import(module: module, name: name, try coreImportDescriptor(&r))
        case 0x01:
            return .type(try coreType(&r, allowModule: true))
        case 0x02:
            let kindAt = r.offset
            let kind = try r.byte()
            guard kind == 0x10 else { throw r.invalidLeadingByte(kind, "outer alias kind", at: kindAt) }
            let targetAt = r.offset
            let target = try r.byte()
            guard target == 0x01 else { throw r.invalidLeadingByte(target, "outer alias target", at: targetAt) }
            let count = try r.u32()
            return .outerTypeAlias(count: count, index: try r.u32())
        case 0x03:
            let name = try r.string()
            return .export(name: name, try coreImportDescriptor(&r))
        case let b:
            throw r.invalidLeadingByte(b, "type definition", at: at)
        }
    }

    static func coreImportDescriptor(_ r: inout ComponentReader) throws(ComponentDecodeError) -> CoreImportDescriptor {
        let at = r.offset
        switch try r.byte() {
        case 0x00: return .function(typeIndex: try r.u32())
        case 0x01:
            let element = try coreValueType(&r)
            let (limits, _, is64) = try coreLimits(&r, table: true)
            return .table(CoreTableType(elementType: element, limits: limits, is64: is64))
        case 0x02:
            let (limits, shared, is64) = try coreLimits(&r, table: false)
            return .memory(CoreMemoryType(limits: limits, isShared: shared, is64: is64))
        case 0x03:
            let type = try coreValueType(&r)
            let mAt = r.offset
            let m = try r.byte()
            guard m <= 1 else { throw r.error("malformed mutability", at: mAt) }
            return .global(GlobalType(valueType: type, isMutable: m == 1))
        case 0x04:
            try r.zeroByte("exception tag attribute")
            return .tag(typeIndex: try r.u32())
        case let b:
            throw r.invalidLeadingByte(b, "external kind", at: at)
        }
    }

    /// Limits with their flags byte: bit 0 max present, bit 1 shared, bit 2 64-bit.
    static func coreLimits(_ r: inout ComponentReader, table: Bool) throws(ComponentDecodeError)
        -> (CoreLimits, shared: Bool, is64: Bool)
    {
        let at = r.offset
        let flags = try r.byte()
        let allowed: UInt8 = table ? 0b101 : 0b111
        guard flags & ~allowed == 0 else {
            throw r.invalidLeadingByte(flags, table ? "table type" : "memory type", at: at)
        }
        let is64 = flags & 0b100 != 0
        func read(_ r: inout ComponentReader) throws(ComponentDecodeError) -> UInt64 {
            if is64 { return try r.u64() }
            return UInt64(try r.u32())
        }
        let min = try read(&r)
        let max: UInt64? = flags & 1 != 0 ? try read(&r) : nil
        return (CoreLimits(min: min, max: max), flags & 0b10 != 0, is64)
    }

    // MARK: Component-level items

    static func componentSort(_ r: inout ComponentReader) throws(ComponentDecodeError) -> ComponentSort {
        let at = r.offset
        switch try r.byte() {
        case 0x00: return .core(try coreSort(&r, "core sort"))
        case 0x01: return .function
        case 0x02: return .value
        case 0x03: return .type
        case 0x04: return .component
        case 0x05: return .instance
        case let b: throw r.invalidLeadingByte(b, "component external kind", at: at)
        }
    }

    static func sortIndex(_ r: inout ComponentReader) throws(ComponentDecodeError) -> ComponentSortIndex {
        let sort = try componentSort(&r)
        return ComponentSortIndex(sort: sort, index: try r.u32())
    }

    static func instance(_ r: inout ComponentReader) throws(ComponentDecodeError) -> InstanceDefinition {
        let at = r.offset
        switch try r.byte() {
        case 0x00:
            let component = try r.u32()
            let arguments = try r.vector { r throws(ComponentDecodeError) in
                let name = try r.string()
                return InstantiationArgument(name: name, item: try sortIndex(&r))
            }
            return .instantiate(component: component, arguments: arguments)
        case 0x01:
            return .exports(
                try r.vector { r throws(ComponentDecodeError) in
                    let name = try externName(&r)
                    return InlineExport(name: name, item: try sortIndex(&r))
                })
        case let b:
            throw r.invalidLeadingByte(b, "instance", at: at)
        }
    }

    static func alias(_ r: inout ComponentReader) throws(ComponentDecodeError) -> AliasDefinition {
        // The sort is read raw: which sorts are allowed depends on the target that follows.
        let sortAt = r.offset
        let first = try r.byte()
        var second: UInt8? = nil
        var secondAt = sortAt
        if first == 0x00 {
            secondAt = r.offset
            second = try r.byte()
        }
        let targetAt = r.offset
        let target = try r.byte()
        func sort(_ r: ComponentReader) throws(ComponentDecodeError) -> ComponentSort {
            if let second {
                guard let core = CoreSort(rawValue: second) else {
                    throw r.invalidLeadingByte(second, "core sort", at: secondAt)
                }
                return .core(core)
            }
            switch first {
            case 0x01: return .function
            case 0x02: return .value
            case 0x03: return .type
            case 0x04: return .component
            case 0x05: return .instance
            default: throw r.invalidLeadingByte(first, "component external kind", at: sortAt)
            }
        }
        switch target {
        case 0x00:
            let s = try sort(r)
            let instance = try r.u32()
            return .instanceExport(sort: s, instance: instance, name: try r.string())
        case 0x01:
            guard let second, let core = CoreSort(rawValue: second) else {
                throw r.invalidLeadingByte(second ?? first, "core sort", at: second == nil ? sortAt : secondAt)
            }
            let instance = try r.u32()
            return .coreInstanceExport(sort: core, instance: instance, name: try r.string())
        case 0x02:
            let s: ComponentSort
            switch (first, second) {
            case (0x00, 0x11): s = .core(.module)
            case (0x00, 0x10): s = .core(.type)
            case (0x03, nil): s = .type
            case (0x04, nil): s = .component
            default:
                throw r.invalidLeadingByte(
                    second ?? first, "component outer alias kind", at: second == nil ? sortAt : secondAt)
            }
            let count = try r.u32()
            return .outer(sort: s, count: count, index: try r.u32())
        default:
            throw r.invalidLeadingByte(target, "alias", at: targetAt)
        }
    }

    // MARK: Types

    static func valueType(_ r: inout ComponentReader) throws(ComponentDecodeError) -> ValueTypeReference {
        let b = try r.peek()
        if let p = PrimitiveValueType(rawValue: b) {
            r.offset += 1
            return .primitive(p)
        }
        let v = try r.s33()
        return .index(UInt32(truncatingIfNeeded: v))
    }

    static func typeDefinition(_ r: inout ComponentReader) throws(ComponentDecodeError) -> TypeDefinition {
        let at = r.offset
        switch try r.peek() {
        case 0x40, 0x43:
            r.offset += 1
            return .function(try functionType(&r, isAsync: r.bytes[at] == 0x43))
        case 0x41:
            r.offset += 1
            return .component(
                try r.vector { r throws(ComponentDecodeError) in try positioned(&r) { r throws(ComponentDecodeError) in try declaration(&r, inComponent: true) } })
        case 0x42:
            r.offset += 1
            return .instance(
                try r.vector { r throws(ComponentDecodeError) in try positioned(&r) { r throws(ComponentDecodeError) in try declaration(&r, inComponent: false) } })
        case 0x3F:
            r.offset += 1
            let rep = try coreValueType(&r)
            let destructor = try r.optional("resource destructor") { r throws(ComponentDecodeError) in try r.u32() }
            return .resource(representation: rep, destructor: destructor)
        default:
            return .defined(try definedType(&r))
        }
    }

    static func functionType(_ r: inout ComponentReader, isAsync: Bool) throws(ComponentDecodeError)
        -> FunctionTypeDefinition
    {
        let parameters = try r.vector { r throws(ComponentDecodeError) in
            let label = try r.string()
            return LabeledValueType(label: label, type: try valueType(&r))
        }
        let at = r.offset
        let result: ValueTypeReference?
        switch try r.byte() {
        case 0x00: result = try valueType(&r)
        case 0x01:
            let countAt = r.offset
            let count = try r.byte()
            guard count == 0 else { throw r.invalidLeadingByte(count, "number of results", at: countAt) }
            result = nil
        case let b: throw r.invalidLeadingByte(b, "component function results", at: at)
        }
        return FunctionTypeDefinition(isAsync: isAsync, parameters: parameters, result: result)
    }

    static func definedType(_ r: inout ComponentReader) throws(ComponentDecodeError) -> DefinedTypeDefinition {
        let at = r.offset
        let b = try r.byte()
        if let p = PrimitiveValueType(rawValue: b) { return .primitive(p) }
        switch b {
        case 0x72:
            return .record(
                try r.vector { r throws(ComponentDecodeError) in
                    let label = try r.string()
                    return LabeledValueType(label: label, type: try valueType(&r))
                })
        case 0x71:
            return .variant(
                try r.vector { r throws(ComponentDecodeError) in
                    let label = try r.string()
                    let type = try r.optional("optional component value type") { r throws(ComponentDecodeError) in try valueType(&r) }
                    try r.zeroByte()
                    return VariantCaseDefinition(label: label, type: type)
                })
        case 0x70: return .list(try valueType(&r))
        case 0x67:
            let element = try valueType(&r)
            return .fixedList(element, try r.u32())
        case 0x6F: return .tuple(try r.vector { r throws(ComponentDecodeError) in try valueType(&r) })
        case 0x6E: return .flags(try r.vector { r throws(ComponentDecodeError) in try r.string() })
        case 0x6D: return .enum(try r.vector { r throws(ComponentDecodeError) in try r.string() })
        case 0x6B: return .option(try valueType(&r))
        case 0x6A:
            let ok = try r.optional("optional component value type") { r throws(ComponentDecodeError) in try valueType(&r) }
            let error = try r.optional("optional component value type") { r throws(ComponentDecodeError) in try valueType(&r) }
            return .result(ok: ok, error: error)
        case 0x69: return .own(try r.u32())
        case 0x68: return .borrow(try r.u32())
        case 0x66: return .stream(try r.optional("optional component value type") { r throws(ComponentDecodeError) in try valueType(&r) })
        case 0x65: return .future(try r.optional("optional component value type") { r throws(ComponentDecodeError) in try valueType(&r) })
        case 0x63:
            let key = try valueType(&r)
            return .map(key, try valueType(&r))
        default:
            throw r.invalidLeadingByte(b, "component defined type", at: at)
        }
    }

    static func declaration(_ r: inout ComponentReader, inComponent: Bool) throws(ComponentDecodeError)
        -> TypeDeclaration
    {
        let at = r.offset
        switch try r.byte() {
        case 0x00: return .coreType(try coreType(&r, allowModule: true))
        case 0x01: return .type(try typeDefinition(&r))
        case 0x02: return .alias(try alias(&r))
        case 0x03 where inComponent:
            let name = try externName(&r)
            return .import(name, try externDescriptor(&r))
        case 0x04:
            let name = try externName(&r)
            return .export(name, try externDescriptor(&r))
        case let b:
            throw r.invalidLeadingByte(b, "component or instance type declaration", at: at)
        }
    }

    // MARK: Names, imports and exports

    static func externName(_ r: inout ComponentReader) throws(ComponentDecodeError) -> ComponentExternName {
        let at = r.offset
        switch try r.byte() {
        case 0x00, 0x01:
            return ComponentExternName(try r.string())
        case 0x02:
            var name = ComponentExternName(try r.string())
            let count = try r.u32()
            for _ in 0..<count {
                let optionAt = r.offset
                let kind = try r.byte()
                let value = try r.string()
                switch kind {
                case 0x00:
                    if name.implements != nil { name.duplicateAttribute = name.duplicateAttribute ?? "implements" }
                    name.implements = value
                case 0x01:
                    if name.versionSuffix != nil {
                        name.duplicateAttribute = name.duplicateAttribute ?? "versionsuffix"
                    }
                    name.versionSuffix = value
                case 0x02:
                    if name.externalID != nil { name.duplicateAttribute = name.duplicateAttribute ?? "external-id" }
                    name.externalID = value
                default:
                    throw r.invalidLeadingByte(kind, "name option", at: optionAt)
                }
            }
            return name
        case let b:
            throw r.invalidLeadingByte(b, "component name", at: at)
        }
    }

    static func externDescriptor(_ r: inout ComponentReader) throws(ComponentDecodeError) -> ExternDescriptor {
        let at = r.offset
        switch try r.byte() {
        case 0x00:
            let innerAt = r.offset
            let inner = try r.byte()
            guard inner == 0x11 else { throw r.invalidLeadingByte(inner, "component external kind", at: innerAt) }
            return .module(coreTypeIndex: try r.u32())
        case 0x01: return .function(typeIndex: try r.u32())
        case 0x02:
            let boundAt = r.offset
            switch try r.byte() {
            case 0x00: return .value(.eq(try r.u32()))
            case 0x01: return .value(.type(try valueType(&r)))
            case let b: throw r.invalidLeadingByte(b, "value bound", at: boundAt)
            }
        case 0x03:
            let boundAt = r.offset
            switch try r.byte() {
            case 0x00: return .type(.eq(try r.u32()))
            case 0x01: return .type(.subResource)
            case let b: throw r.invalidLeadingByte(b, "type bound", at: boundAt)
            }
        case 0x04: return .component(typeIndex: try r.u32())
        case 0x05: return .instance(typeIndex: try r.u32())
        case let b: throw r.invalidLeadingByte(b, "component external kind", at: at)
        }
    }

    static func componentImport(_ r: inout ComponentReader) throws(ComponentDecodeError) -> ComponentImport {
        let name = try externName(&r)
        return ComponentImport(name: name, type: try externDescriptor(&r))
    }

    static func componentExport(_ r: inout ComponentReader) throws(ComponentDecodeError) -> ComponentExport {
        let name = try externName(&r)
        let item = try sortIndex(&r)
        let type = try r.optional("optional component export type") { r throws(ComponentDecodeError) in try externDescriptor(&r) }
        return ComponentExport(name: name, item: item, type: type)
    }

    // MARK: Canonical definitions

    static func canonicalOptions(_ r: inout ComponentReader) throws(ComponentDecodeError) -> [CanonicalOption] {
        try r.vector { r throws(ComponentDecodeError) in
            let at = r.offset
            switch try r.byte() {
            case 0x00: return .utf8
            case 0x01: return .utf16
            case 0x02: return .latin1UTF16
            case 0x03: return .memory(try r.u32())
            case 0x04: return .realloc(try r.u32())
            case 0x05: return .postReturn(try r.u32())
            case 0x06: return .async
            case 0x07: return .callback(try r.u32())
            case 0x08: return .coreType(try r.u32())
            case 0x09: return .gc
            case let b: throw r.invalidLeadingByte(b, "canonical option", at: at)
            }
        }
    }

    static func canonical(_ r: inout ComponentReader) throws(ComponentDecodeError) -> CanonicalFunction {
        let at = r.offset
        let op = try r.byte()
        func builtin(
            _ name: String, type: Bool = false, options: Bool = false, flag: Bool = false, _ r: inout ComponentReader
        ) throws(ComponentDecodeError) -> CanonicalFunction {
            let t: UInt32? = type ? try r.u32() : nil
            let o: [CanonicalOption] = options ? try canonicalOptions(&r) : []
            let f: Bool? = flag ? try r.bool() : nil
            return .builtin(
                CanonicalBuiltin(name: name, typeIndex: t, result: nil, options: o, flag: f, immediates: []))
        }
        switch op {
        case 0x00:
            let sortAt = r.offset
            let sort = try r.byte()
            guard sort == 0x00 else { throw r.invalidLeadingByte(sort, "canonical function lift", at: sortAt) }
            let core = try r.u32()
            let options = try canonicalOptions(&r)
            return .lift(coreFunction: core, options: options, type: try r.u32())
        case 0x01:
            let sortAt = r.offset
            let sort = try r.byte()
            guard sort == 0x00 else { throw r.invalidLeadingByte(sort, "canonical function lower", at: sortAt) }
            let function = try r.u32()
            return .lower(function: function, options: try canonicalOptions(&r))
        case 0x02: return .resourceNew(type: try r.u32())
        case 0x03: return .resourceDrop(type: try r.u32(), async: false)
        case 0x04: return .resourceRep(type: try r.u32())
        case 0x05: return try builtin("task.cancel", &r)
        case 0x06: return try builtin("subtask.cancel", flag: true, &r)
        case 0x08: return try builtin("backpressure.set", &r)
        case 0x09:
            let resultAt = r.offset
            let result: ValueTypeReference?
            switch try r.byte() {
            case 0x00: result = try valueType(&r)
            case 0x01:
                try r.zeroByte("number of results")
                result = nil
            case let b: throw r.invalidLeadingByte(b, "component function results", at: resultAt)
            }
            let options = try canonicalOptions(&r)
            return .builtin(
                CanonicalBuiltin(name: "task.return", typeIndex: nil, result: result, options: options, flag: nil, immediates: []))
        case 0x0A, 0x0B:
            let typeAt = r.offset
            let t = try r.byte()
            guard t == 0x7F else { throw r.invalidLeadingByte(t, "context type", at: typeAt) }
            let index = try r.u32()
            return .builtin(
                CanonicalBuiltin(
                    name: op == 0x0A ? "context.get" : "context.set", typeIndex: nil, result: nil, options: [], flag: nil,
                    immediates: [index]))
        case 0x0C: return try builtin("thread.yield", flag: true, &r)
        case 0x0D: return try builtin("subtask.drop", &r)
        case 0x0E: return try builtin("stream.new", type: true, &r)
        case 0x0F: return try builtin("stream.read", type: true, options: true, &r)
        case 0x10: return try builtin("stream.write", type: true, options: true, &r)
        case 0x11: return try builtin("stream.cancel-read", type: true, flag: true, &r)
        case 0x12: return try builtin("stream.cancel-write", type: true, flag: true, &r)
        case 0x13: return try builtin("stream.drop-readable", type: true, &r)
        case 0x14: return try builtin("stream.drop-writable", type: true, &r)
        case 0x15: return try builtin("future.new", type: true, &r)
        case 0x16: return try builtin("future.read", type: true, options: true, &r)
        case 0x17: return try builtin("future.write", type: true, options: true, &r)
        case 0x18: return try builtin("future.cancel-read", type: true, flag: true, &r)
        case 0x19: return try builtin("future.cancel-write", type: true, flag: true, &r)
        case 0x1A: return try builtin("future.drop-readable", type: true, &r)
        case 0x1B: return try builtin("future.drop-writable", type: true, &r)
        case 0x1C: return try builtin("error-context.new", options: true, &r)
        case 0x1D: return try builtin("error-context.debug-message", options: true, &r)
        case 0x1E: return try builtin("error-context.drop", &r)
        case 0x1F: return try builtin("waitable-set.new", &r)
        case 0x20, 0x21:
            let cancellable = try r.bool()
            let memory = try r.u32()
            return .builtin(
                CanonicalBuiltin(
                    name: op == 0x20 ? "waitable-set.wait" : "waitable-set.poll", typeIndex: nil, result: nil,
                    options: [.memory(memory)], flag: cancellable, immediates: []))
        case 0x22: return try builtin("waitable-set.drop", &r)
        case 0x23: return try builtin("waitable.join", &r)
        case 0x24: return try builtin("backpressure.inc", &r)
        case 0x25: return try builtin("backpressure.dec", &r)
        case 0x26: return try builtin("thread.index", &r)
        case 0x27:
            let type = try r.u32()
            let table = try r.u32()
            return .builtin(
                CanonicalBuiltin(
                    name: "thread.new-indirect", typeIndex: nil, result: nil, options: [], flag: nil,
                    immediates: [type, table]))
        case 0x28: return try builtin("thread.resume-later", &r)
        case 0x29: return try builtin("thread.suspend", flag: true, &r)
        case 0x2A: return try builtin("thread.suspend-then-resume", flag: true, &r)
        case 0x2B: return try builtin("thread.yield-then-resume", flag: true, &r)
        case 0x2C: return try builtin("thread.suspend-then-promote", flag: true, &r)
        case 0x2D: return try builtin("thread.yield-then-promote", flag: true, &r)
        case 0x40: return try builtin("thread.spawn-ref", type: true, &r)
        case 0x41:
            let type = try r.u32()
            let table = try r.u32()
            return .builtin(
                CanonicalBuiltin(
                    name: "thread.spawn-indirect", typeIndex: type, result: nil, options: [], flag: nil,
                    immediates: [table]))
        case 0x42: return try builtin("thread.available-parallelism", &r)
        default:
            throw r.invalidLeadingByte(op, "canonical function", at: at)
        }
    }
}
