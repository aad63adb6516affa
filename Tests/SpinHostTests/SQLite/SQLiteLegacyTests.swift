import Foundation
import Testing
@testable import WasmCore

@testable import SpinHost

/// Spin 1.x's old-ABI `sqlite` imports called from a real instance (the config fixture gives
/// memory and `canonical_abi_realloc`), reading the results the guest would.
struct SQLiteLegacyTests {
    let store = Store()
    let abi: CanonicalABI
    let caller: Caller
    let imports: Imports
    let context: GuestContext

    init() throws {
        let app = try HostIf.app(HostIf.v1(#"sqlite_databases = ["default", "missing"]"#))
        let services = AppServices(
            app: app, variables: try VariableResolver(app: app, environment: [:]), log: .discard,
            sqliteDatabases: ["default": SQLiteDatabase(path: nil), "secret": SQLiteDatabase(path: nil)])
        context = GuestContext(component: app.components[0], services: services)
        var imports = Imports()
        SpinInterfaces.define(into: &imports, context: context)
        self.imports = imports
        let guest = try Module(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: HostIf.fixture("config.wasm")))))
        let instance = try store.instantiate(guest, imports: imports)
        if let i = instance.function(named: "_initialize") { _ = try store.invoke(i, []) }
        abi = try CanonicalABI(store: store, instance: instance)
        caller = Caller(store: store, instance: instance, memory: abi.memory)
    }

    func call(_ name: String, _ args: [UInt32]) throws {
        guard case .function(let f)? = imports.lookup(module: "sqlite", name: name) else { throw ExecutorError("no sqlite::\(name)") }
        _ = try f.hostBody!(caller, args.map { .i32($0) })
    }

    func u32(_ p: UInt32) throws -> UInt32 { try abi.memory.load(at: Int(p)) }
    func u8(_ p: UInt32) throws -> UInt8 { try abi.memory.load(at: Int(p)) }

    /// `open(label)`: (is-error, connection or error tag).
    func open(_ label: String) throws -> (UInt8, UInt32) {
        let ret = try abi.allocate(count: 16, align: 4)
        let (p, n) = try abi.write(label)
        try call("open", [p, n, ret])
        return (try u8(ret), try u8(ret) == 0 ? try u32(ret + 4) : UInt32(try u8(ret + 4)))
    }

    /// Writes `values` as 16-byte `value`s.
    func params(_ values: [SQLiteValue]) throws -> UInt32 {
        let p = try abi.allocate(count: max(values.count, 1) * 16, align: 8)
        for (i, v) in values.enumerated() { try SQLiteLegacy.writeValue(abi, v, at: p + UInt32(16 * i)) }
        return p
    }

    /// `execute`: the decoded result or the error (tag, message).
    func execute(_ conn: UInt32, _ sql: String, _ values: [SQLiteValue] = []) throws -> Result<SQLiteQueryResult, ExecutorError> {
        let ret = try abi.allocate(count: 24, align: 4)
        let (s, n) = try abi.write(sql)
        try call("execute", [conn, s, n, try params(values), UInt32(values.count), ret])
        if try u8(ret) == 1 {
            let tag = try u8(ret + 4)
            let message = tag == 4 ? try abi.readString(try u32(ret + 8), try u32(ret + 12)) : ""
            return .failure(ExecutorError("\(tag) \(message)"))
        }
        let columns = try abi.readStrings(try u32(ret + 4), try u32(ret + 8))
        var rows: [[SQLiteValue]] = []
        let rowsAt = try u32(ret + 12)
        for r in 0..<(try u32(ret + 16)) {
            let values = try u32(rowsAt + 8 * r), count = try u32(rowsAt + 8 * r + 4)
            rows.append(try (0..<count).map { try SQLiteLegacy.readValue(abi, at: values + 16 * $0) })
        }
        return .success(SQLiteQueryResult(columns: columns, rows: rows))
    }

    @Test func openExecuteClose() throws {
        let (err, conn) = try open("default")
        #expect(err == 0)
        _ = try execute(conn, "CREATE TABLE t (a, b, c, d, e)").get()
        let row: [SQLiteValue] = [.integer(Int64.min), .real(-0.5), .text("ünï"), .blob([9, 8]), .null]
        _ = try execute(conn, "INSERT INTO t VALUES (?, ?, ?, ?, ?)", row).get()
        let r = try execute(conn, "SELECT * FROM t").get()
        #expect(r.columns == ["a", "b", "c", "d", "e"])
        #expect(r.rows == [row])
        guard case .failure(let e) = try execute(conn, "SELECT nope FROM t") else {
            Issue.record("expected an error")
            return
        }
        #expect(e.description == "4 no such column: nope")
        try call("close", [conn])
        guard case .failure(let closed) = try execute(conn, "SELECT 1") else {
            Issue.record("a closed connection must be invalid")
            return
        }
        #expect(closed.description == "2 ")  // invalid-connection
    }

    @Test func labelRules() throws {
        #expect(try open("secret") == (1, 1))  // access-denied: not in sqlite_databases
        #expect(try open("missing") == (1, 0))  // no-such-database: listed, but the host has none
        #expect(try open("default").0 == 0)
    }
}
