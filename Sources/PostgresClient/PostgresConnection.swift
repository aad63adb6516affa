import Foundation
import Sockets

#if canImport(Glibc)
    import Glibc
#endif

/// One blocking connection to a PostgreSQL server (protocol v3, no TLS).
///
/// Connecting performs the startup handshake and authenticates with whatever
/// the server asks for: trust, cleartext password, MD5 or SCRAM-SHA-256.
/// Statements run with the extended query protocol (`Parse`/`Bind`/`Describe`/
/// `Execute`/`Sync`, unnamed statement and portal, one round trip), with binary
/// parameters and binary results. `COPY ... FROM STDIN`/`TO STDOUT` is refused
/// with `query-failed` (the connection stays usable).
///
/// A connection that is closed, broke during an earlier statement, or was
/// hung up by the server while idle (e.g. the server restarted) is reopened
/// before the next statement is sent; a statement is never resent after it was
/// sent. Calls are serialised by a lock.
package final class PostgresConnection: @unchecked Sendable {
    package let address: PostgresAddress
    /// Seconds allowed for each reply once connected.
    package var queryTimeout: Double
    /// When the caller's time is up, if ever (CLOCK_MONOTONIC nanoseconds, the clock of
    /// WasmCore's `Watchdog.now()`): connecting and every statement give up by then, whatever
    /// `queryTimeout` and the address's connect timeout allow (a guest instance's deadline).
    /// A statement cut off by it closes the connection (its reply state is unknown).
    package var deadline: UInt64?
    /// How many times the connection was (re)opened.
    package private(set) var connectCount = 0
    /// `ParameterStatus` values the server reported (server_version, ...).
    package private(set) var serverParameters: [String: String] = [:]
    /// The fields of the server's `ErrorResponse` that failed the last statement, by field
    /// code (`S`/`V` severity, `C` SQLSTATE, `M` message, `D` detail, `H` hint, ...); nil when
    /// the last statement did not fail with one.
    package var lastServerError: [Character: String]? { lock.withLock { lastServerErrorFields } }
    private var lastServerErrorFields: [Character: String]?

    private var fd: Int32 = -1
    private var input: [UInt8] = []
    private var inputStart = 0
    private let lock = NSLock()

    /// Connects now; failures are `connectionFailed` with the reason.
    package init(address: PostgresAddress, queryTimeout: Double = 60, deadline: UInt64? = nil) throws(PostgresError) {
        self.address = address
        self.queryTimeout = queryTimeout
        self.deadline = deadline
        lock.lock()
        defer { lock.unlock() }
        try connectLocked()
    }

    deinit { closeLocked() }

    package var isConnected: Bool { lock.withLock { fd >= 0 } }

    /// Sends `Terminate` and closes the socket.
    package func close() { lock.withLock { closeLocked() } }

    /// Runs `statement` and returns its columns and rows.
    package func query(_ statement: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> PostgresRows {
        let r = try run(statement, parameters)
        let columns = r.fields.map { PostgresColumn(name: $0.name, typeOID: $0.oid) }
        var rows: [[PostgresValue]] = []
        rows.reserveCapacity(r.rows.count)
        for raw in r.rows {
            guard raw.count == r.fields.count else {
                throw .queryFailed("protocol error: a row has \(raw.count) fields, the description \(r.fields.count)")
            }
            var row: [PostgresValue] = []
            row.reserveCapacity(raw.count)
            for (i, f) in r.fields.enumerated() {
                row.append(try PostgresValueCodec.decode(raw[i], oid: f.oid, format: f.format, column: f.name))
            }
            rows.append(row)
        }
        return PostgresRows(columns: columns, rows: rows)
    }

    /// Runs `statement` and returns the number of rows it affected (or returned).
    package func execute(_ statement: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> UInt64 {
        let r = try run(statement, parameters)
        // "INSERT 0 5", "UPDATE 3", "SELECT 2", "CREATE TABLE" (no count: 0).
        return r.commandTag.split(separator: " ").last.flatMap { UInt64($0) } ?? 0
    }

    // MARK: Running statements

    struct Field {
        var name: String
        var oid: Int32
        var format: Int16
    }

    struct RawResult {
        var fields: [Field] = []
        var rows: [[[UInt8]?]] = []
        var commandTag = ""
    }

    private func run(_ statement: String, _ parameters: [PostgresValue]) throws(PostgresError) -> RawResult {
        var types: [Int32] = []
        var values: [[UInt8]?] = []
        for (i, p) in parameters.enumerated() {
            let (oid, bytes) = try PostgresValueCodec.encode(p, index: i)
            types.append(oid)
            values.append(bytes)
        }
        lock.lock()
        defer { lock.unlock() }
        lastServerErrorFields = nil
        if fd >= 0 && hungUpWhileIdle() { closeLocked() }
        if fd < 0 { try connectLocked() }
        guard let wait = remaining(queryTimeout) else {
            throw .queryFailed("the deadline passed before the statement was sent (\(address.endpoint))")
        }
        Socket.setTimeout(fd, SO_RCVTIMEO, wait)
        let request =
            FrontendMessage.parse(statement, parameterTypes: types) + FrontendMessage.bind(parameters: values)
            + FrontendMessage.describePortal() + FrontendMessage.execute() + FrontendMessage.sync()
        var result = RawResult()
        var serverError: ServerNotice?
        var unsupported: String?
        do {
            try Socket.sendAll(fd, request)
            loop: while true {
                let m = try readMessage()
                switch m.kind {
                case "1", "2", "n", "s", "N", "S", "A": continue
                case "T": result.fields = try Self.rowDescription(m.body)
                case "D": result.rows.append(try Self.dataRow(m.body))
                case "C":
                    var r = MessageReader(m.body)
                    result.commandTag = try r.cString()
                case "I": result.commandTag = ""
                case "E":
                    let notice = ServerNotice(body: m.body)
                    serverError = serverError ?? notice
                    if notice.isFatal { throw PostgresIOError("the server closed the connection: \(notice)") }
                case "G":
                    // COPY ... FROM STDIN: refuse it. The Sync already sent was ignored in copy-in
                    // mode, so send another for the server to end the statement with.
                    unsupported = unsupported ?? "COPY FROM STDIN"
                    try Socket.sendAll(
                        fd, FrontendMessage.copyFail("COPY FROM STDIN is not supported") + FrontendMessage.sync())
                case "H":
                    unsupported = unsupported ?? "COPY TO STDOUT"
                case "d", "c": continue  // COPY TO STDOUT data, dropped
                case "Z": break loop
                default: throw PostgresProtocolError("unexpected message `\(m.kind)` during a statement")
                }
            }
        } catch {
            closeLocked()
            if let serverError {
                lastServerErrorFields = serverError.fields
                throw .queryFailed(serverError.description)
            }
            throw .queryFailed("\(error) (\(address.endpoint))")
        }
        if let unsupported { throw .unsupported(unsupported) }
        if let serverError {
            lastServerErrorFields = serverError.fields
            throw .queryFailed(serverError.description)
        }
        return result
    }

    static func rowDescription(_ body: [UInt8]) throws(PostgresProtocolError) -> [Field] {
        var r = MessageReader(body)
        let n = Int(try r.int16())
        var fields: [Field] = []
        for _ in 0..<max(n, 0) {
            let name = try r.cString()
            _ = try r.int32()  // table OID
            _ = try r.int16()  // column number
            let oid = try r.int32()
            _ = try r.int16()  // type size
            _ = try r.int32()  // type modifier
            let format = try r.int16()
            fields.append(Field(name: name, oid: oid, format: format))
        }
        return fields
    }

    static func dataRow(_ body: [UInt8]) throws(PostgresProtocolError) -> [[UInt8]?] {
        var r = MessageReader(body)
        let n = Int(try r.int16())
        var values: [[UInt8]?] = []
        values.reserveCapacity(max(n, 0))
        for _ in 0..<max(n, 0) {
            let len = try r.int32()
            values.append(len < 0 ? nil : try r.bytes(Int(len)))
        }
        return values
    }

    // MARK: Connecting

    private func connectLocked() throws(PostgresError) {
        closeLocked()
        guard let wait = remaining(address.connectTimeout) else {
            throw .connectionFailed("the deadline passed before connecting (\(address))")
        }
        connectCount += 1
        do {
            fd = try Socket.connect(host: address.host, port: address.port, timeout: wait)  // startup's waits too
            try startup()
            Socket.setTimeout(fd, SO_RCVTIMEO, remaining(queryTimeout) ?? 0.001)
        } catch let e as PostgresAuthError {
            closeLocked()
            throw .connectionFailed("\(e) (\(address))")
        } catch {
            closeLocked()
            throw .connectionFailed("\(error) (\(address))")
        }
    }

    private func startup() throws {
        var parameters = [("client_encoding", "UTF8")]
        if let a = address.applicationName { parameters.append(("application_name", a)) }
        if let o = address.options { parameters.append(("options", o)) }
        try Socket.sendAll(
            fd, FrontendMessage.startup(user: address.user, database: address.database, parameters: parameters))
        var scram: SCRAMClient?
        while true {
            let m = try readMessage()
            switch m.kind {
            case "R":
                var r = MessageReader(m.body)
                let code = try r.int32()
                switch code {
                case 0: continue  // AuthenticationOk
                case 3:
                    try Socket.sendAll(fd, FrontendMessage.password(try requirePassword()))
                case 5:
                    let salt = try r.bytes(4)
                    let response = postgresMD5Password(user: address.user, password: try requirePassword(), salt: salt)
                    try Socket.sendAll(fd, FrontendMessage.password(response))
                case 10:
                    var mechanisms: [String] = []
                    while r.remaining > 1 { mechanisms.append(try r.cString()) }
                    guard mechanisms.contains(SCRAMClient.mechanism) else {
                        throw PostgresAuthError(
                            "the server offers SASL mechanisms \(mechanisms), none supported (need SCRAM-SHA-256)")
                    }
                    let client = SCRAMClient(password: try requirePassword())
                    scram = client
                    try Socket.sendAll(
                        fd,
                        FrontendMessage.saslInitialResponse(
                            mechanism: SCRAMClient.mechanism, data: Array(client.clientFirst.utf8)))
                case 11:
                    guard var client = scram else { throw PostgresProtocolError("SASL continue before SASL start") }
                    let final = try client.clientFinal(serverFirst: String(decoding: r.rest(), as: UTF8.self))
                    scram = client
                    try Socket.sendAll(fd, FrontendMessage.saslResponse(Array(final.utf8)))
                case 12:
                    guard let client = scram else { throw PostgresProtocolError("SASL final before SASL start") }
                    try client.verify(serverFinal: String(decoding: r.rest(), as: UTF8.self))
                default:
                    throw PostgresAuthError("authentication method \(code) requested by the server is not supported")
                }
            case "S":
                var r = MessageReader(m.body)
                let name = try r.cString()
                serverParameters[name] = try r.cString()
            case "K", "N": continue
            case "E": throw PostgresAuthError(ServerNotice(body: m.body).description)
            case "Z": return
            default: throw PostgresProtocolError("unexpected message `\(m.kind)` during startup")
            }
        }
    }

    private func requirePassword() throws -> String {
        guard let p = address.password else {
            throw PostgresAuthError("the server requires a password and the connection string has none")
        }
        return p
    }

    // MARK: Socket

    private func closeLocked() {
        guard fd >= 0 else { return }
        try? Socket.sendAll(fd, FrontendMessage.terminate())
        Glibc.close(fd)
        fd = -1
        input.removeAll(keepingCapacity: true)
        inputStart = 0
    }

    /// While no statement runs the server sends nothing unless it is going away
    /// (a FATAL error such as "terminating connection due to administrator
    /// command", or EOF): anything readable means the connection is done.
    /// `seconds`, cut to what is left before `deadline`; nil when nothing is.
    private func remaining(_ seconds: Double) -> Double? {
        guard let deadline else { return seconds }
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let now = UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
        guard now < deadline else { return nil }
        return min(seconds, Double(deadline - now) / 1e9)
    }

    private func hungUpWhileIdle() -> Bool {
        (try? Socket.waitReadable(fd, timeout: 0)) ?? true
    }

    private func fill(_ count: Int) throws {
        while input.count - inputStart < count {
            if inputStart > 0 && inputStart == input.count {
                input.removeAll(keepingCapacity: true)
                inputStart = 0
            }
            let n: Int
            // A reply that keeps trickling in must still end by the deadline.
            if deadline != nil && remaining(1) == nil { throw PostgresIOError("the deadline passed waiting for the server") }
            do {
                n = try Socket.receive(fd, into: &input)
            } catch {
                guard error.kind == .timedOut else { throw PostgresIOError(error.description) }
                throw PostgresIOError(
                    deadline != nil && remaining(1) == nil
                        ? "the deadline passed waiting for the server" : "timed out waiting for the server")
            }
            if n == 0 { throw PostgresIOError("the server closed the connection") }
        }
    }

    private func readMessage() throws -> BackendMessage {
        try fill(5)
        let type = input[inputStart]
        let length = Int(
            input[inputStart + 1..<inputStart + 5].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        guard length >= 4, length < 1 << 30 else { throw PostgresProtocolError("invalid message length \(length)") }
        try fill(1 + length)
        let body = Array(input[inputStart + 5..<inputStart + 1 + length])
        inputStart += 1 + length
        if inputStart == input.count {
            input.removeAll(keepingCapacity: true)
            inputStart = 0
        }
        return BackendMessage(type: type, body: body)
    }
}

/// The connection failed (closed, timed out, reset).
struct PostgresIOError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
