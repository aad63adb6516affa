/// PostgreSQL frontend/backend protocol v3 messages (the subset this client
/// uses): building frontend messages and taking backend messages apart.

/// A frontend message being built: `type`, Int32 length (self-inclusive), body.
struct FrontendMessage {
    private(set) var bytes: [UInt8]
    /// Where the length field starts (after the type byte, if any).
    private let lengthAt: Int

    /// A typed message (nil: the untyped startup packet).
    init(_ type: Character?) {
        bytes = []
        lengthAt = type == nil ? 0 : 1
        if let type { bytes.append(type.asciiValue!) }
        bytes += [0, 0, 0, 0]
    }

    mutating func int16(_ v: Int16) {
        bytes.append(UInt8(truncatingIfNeeded: v >> 8)); bytes.append(UInt8(truncatingIfNeeded: v))
    }

    mutating func int32(_ v: Int32) {
        for s in [24, 16, 8, 0] { bytes.append(UInt8(truncatingIfNeeded: v >> Int32(s))) }
    }

    mutating func cString(_ s: String) {
        bytes += Array(s.utf8)
        bytes.append(0)
    }

    mutating func raw(_ b: [UInt8]) { bytes += b }

    /// The bytes with the length filled in.
    func finished() -> [UInt8] {
        var out = bytes
        let length = Int32(out.count - lengthAt)
        for (i, s) in [24, 16, 8, 0].enumerated() { out[lengthAt + i] = UInt8(truncatingIfNeeded: length >> Int32(s)) }
        return out
    }

    // MARK: The messages

    static func startup(user: String, database: String, parameters: [(String, String)]) -> [UInt8] {
        var m = FrontendMessage(nil)
        m.int32(196_608)  // protocol 3.0
        m.cString("user"); m.cString(user)
        m.cString("database"); m.cString(database)
        for (k, v) in parameters { m.cString(k); m.cString(v) }
        m.raw([0])
        return m.finished()
    }

    static func password(_ text: String) -> [UInt8] {
        var m = FrontendMessage("p")
        m.cString(text)
        return m.finished()
    }

    static func saslInitialResponse(mechanism: String, data: [UInt8]) -> [UInt8] {
        var m = FrontendMessage("p")
        m.cString(mechanism)
        m.int32(Int32(data.count))
        m.raw(data)
        return m.finished()
    }

    static func saslResponse(_ data: [UInt8]) -> [UInt8] {
        var m = FrontendMessage("p")
        m.raw(data)
        return m.finished()
    }

    /// Parse (unnamed statement) with explicit parameter type OIDs (0 = let the server infer).
    static func parse(_ sql: String, parameterTypes: [Int32]) -> [UInt8] {
        var m = FrontendMessage("P")
        m.cString("")
        m.cString(sql)
        m.int16(Int16(parameterTypes.count))
        for t in parameterTypes { m.int32(t) }
        return m.finished()
    }

    /// Bind (unnamed portal) with binary parameters (nil = NULL); every result column binary.
    static func bind(parameters: [[UInt8]?]) -> [UInt8] {
        var m = FrontendMessage("B")
        m.cString("")
        m.cString("")
        m.int16(1); m.int16(1)  // all parameters binary
        m.int16(Int16(parameters.count))
        for p in parameters {
            if let p {
                m.int32(Int32(p.count))
                m.raw(p)
            } else {
                m.int32(-1)
            }
        }
        m.int16(1); m.int16(1)  // all results binary
        return m.finished()
    }

    static func describePortal() -> [UInt8] {
        var m = FrontendMessage("D")
        m.raw([UInt8(ascii: "P")])
        m.cString("")
        return m.finished()
    }

    static func execute() -> [UInt8] {
        var m = FrontendMessage("E")
        m.cString("")
        m.int32(0)
        return m.finished()
    }

    static func copyFail(_ reason: String) -> [UInt8] {
        var m = FrontendMessage("f")
        m.cString(reason)
        return m.finished()
    }

    static func sync() -> [UInt8] { FrontendMessage("S").finished() }
    static func terminate() -> [UInt8] { FrontendMessage("X").finished() }
}

/// A backend message: type byte and body (without the length).
struct BackendMessage {
    var type: UInt8
    var body: [UInt8]

    var kind: Character { Character(UnicodeScalar(type)) }
}

/// Reads big-endian fields from a message body; running off the end is a protocol error.
struct MessageReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    mutating func int16() throws(PostgresProtocolError) -> Int16 {
        guard remaining >= 2 else { throw PostgresProtocolError("message truncated (int16 at \(offset))") }
        defer { offset += 2 }
        return Int16(bitPattern: UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1]))
    }

    mutating func int32() throws(PostgresProtocolError) -> Int32 {
        guard remaining >= 4 else { throw PostgresProtocolError("message truncated (int32 at \(offset))") }
        defer { offset += 4 }
        return Int32(bitPattern: bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }

    mutating func bytes(_ n: Int) throws(PostgresProtocolError) -> [UInt8] {
        guard n >= 0, remaining >= n else {
            throw PostgresProtocolError("message truncated (\(n) bytes at \(offset))")
        }
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }

    mutating func cString() throws(PostgresProtocolError) -> String {
        guard let end = bytes[offset...].firstIndex(of: 0) else {
            throw PostgresProtocolError("unterminated string at \(offset)")
        }
        defer { offset = end + 1 }
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }

    mutating func rest() -> [UInt8] {
        defer { offset = bytes.count }
        return Array(bytes[offset...])
    }
}

/// The server sent something this client does not understand.
struct PostgresProtocolError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = "protocol error: " + d }
}

/// An `ErrorResponse`/`NoticeResponse` body: fields by their type byte.
struct ServerNotice: CustomStringConvertible {
    var fields: [Character: String] = [:]

    init(body: [UInt8]) {
        var r = MessageReader(body)
        while r.remaining > 0 {
            guard let type = try? r.bytes(1).first, type != 0, let value = try? r.cString() else { break }
            fields[Character(UnicodeScalar(type))] = value
        }
    }

    var severity: String { fields["V"] ?? fields["S"] ?? "ERROR" }
    var code: String { fields["C"] ?? "" }
    var message: String { fields["M"] ?? "unknown error" }
    /// FATAL or PANIC: the server closes the connection after it.
    var isFatal: Bool { severity == "FATAL" || severity == "PANIC" }

    /// `ERROR: message (SQLSTATE code)`, then DETAIL and HINT lines when present.
    var description: String {
        var s = "\(severity): \(message)"
        if !code.isEmpty { s += " (SQLSTATE \(code))" }
        if let d = fields["D"] { s += "\nDETAIL: \(d)" }
        if let h = fields["H"] { s += "\nHINT: \(h)" }
        return s
    }
}
