/// Builds component binaries by hand for tests: a preamble and sections.
struct ComponentBuilder {
    static let preamble: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00]
    static let modulePreamble: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]

    var bytes: [UInt8] = preamble

    /// Appends section `id` with `payload` (its size written as one LEB128).
    mutating func section(_ id: UInt8, _ payload: [UInt8]) {
        bytes.append(id)
        bytes += Self.leb(payload.count)
        bytes += payload
    }

    /// A vector section: count, then the items' bytes.
    mutating func vectorSection(_ id: UInt8, _ items: [[UInt8]]) {
        section(id, Self.leb(items.count) + items.joined())
    }

    static func leb(_ value: Int) -> [UInt8] {
        var v = UInt32(value)
        var out: [UInt8] = []
        repeat {
            var b = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
        return out
    }

    static func name(_ s: String) -> [UInt8] { leb(s.utf8.count) + Array(s.utf8) }

    /// A plain extern name (`0x00` prefix).
    static func externName(_ s: String) -> [UInt8] { [0x00] + name(s) }

    /// A core module exporting a function `f` of type () -> () and a memory `mem`.
    static let coreModule: [UInt8] =
        modulePreamble
        + [0x01, 0x04, 0x01, 0x60, 0x00, 0x00]  // type section: (func)
        + [0x03, 0x02, 0x01, 0x00]  // function section
        + [0x05, 0x03, 0x01, 0x00, 0x01]  // memory section: 1 page
        + [0x07, 0x0B, 0x02] + name("f") + [0x00, 0x00] + name("mem") + [0x02, 0x00]  // exports
        + [0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B]  // code: one empty body
}
