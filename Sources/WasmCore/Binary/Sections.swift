/// Decoders of the type, import, function, table, memory, global and export sections.
///
/// Spec: https://webassembly.github.io/spec/core/binary/modules.html#sections
extension ModuleDecoder {
    static func decodeTypeSection(_ reader: inout ByteReader, into info: inout ModuleInfo) throws(DecodeError) {
        let count = try reader.readLength()
        info.types.reserveCapacity(count)
        for _ in 0..<count {
            let at = reader.offset
            // The form is a signed LEB128 (-0x20) in the reference interpreter.
            guard try reader.readSignedLEB(bits: 7) == -0x20 else {
                throw DecodeError("malformed function type", offset: at)
            }
            let paramCount = try reader.readLength()
            var parameters: [ValueType] = []
            parameters.reserveCapacity(paramCount)
            for _ in 0..<paramCount { parameters.append(try reader.readValueType(features: info.features)) }
            let resultCount = try reader.readLength()
            var results: [ValueType] = []
            results.reserveCapacity(resultCount)
            for _ in 0..<resultCount { results.append(try reader.readValueType(features: info.features)) }
            info.types.append(FunctionType(parameters: parameters, results: results))
        }
    }

    static func decodeImportSection(_ reader: inout ByteReader, into info: inout ModuleInfo) throws(DecodeError) {
        let count = try reader.readLength()
        info.imports.reserveCapacity(count)
        for _ in 0..<count {
            let module = try reader.readModuleName()
            let name = try reader.readModuleName()
            let at = reader.offset
            let kind = try reader.readByte()
            let descriptor: ImportDescriptor
            switch kind {
            case 0: descriptor = .function(typeIndex: try reader.readIndex())
            case 1: descriptor = .table(try reader.readTableType(features: info.features))
            case 2: descriptor = .memory(try reader.readMemoryType(features: info.features))
            case 3: descriptor = .global(try reader.readGlobalType(features: info.features))
            case 4:
                guard info.features.exceptions else {
                    throw DecodeError("malformed import kind: exceptions support is not enabled", offset: at)
                }
                descriptor = .tag(typeIndex: try reader.readTagType())
            default: throw DecodeError("malformed import kind", offset: at)
            }
            info.imports.append(Import(module: module, name: name, descriptor: descriptor))
        }
    }

    static func decodeFunctionSection(_ reader: inout ByteReader, into info: inout ModuleInfo) throws(DecodeError) {
        let count = try reader.readLength()
        info.functions.reserveCapacity(count)
        for _ in 0..<count { info.functions.append(try reader.readIndex()) }
    }

    static func decodeTableSection(_ reader: inout ByteReader, into info: inout ModuleInfo) throws(DecodeError) {
        let count = try reader.readLength()
        for _ in 0..<count {
            // 0x40 0x00: a table with an initializer expression (typed function references).
            if try reader.peekByte() == 0x40 {
                let at = reader.offset
                _ = try reader.readByte()
                guard try reader.readByte() == 0 else { throw DecodeError("malformed table", offset: at) }
                info.tables.append(try reader.readTableType(features: info.features))
                info.tableInitializers.append(try reader.readConstExpression(features: info.features))
            } else {
                info.tables.append(try reader.readTableType(features: info.features))
                info.tableInitializers.append(nil)
            }
        }
    }

    static func decodeMemorySection(_ reader: inout ByteReader, into info: inout ModuleInfo) throws(DecodeError) {
        let count = try reader.readLength()
        for _ in 0..<count { info.memories.append(try reader.readMemoryType(features: info.features)) }
    }

    static func decodeGlobalSection(_ reader: inout ByteReader, into info: inout ModuleInfo) throws(DecodeError) {
        let count = try reader.readLength()
        info.globals.reserveCapacity(count)
        for _ in 0..<count {
            let type = try reader.readGlobalType(features: info.features)
            let initializer = try reader.readConstExpression(features: info.features)
            info.globals.append(GlobalDefinition(type: type, initializer: initializer))
        }
    }

    /// The tag section (exception handling): one tag type per tag.
    static func decodeTagSection(_ reader: inout ByteReader, into info: inout ModuleInfo) throws(DecodeError) {
        let count = try reader.readLength()
        for _ in 0..<count { info.tags.append(try reader.readTagType()) }
    }

    static func decodeExportSection(_ reader: inout ByteReader, into info: inout ModuleInfo) throws(DecodeError) {
        let count = try reader.readLength()
        info.exports.reserveCapacity(count)
        for _ in 0..<count {
            let name = try reader.readModuleName()
            let at = reader.offset
            let kindByte = try reader.readByte()
            if kindByte == ExternalKind.tag.rawValue && !info.features.exceptions {
                throw DecodeError("malformed export kind: exceptions support is not enabled", offset: at)
            }
            guard let kind = ExternalKind(rawValue: kindByte) else {
                throw DecodeError("malformed export kind", offset: at)
            }
            info.exports.append(Export(name: name, kind: kind, index: try reader.readIndex()))
        }
    }
}
