import Foundation
import HTTP1
import TestSupport
import Testing
import WasmCore
import WasmWASIP2

@testable import SpinHost
@testable import WasmComponents

/// A request's component instance, as `spin up` makes it (`ComponentGuestInstance`: WASI 0.2,
/// `wasi:http`, Spin's interfaces, limits), is freed once the request is answered: its store,
/// WASI context, component instance and core instances. For the C handler and for CPython (py-proxy), whose
/// leak once kept ~8 MB per request; `ComponentInstanceLifetimeTests` covers the runtime alone.
@Suite struct ComponentGuestLifetimeTests {
    static func watch(_ wasm: String) throws -> [String] {
        let dir = try ComponentHTTPLiveTests.app(serving: wasm)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try LoadedApp.load(path: dir)
        let component = try #require(app.httpComponents.values.first)
        let host = GuestHost(output: GuestOutput(quiet: true))
        weak var store: Store?
        weak var context: WASIP2Context?
        weak var instance: ComponentInstance?
        weak var core: Function?  // the core function `handle` lifts: kept by its core instance
        do {
            let guest = try ComponentGuestInstance(component, host: host, origin: "http://127.0.0.1")
            store = guest.store
            context = guest.context
            instance = guest.instance
            let handle = try #require(guest.instance.function(interface: WASIHTTP.incomingHandler, name: "handle"))
            guard case .lifted(let lifted) = handle.function.body else {
                Issue.record("`handle` is not a lifted core function")
                return []
            }
            core = lifted.core
            let request = WASIIncomingRequest(
                method: "GET", pathWithQuery: "/", scheme: "http", authority: "127.0.0.1",
                headers: .received([("host", "127.0.0.1")]), body: [])
            let outparam = WASIResponseOutparam()
            let requestRep = guest.context.table.insert(request)
            let outparamRep = guest.context.table.insert(outparam)
            _ = try guest.enforcingLimits { try handle.call([.own(requestRep), .own(outparamRep)]) }
            let response = try ComponentHTTPExecutor.response(of: outparam, component: component.id)
            #expect(response.status == 200)
            guest.close()
        }
        return [
            store.map { _ in "store" }, context.map { _ in "WASI context" }, instance.map { _ in "instance" },
            core.map { _ in "core instance" },
        ].compactMap { $0 }
    }

    @Test func theCHandlersInstanceIsFreedAfterItsRequest() throws {
        let leaked = try Self.watch(packageRoot + "/Fixtures/components/c-zig-nostdio.wasm")
        #expect(leaked.isEmpty, "still alive: \(leaked)")
    }

    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: ComponentHTTPLiveTests.pyProxy),
            "built on demand (CPython inside, not committed; Scripts/build-components builds \(ComponentHTTPLiveTests.pyProxy))"
        ))
    func cpythonsInstanceIsFreedAfterItsRequest() throws {
        let leaked = try Self.watch(ComponentHTTPLiveTests.pyProxy)
        #expect(leaked.isEmpty, "still alive: \(leaked)")
    }
}
