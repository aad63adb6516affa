import WasmCore

// Strings: decoding from and encoding (with transcoding) into a guest's memory in its
// `string-encoding` (utf8, utf16, latin1+utf16).
// Spec: component-model `design/mvp/CanonicalABI.md` ("Strings": `load_string_from_range`,
// `store_string_into_range` and its transcoders, with their `realloc` call sequences).

extension CanonicalContext {
    static let utf16Tag: UInt32 = 1 << 31
    static let maxStringByteLength = (1 << 31) - 1

    var stringOutOfBounds: String {
        adapter ? "string content out-of-bounds" : "string pointer/length out of bounds of memory"
    }

    /// `load_string_from_range`.
    func loadString(_ ptr: UInt32, _ taggedUnits: UInt32) throws -> String {
        let alignment: Int
        let byteLength: Int
        let utf16: Bool
        switch options.encoding {
        case .utf8:
            (alignment, byteLength, utf16) = (1, Int(taggedUnits), false)
        case .utf16:
            (alignment, byteLength, utf16) = (2, 2 * Int(taggedUnits), true)
        case .latin1UTF16:
            if taggedUnits & Self.utf16Tag != 0 {
                (alignment, byteLength, utf16) = (2, 2 * Int(taggedUnits ^ Self.utf16Tag), true)
            } else {
                (alignment, byteLength, utf16) = (2, Int(taggedUnits), false)
            }
        }
        if Int(ptr) % alignment != 0 { throw Self.trap("unaligned pointer") }
        if try Int(ptr) + byteLength > memorySize() { throw Self.trap(stringOutOfBounds) }
        let raw = bytes(Int(ptr), byteLength)
        if utf16 {
            var units: [UInt16] = []
            units.reserveCapacity(byteLength / 2)
            for i in stride(from: 0, to: byteLength, by: 2) { units.append(UInt16(raw[i]) | UInt16(raw[i + 1]) << 8) }
            return try Self.decodeUTF16(units)
        }
        if options.encoding == .latin1UTF16 {
            var s = String.UnicodeScalarView()
            for b in raw { s.append(Unicode.Scalar(b)) }
            return String(s)
        }
        return try Self.decodeUTF8(raw)
    }

    /// Strict UTF-8 decoding with Rust's error wording (what wasmtime reports).
    static func decodeUTF8(_ bytes: [UInt8]) throws -> String {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let width: Int
            var lo: UInt8 = 0x80
            var hi: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: width = 2
            case 0xE0: (width, lo) = (3, 0xA0)
            case 0xE1...0xEC, 0xEE...0xEF: width = 3
            case 0xED: (width, hi) = (3, 0x9F)
            case 0xF0: (width, lo) = (4, 0x90)
            case 0xF1...0xF3: width = 4
            case 0xF4: (width, hi) = (4, 0x8F)
            default: throw trap("invalid utf-8 sequence of 1 bytes from index \(i)")
            }
            var j = 1
            while j < width {
                guard i + j < n else { throw trap("incomplete utf-8 byte sequence from index \(i)") }
                let c = bytes[i + j]
                let (l, h) = j == 1 ? (lo, hi) : (UInt8(0x80), UInt8(0xBF))
                guard c >= l && c <= h else { throw trap("invalid utf-8 sequence of \(j) bytes from index \(i)") }
                j += 1
            }
            i += width
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func decodeUTF16(_ units: [UInt16]) throws -> String {
        var s = String.UnicodeScalarView()
        var it = units.makeIterator()
        var decoder = UTF16()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue(let v): s.append(v)
            case .emptyInput: return String(s)
            case .error: throw trap("invalid utf-16 string")
            }
        }
    }

    // MARK: Storing

    /// `store_string_into_range`: encodes `s` (which came from a guest using `source`, or from
    /// the host as UTF-8) into this instance's encoding; returns the pointer and tagged length.
    func storeString(_ s: String, source: StringEncoding) throws -> (UInt32, UInt32) {
        // The source's simple encoding and code-unit count decide the realloc sizes.
        enum Simple { case utf8, utf16, latin1 }
        let simple: Simple
        let units: Int
        switch source {
        case .utf8: (simple, units) = (.utf8, s.utf8.count)
        case .utf16: (simple, units) = (.utf16, s.utf16.count)
        case .latin1UTF16:
            if s.unicodeScalars.allSatisfy({ $0.value < 256 }) {
                (simple, units) = (.latin1, s.unicodeScalars.count)
            } else {
                (simple, units) = (.utf16, s.utf16.count)
            }
        }
        switch (options.encoding, simple) {
        case (.utf8, .utf8): return try copy(Array(s.utf8), units: units, alignment: 1)
        case (.utf8, .utf16): return try storeUTF8(s, units: units, worstCase: units * 3)
        case (.utf8, .latin1): return try storeUTF8(s, units: units, worstCase: units * 2)
        case (.utf16, .utf8): return try storeUTF8ToUTF16(s, units: units)
        case (.utf16, _): return try copy(Self.utf16Bytes(s), units: units, alignment: 2)
        case (.latin1UTF16, .latin1):
            return try copy(s.unicodeScalars.map { UInt8($0.value) }, units: units, alignment: 2)
        case (.latin1UTF16, _): return try storeLatin1OrUTF16(s, units: units)
        }
    }

    static func utf16Bytes(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf16.count * 2)
        for u in s.utf16 {
            out.append(UInt8(truncatingIfNeeded: u))
            out.append(UInt8(truncatingIfNeeded: u >> 8))
        }
        return out
    }

    /// `store_string_copy`.
    private func copy(_ encoded: [UInt8], units: Int, alignment: Int) throws -> (UInt32, UInt32) {
        if encoded.count > Self.maxStringByteLength { throw Self.trap("string too large") }
        let ptr = try realloc(0, 0, alignment: alignment, encoded.count, content: "string")
        write(encoded, Int(ptr))
        return (ptr, UInt32(units))
    }

    /// `store_string_to_utf8` (from UTF-16 or Latin-1).
    private func storeUTF8(_ s: String, units: Int, worstCase: Int) throws -> (UInt32, UInt32) {
        var ptr = try realloc(0, 0, alignment: 1, units, content: "string")
        let scalars = Array(s.unicodeScalars)
        for (i, c) in scalars.enumerated() {
            if c.value < 0x80 {
                store(UInt8(c.value), Int(ptr) + i)
                continue
            }
            if worstCase > Self.maxStringByteLength { throw Self.trap("string too large") }
            ptr = try realloc(ptr, units, alignment: 1, worstCase, content: "string")
            let encoded = Array(s.utf8)
            write(Array(encoded[i...]), Int(ptr) + i)
            if worstCase > encoded.count {
                ptr = try realloc(ptr, worstCase, alignment: 1, encoded.count, content: "string")
            }
            return (ptr, UInt32(encoded.count))
        }
        return (ptr, UInt32(units))
    }

    /// `store_utf8_to_utf16`.
    private func storeUTF8ToUTF16(_ s: String, units: Int) throws -> (UInt32, UInt32) {
        let worstCase = 2 * units
        if worstCase > Self.maxStringByteLength { throw Self.trap("string too large") }
        var ptr = try realloc(0, 0, alignment: 2, worstCase, content: "string")
        let encoded = Self.utf16Bytes(s)
        write(encoded, Int(ptr))
        if encoded.count < worstCase {
            ptr = try realloc(ptr, worstCase, alignment: 2, encoded.count, content: "string")
        }
        return (ptr, UInt32(encoded.count / 2))
    }

    /// `store_string_to_latin1_or_utf16`.
    private func storeLatin1OrUTF16(_ s: String, units: Int) throws -> (UInt32, UInt32) {
        var ptr = try realloc(0, 0, alignment: 2, units, content: "string")
        var length = 0
        for c in s.unicodeScalars {
            if c.value < 256 {
                store(UInt8(c.value), Int(ptr) + length)
                length += 1
                continue
            }
            let worstCase = 2 * units
            if worstCase > Self.maxStringByteLength { throw Self.trap("string too large") }
            ptr = try realloc(ptr, units, alignment: 2, worstCase, content: "string")
            var j = length - 1
            while j >= 0 {
                store(load(UInt8.self, Int(ptr) + j), Int(ptr) + 2 * j)
                store(UInt8(0), Int(ptr) + 2 * j + 1)
                j -= 1
            }
            let encoded = Self.utf16Bytes(s)
            write(Array(encoded[(2 * length)...]), Int(ptr) + 2 * length)
            if worstCase > encoded.count {
                ptr = try realloc(ptr, worstCase, alignment: 2, encoded.count, content: "string")
            }
            return (ptr, UInt32(encoded.count / 2) | Self.utf16Tag)
        }
        if length < units {
            ptr = try realloc(ptr, units, alignment: 2, length, content: "string")
        }
        return (ptr, UInt32(length))
    }
}
