/// Decodes the binary format of a module into a `ModuleInfo` (well-formedness only).
///
/// Spec: https://webassembly.github.io/spec/core/binary/modules.html
///
/// Errors carry the spec suite's texts. Function bodies are not decoded here,
/// only delimited (`FunctionBody`); the translator decodes their instructions.
/// Section contents are read with the whole module as the limit (like the
/// reference interpreter) and each section's size is checked afterwards
/// ("section size mismatch"); running off the end of the module inside a
/// section is "unexpected end of section or function".
public enum ModuleDecoder {
    /// Position of each non-custom section id in the required order
    /// (the data count section, id 12, sits between element and code).
    static func order(ofSection id: UInt8) -> Int {
        switch id {
        case 13: return 11  // tag: between memory and global
        case 12: return 21
        case 10: return 22
        case 11: return 24
        default: return 2 * Int(id)
        }
    }

    static let sectionNames: [String] = [
        "custom", "type", "import", "function", "table", "memory", "global",
        "export", "start", "element", "code", "data", "data count", "tag",
    ]

    /// A readable name for section `id` ("custom", "type", ..., "data count").
    public static func sectionName(_ id: UInt8) -> String {
        Int(id) < sectionNames.count ? sectionNames[Int(id)] : "unknown"
    }

    /// With `scanningBodies: false` (lazy compilation) function bodies are only delimited,
    /// not scanned: a malformed body is then reported when it is first translated.
    /// A module using a feature that `features` switches off fails with an error naming it.
    public static func decode(
        _ bytes: [UInt8], scanningBodies: Bool = true, features: WasmFeatures = WasmFeatures()
    ) throws(DecodeError) -> ModuleInfo {
        var info = ModuleInfo(bytes: bytes, features: features)
        let result: Result<Void, DecodeError> = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else {
                return .failure(DecodeError("unexpected end", offset: 0))
            }
            var reader = ByteReader(base: base, offset: 0, limit: buffer.count)
            do throws(DecodeError) {
                try decodeHeader(&reader)
                do throws(DecodeError) {
                    try decodeSections(&reader, into: &info, scanningBodies: scanningBodies)
                } catch  where error.message == "unexpected end" {
                    throw DecodeError("unexpected end of section or function", offset: error.offset)
                }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
        info.names = NameSectionDecoder.decode(info)
        return info
    }

    static func decodeHeader(_ reader: inout ByteReader) throws(DecodeError) {
        let magic = try reader.readFixedU32()
        guard magic == 0x6D73_6100 else { throw DecodeError("magic header not detected", offset: 0) }
        let version = try reader.readFixedU32()
        guard version == 1 else { throw DecodeError("unknown binary version", offset: 4) }
    }

    static func decodeSections(
        _ reader: inout ByteReader, into info: inout ModuleInfo, scanningBodies: Bool = true
    ) throws(DecodeError) {
        var lastOrder = 0
        var scan = ByteReader.BodyScan()
        scan.features = info.features
        while !reader.isAtEnd {
            let sectionStart = reader.offset
            let id = try reader.readByte()
            guard id <= 13 else { throw DecodeError("malformed section id", offset: sectionStart) }
            if id != 0 {
                let order = order(ofSection: id)
                guard order > lastOrder else {
                    throw DecodeError("unexpected content after last section", offset: sectionStart)
                }
                lastOrder = order
            }
            let size = try reader.readLength()
            let payloadStart = reader.offset
            switch id {
            case 0: try decodeCustomSection(&reader, size: size, into: &info)
            case 1: try decodeTypeSection(&reader, into: &info)
            case 2: try decodeImportSection(&reader, into: &info)
            case 3: try decodeFunctionSection(&reader, into: &info)
            case 4: try decodeTableSection(&reader, into: &info)
            case 5: try decodeMemorySection(&reader, into: &info)
            case 6: try decodeGlobalSection(&reader, into: &info)
            case 7: try decodeExportSection(&reader, into: &info)
            case 8: info.start = try reader.readIndex()
            case 9: try decodeElementSection(&reader, into: &info)
            case 10: try decodeCodeSection(&reader, into: &info, scan: &scan, scanningBodies: scanningBodies)
            case 11: try decodeDataSection(&reader, into: &info)
            case 13:
                guard info.features.exceptions else {
                    throw DecodeError("malformed section id: exceptions support is not enabled", offset: sectionStart)
                }
                try decodeTagSection(&reader, into: &info)
            default: info.dataCount = try reader.readU32()
            }
            guard reader.offset == payloadStart + size else {
                throw DecodeError("section size mismatch", offset: payloadStart)
            }
            info.sections.append(
                SectionRecord(id: id, start: sectionStart, payloadStart: payloadStart, end: reader.offset))
        }
        let end = reader.limit
        guard info.functions.count == info.codes.count else {
            throw DecodeError("function and code section have inconsistent lengths", offset: end)
        }
        if let dataCount = info.dataCount, Int(dataCount) != info.data.count {
            throw DecodeError("data count and data section have inconsistent lengths", offset: end)
        }
        // Without data segments at all, `memory.init`/`data.drop` are left to the
        // translator, which reports "unknown data segment N" (what the spec suite
        // expects from such modules; they are converted from text without a data
        // count section).
        if info.dataCount == nil && scan.usesDataSegments && !info.data.isEmpty {
            throw DecodeError("data count section required", offset: end)
        }
    }

    static func decodeCustomSection(_ reader: inout ByteReader, size: Int, into info: inout ModuleInfo)
        throws(DecodeError)
    {
        let start = reader.offset
        let name = try reader.readModuleName()
        // The name may not run past the section (skipping a negative count fails).
        let rest = size - (reader.offset - start)
        guard rest >= 0 else { throw DecodeError("unexpected end", offset: reader.offset) }
        try reader.skip(rest)
        info.customSections.append(CustomSection(name: name, payload: (start + size - rest)..<(start + size)))
    }
}
