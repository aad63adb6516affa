import Foundation
import Testing
import WasmComponents
import WasmCore
import WasmWASI
import WasmWASIP2

@testable import SpinHost

/// `fermyon:spin/sqlite@2.0.0` and `spin:sqlite/sqlite@3.0.0`, called as the linker calls them
/// (component values on a context whose `ComponentHostState` carries a `GuestContext`).
struct SQLiteComponentInterfaceTests {
    static let v2 = "fermyon:spin/sqlite@2.0.0"
    static let v3 = "spin:sqlite/sqlite@3.0.0"
    let context: WASIP2Context

    /// A component listing `default` and `other`; the host has `default`, `secret` (not listed).
    init() throws {
        let app = try HostIf.app(HostIf.v1(#"sqlite_databases = ["default", "other"]"#))
        let services = AppServices(
            app: app, variables: try VariableResolver(app: app, environment: [:]), log: .discard,
            sqliteDatabases: ["default": SQLiteDatabase(path: nil), "secret": SQLiteDatabase(path: nil)])
        context = WASIP2Context(wasi: try WASI(configuration: WASIConfiguration()))
        context.embedder = ComponentHostState(
            http: WASIHTTPState(allowedHosts: AllowedOutboundHosts([]), settings: OutboundHTTPSettings(), origin: nil, deadline: nil),
            guest: GuestContext(component: app.components[0], services: services))
    }

    @discardableResult
    func call(_ interface: String, _ name: String, _ args: [ComponentValue]) throws -> ComponentValue? {
        guard let f = SpinComponentInterfaces.definitions.function(interface, name) else {
            throw ExecutorError("no \(interface)#\(name)")
        }
        return try f(context, args)
    }

    func open(_ interface: String, _ label: String) throws -> UInt32 {
        guard case .ok(.own(let rep)?)? = try call(interface, "[static]connection.open", [.string(label)]) else {
            throw ExecutorError("open(\(label)) failed")
        }
        return rep
    }

    static func row(_ values: [ComponentValue]) -> ComponentValue { .record([.list(values)]) }

    @Test(arguments: [v2, v3])
    func executeEveryValueType(interface: String) throws {
        let c = try open(interface, "default")
        let table = interface == Self.v2 ? "t2" : "t3"
        #expect(try call(interface, "[method]connection.execute", [.borrow(c), .string("CREATE TABLE \(table) (i, r, s, b, n)"), .list([])])
            == .ok(.record([.list([]), .list([])])))
        let values: [ComponentValue] = [
            .variant(case: 0, payload: .s64(-5)), .variant(case: 1, payload: .f64(1.25)),
            .variant(case: 2, payload: .string("text")), .variant(case: 3, payload: .bytes([1, 2, 3])),
            .variant(case: 4, payload: nil),
        ]
        #expect(try call(interface, "[method]connection.execute", [.borrow(c), .string("INSERT INTO \(table) VALUES (?, ?, ?, ?, ?)"), .list(values)])
            == .ok(.record([.list([]), .list([])])))
        let r = try call(interface, "[method]connection.execute", [.borrow(c), .string("SELECT i, r, s, b, n FROM \(table)"), .list([])])
        #expect(r == .ok(.record([.list(["i", "r", "s", "b", "n"].map { .string($0) }), .list([Self.row(values)])])))
    }

    @Test func errorsAreSpinsVariant() throws {
        #expect(try call(Self.v2, "[static]connection.open", [.string("secret")]) == .err(.variant(case: 1, payload: nil)))
        #expect(try call(Self.v3, "[static]connection.open", [.string("other")]) == .err(.variant(case: 0, payload: nil)))
        let c = try open(Self.v3, "default")
        #expect(try call(Self.v3, "[method]connection.execute", [.borrow(c), .string("SELECT * FROM nope"), .list([])])
            == .err(.variant(case: 4, payload: .string("no such table: nope"))))
    }

    @Test func lastInsertRowIDAndChangesArePerConnection() throws {
        let a = try open(Self.v3, "default"), b = try open(Self.v3, "default")
        #expect(try call(Self.v3, "[method]connection.last-insert-rowid", [.borrow(a)]) == .s64(0))
        #expect(try call(Self.v3, "[method]connection.changes", [.borrow(a)]) == .u64(0))
        _ = try call(Self.v3, "[method]connection.execute", [.borrow(a), .string("CREATE TABLE r (x)"), .list([])])
        _ = try call(Self.v3, "[method]connection.execute", [.borrow(a), .string("INSERT INTO r VALUES (1), (2), (3)"), .list([])])
        #expect(try call(Self.v3, "[method]connection.last-insert-rowid", [.borrow(a)]) == .s64(3))
        #expect(try call(Self.v3, "[method]connection.changes", [.borrow(a)]) == .u64(3))
        _ = try call(Self.v3, "[method]connection.execute", [.borrow(b), .string("UPDATE r SET x = x + 1 WHERE x > 1"), .list([])])
        #expect(try call(Self.v3, "[method]connection.changes", [.borrow(b)]) == .u64(2))
        #expect(try call(Self.v3, "[method]connection.last-insert-rowid", [.borrow(b)]) == .s64(0))
        // A query changes neither.
        _ = try call(Self.v3, "[method]connection.execute", [.borrow(a), .string("SELECT * FROM r"), .list([])])
        #expect(try call(Self.v3, "[method]connection.changes", [.borrow(a)]) == .u64(3))
    }

    @Test func withoutAppServicesOpenAnswersIO() throws {
        let bare = WASIP2Context(wasi: try WASI(configuration: WASIConfiguration()))
        let f = try #require(SpinComponentInterfaces.definitions.function(Self.v2, "[static]connection.open"))
        guard case .err(.variant(case: 4, payload: .string(let m)?)?)? = try f(bare, [.string("default")]) else {
            Issue.record("expected io(...)")
            return
        }
        #expect(m.contains("without app services"))
    }

    @Test func bothVersionsAreDefinedWithTheirResource() {
        let d = SpinComponentInterfaces.definitions
        for i in [Self.v2, Self.v3] {
            #expect(d.resources.contains { $0.interface == i && $0.name == "connection" })
            #expect(d.function(i, "[static]connection.open") != nil && d.function(i, "[method]connection.execute") != nil)
        }
        #expect(d.function(Self.v2, "[method]connection.changes") == nil)
        #expect(d.function(Self.v3, "[method]connection.changes") != nil)
    }
}
