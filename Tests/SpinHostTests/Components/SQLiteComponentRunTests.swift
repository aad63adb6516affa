import Foundation
import TestSupport
import Testing
import WasmComponents
import WasmCore
import WasmWASI
@testable import WasmWASIP2

@testable import SpinHost

/// A real component (`Fixtures/components/sqlite/`: C against the canonical ABI, importing
/// `spin:sqlite/sqlite@3.0.0`) linked against WASI 0.2 and Spin's interfaces, run with a
/// `ComponentHostState` over an app whose component lists `default`.
struct SQLiteComponentRunTests {
    @Test func componentUsesSQLiteThroughTheCanonicalABI() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Fixtures/components/sqlite/sqlite.wasm")))
        let component = try WasmComponents.Component(bytes: bytes)
        var linker = ComponentLinker()
        WASIP2.definitions.define(in: &linker)
        SpinComponentInterfaces.definitions.define(in: &linker)
        let linked = try linker.link(component)

        let app = try HostIf.app(HostIf.v1(#"sqlite_databases = ["default"]"#))
        let services = AppServices(
            app: app, variables: try VariableResolver(app: app, environment: [:]), log: .discard,
            sqliteDatabases: ["default": SQLiteDatabase(path: nil), "secret": SQLiteDatabase(path: nil)])
        let out = OutputBuffer()
        let context = WASIP2Context(wasi: try WASI(configuration: WASIConfiguration(stdout: .buffer(out))))
        context.embedder = ComponentHostState(
            http: WASIHTTPState(allowedHosts: AllowedOutboundHosts([]), settings: OutboundHTTPSettings(), origin: nil, deadline: nil),
            guest: GuestContext(component: app.components[0], services: services))
        let store = Store()
        store.data = context
        defer { context.close() }
        let instance = try linked.instantiate(in: store)
        let run = try #require(instance.function(interface: "wasi:cli/run@0.2.0", name: "run"))
        #expect(try run.call([]) == .ok(nil))
        #expect(
            out.string == """
                open secret: error 1
                create:
                insert:
                insert:
                last-insert-rowid: 2 changes: 1
                update:
                changes: 2
                select: i r s b n
                  row integer(-41) real(2.5) text(hello) blob(01fe) null
                  row integer(-41) real(2.5) text(hello) blob(01fe) null
                bad: error 4 no such table: missing

                """)
        // Dropping the connection left nothing in the instance's table.
        #expect(!context.table.objects.contains { $0 is SQLiteComponentInterfaces.Connection })
    }
}
