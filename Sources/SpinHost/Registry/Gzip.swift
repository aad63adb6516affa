/// gzip (RFC 1952) around DEFLATE (RFC 1951), decoding (and stored-block encoding): Spin's archive layers
/// (`application/vnd.wasm.content.bundle.v1.tar+gzip`) are gzipped tars. A small canonical-
/// Huffman decoder in the manner of zlib's `puff`: clear errors with byte offsets, no speed tricks.
package enum Gzip {
    /// Why decompression failed, with the byte offset in the compressed input.
    package struct Failure: Error, Equatable, CustomStringConvertible {
        package var offset: Int
        package var reason: String
        package var description: String { "gzip data invalid at byte \(offset): \(reason)" }
    }

    /// The decompressed bytes of every gzip member in `bytes` (CRC-32, the key-value log's
    /// `CRC32`, and size checked).
    package static func decompress(_ bytes: [UInt8], limit: Int = 1 << 30) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        var position = 0
        repeat {
            let memberStart = out.count
            position = try header(bytes, at: position)
            var inflater = Inflater(input: bytes, position: position, limit: limit)
            try inflater.run(into: &out)
            position = inflater.bytePosition
            guard position + 8 <= bytes.count else { throw Failure(offset: position, reason: "truncated trailer") }
            let crc =
                UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8 | UInt32(bytes[position + 2]) << 16
                | UInt32(bytes[position + 3]) << 24
            let size =
                UInt32(bytes[position + 4]) | UInt32(bytes[position + 5]) << 8 | UInt32(bytes[position + 6]) << 16
                | UInt32(bytes[position + 7]) << 24
            guard CRC32.checksum(out[memberStart...]) == crc else {
                throw Failure(offset: position, reason: "CRC-32 mismatch")
            }
            guard UInt32(truncatingIfNeeded: out.count - memberStart) == size else {
                throw Failure(offset: position + 4, reason: "size mismatch")
            }
            position += 8
        } while position < bytes.count && bytes[position] == 0x1f
        return out
    }

    /// `bytes` as one gzip member of stored (uncompressed) DEFLATE blocks: valid gzip for
    /// every reader, without a compressor (archive layers hold mostly Wasm and media anyway).
    package static func storedMember(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]
        var start = 0
        repeat {
            let end = min(start + 65535, bytes.count)
            let length = end - start
            out.append(end == bytes.count ? 1 : 0)
            out += [UInt8(length & 0xff), UInt8(length >> 8), UInt8(~length & 0xff), UInt8((~length >> 8) & 0xff)]
            out += bytes[start..<end]
            start = end
        } while start < bytes.count
        let crc = CRC32.checksum(bytes)
        let size = UInt32(truncatingIfNeeded: bytes.count)
        for v in [crc, size] {
            out += [UInt8(v & 0xff), UInt8((v >> 8) & 0xff), UInt8((v >> 16) & 0xff), UInt8(v >> 24)]
        }
        return out
    }

    /// Skips a member header; returns where the DEFLATE data starts.
    private static func header(_ b: [UInt8], at start: Int) throws(Failure) -> Int {
        guard b.count >= start + 10, b[start] == 0x1f, b[start + 1] == 0x8b else {
            throw Failure(offset: start, reason: "not gzip (no 1f 8b magic)")
        }
        guard b[start + 2] == 8 else {
            throw Failure(offset: start + 2, reason: "compression method \(b[start + 2]), not deflate")
        }
        let flags = b[start + 3]
        var p = start + 10
        func need(_ n: Int) throws(Failure) {
            guard p + n <= b.count else { throw Failure(offset: p, reason: "truncated header") }
        }
        if flags & 4 != 0 {  // FEXTRA
            try need(2)
            let length = Int(b[p]) | Int(b[p + 1]) << 8
            p += 2
            try need(length)
            p += length
        }
        for flag: UInt8 in [8, 16] where flags & flag != 0 {  // FNAME, FCOMMENT: zero-terminated
            while true {
                try need(1)
                p += 1
                if b[p - 1] == 0 { break }
            }
        }
        if flags & 2 != 0 {  // FHCRC
            try need(2)
            p += 2
        }
        return p
    }
}

/// One raw DEFLATE stream.
private struct Inflater {
    let input: [UInt8]
    var position: Int
    let limit: Int
    private var bitBuffer: UInt32 = 0
    private var bitCount = 0

    init(input: [UInt8], position: Int, limit: Int) {
        self.input = input
        self.position = position
        self.limit = limit
    }

    /// The byte after the stream (the partial last byte's bits are dropped).
    var bytePosition: Int { position }

    /// Canonical Huffman code: the number of codes of each length and the symbols in code order.
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int]

        init?(lengths: ArraySlice<Int>) {
            symbols = [Int](repeating: 0, count: lengths.count)
            for l in lengths { counts[l] += 1 }
            guard counts[0] != lengths.count else { return nil }  // no codes
            var left = 1
            for l in 1..<16 {
                left <<= 1
                left -= counts[l]
                if left < 0 { return nil }  // over-subscribed
            }
            var offsets = [Int](repeating: 0, count: 16)
            for l in 1..<15 { offsets[l + 1] = offsets[l] + counts[l] }
            for (symbol, l) in lengths.enumerated() where l != 0 {
                symbols[offsets[l]] = symbol
                offsets[l] += 1
            }
        }
    }

    private func failure(_ reason: String) -> Gzip.Failure { Gzip.Failure(offset: position, reason: reason) }

    private mutating func bits(_ n: Int) throws(Gzip.Failure) -> Int {
        while bitCount < n {
            guard position < input.count else { throw failure("truncated deflate data") }
            bitBuffer |= UInt32(input[position]) << UInt32(bitCount)
            position += 1
            bitCount += 8
        }
        let value = Int(bitBuffer & ((1 << UInt32(n)) - 1))
        bitBuffer >>= UInt32(n)
        bitCount -= n
        return value
    }

    private mutating func decode(_ h: Huffman) throws(Gzip.Failure) -> Int {
        var code = 0
        var first = 0
        var index = 0
        for l in 1..<16 {
            code |= try bits(1)
            let count = h.counts[l]
            if code - count < first { return h.symbols[index + (code - first)] }
            index += count
            first += count
            first <<= 1
            code <<= 1
        }
        throw failure("invalid Huffman code")
    }

    private static let lengthBase = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    private static let lengthExtra = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ]
    private static let distanceExtra = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
    private static let fixed: (Huffman, Huffman) = {
        var lengths = [Int](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        return (Huffman(lengths: lengths[...])!, Huffman(lengths: [Int](repeating: 5, count: 30)[...])!)
    }()

    /// Inflates every block, appending to `out`.
    mutating func run(into out: inout [UInt8]) throws(Gzip.Failure) {
        let start = out.count
        var last = 0
        repeat {
            last = try bits(1)
            switch try bits(2) {
            case 0: try stored(into: &out)
            case 1: try codes(Self.fixed.0, Self.fixed.1, into: &out, start: start)
            case 2:
                let (literals, distances) = try dynamicTables()
                try codes(literals, distances, into: &out, start: start)
            default: throw failure("invalid block type 3")
            }
        } while last == 0
        bitBuffer = 0
        bitCount = 0
    }

    private mutating func stored(into out: inout [UInt8]) throws(Gzip.Failure) {
        bitBuffer = 0
        bitCount = 0
        guard position + 4 <= input.count else { throw failure("truncated stored block") }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == ~complement & 0xFFFF else { throw failure("stored block length check failed") }
        position += 4
        guard position + length <= input.count else { throw failure("truncated stored block") }
        guard out.count + length <= limit else { throw failure("output larger than \(limit) bytes") }
        out.append(contentsOf: input[position..<position + length])
        position += length
    }

    private mutating func dynamicTables() throws(Gzip.Failure) -> (Huffman, Huffman) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw failure("too many length or distance codes") }
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var codeLengths = [Int](repeating: 0, count: 19)
        for i in 0..<codeCount { codeLengths[order[i]] = try bits(3) }
        guard let lengthCode = Huffman(lengths: codeLengths[...]) else { throw failure("invalid code-length code") }
        var lengths = [Int](repeating: 0, count: literalCount + distanceCount)
        var i = 0
        while i < lengths.count {
            let symbol = try decode(lengthCode)
            if symbol < 16 {
                lengths[i] = symbol
                i += 1
                continue
            }
            var value = 0
            var repeatCount: Int
            switch symbol {
            case 16:
                guard i > 0 else { throw failure("repeat with no previous length") }
                value = lengths[i - 1]
                repeatCount = 3 + (try bits(2))
            case 17: repeatCount = 3 + (try bits(3))
            default: repeatCount = 11 + (try bits(7))
            }
            guard i + repeatCount <= lengths.count else { throw failure("too many lengths") }
            for _ in 0..<repeatCount {
                lengths[i] = value
                i += 1
            }
        }
        guard lengths[256] != 0 else { throw failure("no end-of-block code") }
        guard let literals = Huffman(lengths: lengths[0..<literalCount]),
            let distances = Huffman(lengths: lengths[literalCount...])
                ?? (lengths[literalCount...].allSatisfy { $0 == 0 } ? Self.fixed.1 : nil)
        else { throw failure("invalid literal/length or distance code") }
        return (literals, distances)
    }

    private mutating func codes(_ literals: Huffman, _ distances: Huffman, into out: inout [UInt8], start: Int)
        throws(Gzip.Failure)
    {
        while true {
            let symbol = try decode(literals)
            if symbol < 256 {
                guard out.count < limit else { throw failure("output larger than \(limit) bytes") }
                out.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                let s = symbol - 257
                guard s < 29 else { throw failure("invalid length symbol \(symbol)") }
                let length = Self.lengthBase[s] + (try bits(Self.lengthExtra[s]))
                let d = try decode(distances)
                guard d < 30 else { throw failure("invalid distance symbol \(d)") }
                let distance = Self.distanceBase[d] + (try bits(Self.distanceExtra[d]))
                guard distance <= out.count - start else { throw failure("distance \(distance) too far back") }
                guard out.count + length <= limit else { throw failure("output larger than \(limit) bytes") }
                let from = out.count - distance
                for k in 0..<length { out.append(out[from + k]) }
            }
        }
    }
}
