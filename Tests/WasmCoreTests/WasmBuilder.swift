/// Helpers to write small binary modules by hand in tests.
enum Wasm {
    static let header: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]

    static func u32(_ value: UInt32) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { byte |= 0x80 }
            out.append(byte)
        } while v != 0
        return out
    }

    /// A signed LEB128 (an `i32.const` immediate).
    static func sleb32(_ value: Int32) -> [UInt8] {
        var v = Int64(value)
        var out: [UInt8] = []
        while true {
            let byte = UInt8(v & 0x7F)
            v >>= 7
            if (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0) {
                out.append(byte)
                return out
            }
            out.append(byte | 0x80)
        }
    }

    static func name(_ s: String) -> [UInt8] { u32(UInt32(s.utf8.count)) + Array(s.utf8) }

    static func vec(_ items: [[UInt8]]) -> [UInt8] { u32(UInt32(items.count)) + items.flatMap { $0 } }

    static func section(_ id: UInt8, _ payload: [UInt8]) -> [UInt8] { [id] + u32(UInt32(payload.count)) + payload }

    static func module(_ sections: [UInt8]...) -> [UInt8] { header + sections.flatMap { $0 } }

    /// A function type `(params) -> (results)`.
    static func funcType(_ params: [UInt8] = [], _ results: [UInt8] = []) -> [UInt8] {
        [0x60] + vec(params.map { [$0] }) + vec(results.map { [$0] })
    }

    /// A code entry: local groups and instruction bytes (the final `end` included).
    static func body(locals: [(UInt32, UInt8)] = [], _ code: [UInt8]) -> [UInt8] {
        let content = vec(locals.map { u32($0.0) + [$0.1] }) + code
        return u32(UInt32(content.count)) + content
    }

    static let i32: UInt8 = 0x7F
    static let i64: UInt8 = 0x7E
    static let f32: UInt8 = 0x7D
    static let f64: UInt8 = 0x7C
    static let funcref: UInt8 = 0x70
    static let externref: UInt8 = 0x6F
    static let end: UInt8 = 0x0B

    /// One type `() -> ()`, one function using it with body `end`.
    static var oneFunction: [UInt8] {
        section(1, vec([funcType()])) + section(3, vec([[0]])) + section(10, vec([body([end])]))
    }
}
