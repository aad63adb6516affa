/// Parses the `name` custom section (module, function and local names).
///
/// Spec: https://webassembly.github.io/spec/core/appendix/custom.html#name-section
/// A malformed name section never makes the module malformed: it is ignored.
enum NameSectionDecoder {
    static func decode(_ info: ModuleInfo) -> NameSection? {
        guard let section = info.customSections.first(where: { $0.name == "name" }) else { return nil }
        return info.bytes.withUnsafeBufferPointer { buffer -> NameSection? in
            guard let base = buffer.baseAddress else { return nil }
            var reader = ByteReader(base: base, offset: section.payload.lowerBound, limit: section.payload.upperBound)
            do throws(DecodeError) {
                return try parse(&reader)
            } catch {
                return nil
            }
        }
    }

    static func parse(_ reader: inout ByteReader) throws(DecodeError) -> NameSection {
        var names = NameSection()
        var lastID: Int = -1
        while !reader.isAtEnd {
            let id = try reader.readByte()
            guard Int(id) > lastID else { throw DecodeError("malformed name section", offset: reader.offset) }
            lastID = Int(id)
            let size = Int(try reader.readU32())
            guard size <= reader.remaining else { throw DecodeError("unexpected end", offset: reader.offset) }
            let end = reader.offset + size
            var sub = ByteReader(base: reader.base, offset: reader.offset, limit: end)
            switch id {
            case 0:
                names.moduleName = try sub.readName()
            case 1:
                names.functionNames = try readNameMap(&sub)
            case 2:
                let count = try sub.readU32()
                for _ in 0..<count {
                    let function = try sub.readU32()
                    names.localNames[function] = try readNameMap(&sub)
                }
            default:
                sub.offset = end  // other subsections (labels, types, ...) are skipped
            }
            guard sub.offset == end else { throw DecodeError("section size mismatch", offset: sub.offset) }
            reader.offset = end
        }
        return names
    }

    static func readNameMap(_ reader: inout ByteReader) throws(DecodeError) -> [UInt32: String] {
        var map: [UInt32: String] = [:]
        let count = try reader.readU32()
        guard Int(count) <= reader.remaining else { throw DecodeError("unexpected end", offset: reader.offset) }
        for _ in 0..<count {
            let index = try reader.readU32()
            map[index] = try reader.readName()
        }
        return map
    }
}
