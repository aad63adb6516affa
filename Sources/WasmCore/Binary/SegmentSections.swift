/// Decoders of the element, code and data sections.
///
/// Spec: https://webassembly.github.io/spec/core/binary/modules.html#element-section
extension ModuleDecoder {
    /// Implementation limit on a function's declared locals (the spec's own limit,
    /// 2^32 - 1, is far beyond what can be allocated). Same as wasmtime's.
    public static let maxLocals = 50_000

    static func decodeElementSection(_ reader: inout ByteReader, into info: inout ModuleInfo) throws(DecodeError) {
        let count = try reader.readLength()
        info.elements.reserveCapacity(count)
        for _ in 0..<count {
            info.elements.append(try decodeElementSegment(&reader, features: info.features))
        }
    }

    /// The eight encodings of an element segment, selected by the flag's bits:
    /// bit 0 = passive/declarative (else active), bit 1 = explicit table index
    /// (active) or declarative (bit 0 set), bit 2 = expressions instead of indices.
    static func decodeElementSegment(_ reader: inout ByteReader, features: WasmFeatures = WasmFeatures()) throws(DecodeError)
        -> ElementSegment
    {
        let at = reader.offset
        let flags = try reader.readU32()
        guard flags <= 7 else { throw DecodeError("malformed elements segment kind", offset: at) }
        let mode: ElementSegment.Mode
        switch flags {
        case 0, 4:
            mode = .active(table: 0, offset: try reader.readConstExpression(features: features))
        case 2, 6:
            let table = try reader.readIndex()
            mode = .active(table: table, offset: try reader.readConstExpression(features: features))
        case 1, 5:
            mode = .passive
        default:
            mode = .declarative
        }
        let usesExpressions = flags & 4 != 0
        // Function indices (no expressions) are never null: `(ref func)` with typed function
        // references (Wasm 2.0 has only `funcref`).
        var type =
            usesExpressions || !features.functionReferences
            ? ValueType.funcref : ValueType.reference(.function, nullable: false)
        if flags & 3 != 0 {
            if usesExpressions {
                let typeAt = reader.offset
                type = try reader.readReferenceType()
                try ByteReader.checkFeatures(of: type, at: typeAt, features, malformed: "malformed reference type")
            } else {
                let kindAt = reader.offset
                guard try reader.readByte() == 0x00 else {
                    throw DecodeError("malformed element kind", offset: kindAt)
                }
            }
        }
        let n = try reader.readLength()
        var initializers: [ConstExpression] = []
        initializers.reserveCapacity(n)
        for _ in 0..<n {
            if usesExpressions {
                initializers.append(try reader.readConstExpression(features: features))
            } else {
                initializers.append(ConstExpression([.refFunc(try reader.readIndex())]))
            }
        }
        return ElementSegment(mode: mode, type: type, initializers: initializers)
    }

    /// Function bodies are not decoded into instructions, but scanned for
    /// well-formedness (`ByteReader.scanFunctionBody`) so that malformed bodies
    /// are reported with the spec suite's texts before any size check.
    static func decodeCodeSection(
        _ reader: inout ByteReader, into info: inout ModuleInfo, scan: inout ByteReader.BodyScan,
        scanningBodies: Bool = true
    ) throws(DecodeError) {
        let count = try reader.readLength()
        info.codes.reserveCapacity(count)
        for _ in 0..<count {
            let size = try reader.readLength()
            let bodyStart = reader.offset
            let bodyEnd = bodyStart + size
            let localsAt = reader.offset
            let groups = try reader.readLength()
            var declared: [(count: UInt32, type: ValueType)] = []
            var total: UInt64 = 0
            for _ in 0..<groups {
                let n = try reader.readU32()
                let t = try reader.readValueType(features: info.features)
                total += UInt64(n)
                declared.append((n, t))
            }
            guard total < 0x1_0000_0000, total <= UInt64(maxLocals) else {
                throw DecodeError("too many locals", offset: localsAt)
            }
            let codeStart = reader.offset
            guard codeStart <= bodyEnd else { throw DecodeError("section size mismatch", offset: bodyStart) }
            if scanningBodies {
                try reader.scanFunctionBody(&scan)
            } else {
                try reader.skip(bodyEnd - codeStart)
            }
            guard reader.offset == bodyEnd else {
                throw DecodeError("section size mismatch", offset: bodyStart)
            }
            var locals: [ValueType] = []
            locals.reserveCapacity(Int(total))
            for group in declared {
                locals.append(contentsOf: repeatElement(group.type, count: Int(group.count)))
            }
            info.codes.append(FunctionBody(locals: locals, codeStart: codeStart, codeEnd: bodyEnd))
        }
    }

    static func decodeDataSection(_ reader: inout ByteReader, into info: inout ModuleInfo) throws(DecodeError) {
        let count = try reader.readLength()
        info.data.reserveCapacity(count)
        for _ in 0..<count {
            let at = reader.offset
            let flags = try reader.readU32()
            let mode: DataSegment.Mode
            switch flags {
            case 0: mode = .active(memory: 0, offset: try reader.readConstExpression(features: info.features))
            case 1: mode = .passive
            case 2:
                let memory = try reader.readIndex()
                mode = .active(memory: memory, offset: try reader.readConstExpression(features: info.features))
            default:
                throw DecodeError("malformed data segment kind", offset: at)
            }
            let n = try reader.readLength()
            info.data.append(DataSegment(mode: mode, bytes: try reader.readBytes(n)))
        }
    }
}
