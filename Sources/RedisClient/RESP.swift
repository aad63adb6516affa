/// RESP2, the Redis serialization protocol (https://redis.io/docs/latest/develop/reference/protocol-spec/).
///
/// Only the five RESP2 types exist here; a server never sends RESP3 types
/// unless a client asks with `HELLO 3`, which this client never does, so any
/// other type byte is a protocol error.
package enum RESPValue: Hashable, Sendable, CustomStringConvertible {
    /// `+OK\r\n`
    case simpleString(String)
    /// `-ERR message\r\n`
    case error(String)
    /// `:42\r\n`
    case integer(Int64)
    /// `$3\r\nfoo\r\n`; `nil` is the null bulk string `$-1\r\n`.
    case bulkString([UInt8]?)
    /// `*2\r\n...`; `nil` is the null array `*-1\r\n`.
    case array([RESPValue]?)

    package static let null = RESPValue.bulkString(nil)

    package static func bulk(_ s: String) -> RESPValue { .bulkString(Array(s.utf8)) }

    package var description: String {
        switch self {
        case .simpleString(let s): return "+\(s)"
        case .error(let s): return "-\(s)"
        case .integer(let i): return ":\(i)"
        case .bulkString(nil): return "(nil)"
        case .bulkString(let b?):
            if let s = String(validating: b, as: UTF8.self) { return "\"\(s)\"" }
            return "<\(b.count) bytes>"
        case .array(nil): return "(nil array)"
        case .array(let a?): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

/// A reply that violates RESP2 (or the decoder's limits).
package struct RESPProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    package var message: String
    /// Byte offset in the buffer where the problem was found.
    package var offset: Int
    package init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }
    package var description: String { "RESP protocol error at byte \(offset): \(message)" }
}

package enum RESPEncoder {
    /// A command as clients send it: an array of bulk strings.
    package static func command(_ arguments: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 + arguments.reduce(0) { $0 + $1.count + 16 })
        appendHeader(&out, UInt8(ascii: "*"), arguments.count)
        for a in arguments {
            appendHeader(&out, UInt8(ascii: "$"), a.count)
            out += a
            out += [13, 10]
        }
        return out
    }

    package static func command(_ arguments: [String]) -> [UInt8] {
        command(arguments.map { Array($0.utf8) })
    }

    /// Any value (used by tests and fake servers). Simple strings and errors
    /// must not contain CR or LF; those characters are replaced by spaces.
    package static func encode(_ value: RESPValue) -> [UInt8] {
        var out: [UInt8] = []
        encode(value, into: &out)
        return out
    }

    package static func encode(_ value: RESPValue, into out: inout [UInt8]) {
        switch value {
        case .simpleString(let s):
            out.append(UInt8(ascii: "+"))
            out += line(s)
        case .error(let s):
            out.append(UInt8(ascii: "-"))
            out += line(s)
        case .integer(let i):
            out.append(UInt8(ascii: ":"))
            out += Array(String(i).utf8)
            out += [13, 10]
        case .bulkString(nil):
            out += Array("$-1\r\n".utf8)
        case .bulkString(let b?):
            appendHeader(&out, UInt8(ascii: "$"), b.count)
            out += b
            out += [13, 10]
        case .array(nil):
            out += Array("*-1\r\n".utf8)
        case .array(let a?):
            appendHeader(&out, UInt8(ascii: "*"), a.count)
            for v in a { encode(v, into: &out) }
        }
    }

    private static func line(_ s: String) -> [UInt8] {
        s.utf8.map { $0 == 13 || $0 == 10 ? 32 : $0 } + [13, 10]
    }

    private static func appendHeader(_ out: inout [UInt8], _ type: UInt8, _ n: Int) {
        out.append(type)
        out += Array(String(n).utf8)
        out += [13, 10]
    }
}

/// A single-step RESP2 decoder: give it everything received so far; it
/// answers `.needMore` or one complete value and how many bytes it used.
/// A malformed reply throws; nothing in the input can make it crash, recurse
/// without bound or allocate more than the input (plus small bookkeeping).
package struct RESPDecoder: Sendable {
    package enum Result: Hashable, Sendable {
        case needMore
        case value(RESPValue, consumed: Int)
    }

    /// Largest bulk string accepted (Redis's own `proto-max-bulk-len` default).
    package var maxBulkLength: Int = 512 * 1024 * 1024
    /// Deepest array nesting accepted (the top-level value is depth 1).
    package var maxDepth: Int = 32
    /// Most elements one array may declare.
    package var maxArrayCount: Int = 16 * 1024 * 1024
    /// Longest simple string / error / integer line accepted.
    package var maxLineLength: Int = 64 * 1024

    package init() {}

    /// Decodes with the default limits.
    package static func decode(_ buffer: [UInt8]) throws(RESPProtocolError) -> Result {
        try RESPDecoder().decode(buffer)
    }

    package static func decode(_ buffer: ArraySlice<UInt8>) throws(RESPProtocolError) -> Result {
        try RESPDecoder().decode(buffer)
    }

    package func decode(_ buffer: [UInt8]) throws(RESPProtocolError) -> Result {
        try decode(buffer[...])
    }

    package func decode(_ buffer: ArraySlice<UInt8>) throws(RESPProtocolError) -> Result {
        let result = try buffer.withUnsafeBufferPointer { (p) throws(RESPProtocolError) -> (RESPValue, Int)? in
            var cursor = Cursor(bytes: p, position: 0, decoder: self)
            guard let v = try cursor.value(depth: 1) else { return nil }
            return (v, cursor.position)
        }
        guard let (value, consumed) = result else { return .needMore }
        return .value(value, consumed: consumed)
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var position: Int
        let decoder: RESPDecoder

        /// The line from `position` up to (not including) CRLF; nil = incomplete.
        mutating func line() throws(RESPProtocolError) -> Range<Int>? {
            let begin = position
            var i = begin
            let limit = decoder.maxLineLength
            while i < bytes.count {
                let b = bytes[i]
                if b == 13 {
                    guard i + 1 < bytes.count else { return nil }
                    guard bytes[i + 1] == 10 else { throw RESPProtocolError("CR not followed by LF", offset: i + 1) }
                    position = i + 2
                    return begin..<i
                }
                if b == 10 { throw RESPProtocolError("bare LF in a line", offset: i) }
                if i - begin >= limit { throw RESPProtocolError("line longer than \(limit) bytes", offset: begin) }
                i += 1
            }
            if i - begin > limit { throw RESPProtocolError("line longer than \(limit) bytes", offset: begin) }
            return nil
        }

        func integer(_ r: Range<Int>) throws(RESPProtocolError) -> Int64 {
            guard !r.isEmpty else { throw RESPProtocolError("empty integer", offset: r.lowerBound) }
            var i = r.lowerBound
            var negative = false
            if bytes[i] == UInt8(ascii: "-") {
                negative = true
                i += 1
            } else if bytes[i] == UInt8(ascii: "+") {
                i += 1
            }
            guard i < r.upperBound else { throw RESPProtocolError("integer without digits", offset: i) }
            var v: Int64 = 0
            while i < r.upperBound {
                let d = bytes[i] &- UInt8(ascii: "0")
                guard d < 10 else { throw RESPProtocolError("invalid digit in integer", offset: i) }
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
                guard !o1, !o2 else { throw RESPProtocolError("integer out of range", offset: r.lowerBound) }
                v = s
                i += 1
            }
            return v
        }

        func text(_ r: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self)
        }

        mutating func value(depth: Int) throws(RESPProtocolError) -> RESPValue? {
            guard depth <= decoder.maxDepth else {
                throw RESPProtocolError("arrays nested deeper than \(decoder.maxDepth)", offset: position)
            }
            guard position < bytes.count else { return nil }
            let typeOffset = position
            let type = bytes[position]
            position += 1
            switch type {
            case UInt8(ascii: "+"):
                guard let r = try line() else { return nil }
                return .simpleString(text(r))
            case UInt8(ascii: "-"):
                guard let r = try line() else { return nil }
                return .error(text(r))
            case UInt8(ascii: ":"):
                guard let r = try line() else { return nil }
                return .integer(try integer(r))
            case UInt8(ascii: "$"):
                guard let r = try line() else { return nil }
                let n = try integer(r)
                if n == -1 { return .bulkString(nil) }
                guard n >= 0 else { throw RESPProtocolError("negative bulk length \(n)", offset: r.lowerBound) }
                guard n <= Int64(decoder.maxBulkLength) else {
                    throw RESPProtocolError(
                        "bulk length \(n) exceeds the limit of \(decoder.maxBulkLength)", offset: r.lowerBound)
                }
                let len = Int(n)
                guard bytes.count - position >= len + 2 else {
                    // Fail early on a wrong terminator we can already see.
                    if bytes.count - position >= len + 1, bytes[position + len] != 13 {
                        throw RESPProtocolError("bulk string not terminated by CRLF", offset: position + len)
                    }
                    return nil
                }
                guard bytes[position + len] == 13, bytes[position + len + 1] == 10 else {
                    throw RESPProtocolError("bulk string not terminated by CRLF", offset: position + len)
                }
                let payload = Array(UnsafeBufferPointer(rebasing: bytes[position..<(position + len)]))
                position += len + 2
                return .bulkString(payload)
            case UInt8(ascii: "*"):
                guard let r = try line() else { return nil }
                let n = try integer(r)
                if n == -1 { return .array(nil) }
                guard n >= 0 else { throw RESPProtocolError("negative array length \(n)", offset: r.lowerBound) }
                guard n <= Int64(decoder.maxArrayCount) else {
                    throw RESPProtocolError(
                        "array length \(n) exceeds the limit of \(decoder.maxArrayCount)", offset: r.lowerBound)
                }
                var items: [RESPValue] = []
                // Every element takes at least 3 bytes, so never reserve beyond what the input could hold.
                items.reserveCapacity(min(Int(n), (bytes.count - position) / 3 + 1))
                for _ in 0..<Int(n) {
                    guard let v = try value(depth: depth + 1) else { return nil }
                    items.append(v)
                }
                return .array(items)
            default:
                throw RESPProtocolError("unknown type byte 0x\(String(type, radix: 16))", offset: typeOffset)
            }
        }
    }
}
