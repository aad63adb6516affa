import Foundation
import Testing
import WasmCore

@testable import WasmComponents

/// A component instance and everything it made (its store, core instances and their functions) are freed
/// when the embedder lets go of them. Two reference cycles once kept them forever — the store
/// kept the lowering trampolines, whose closures kept their `InstanceState`, which kept the
/// store; and the instantiation environment kept its nested components' closures, which kept the
/// environment (with every core instance) — so `spin up` grew by ~24 KiB per component request
/// (~1 GB after 40,000 requests of the C handler). Weak references make the leak a test failure.
@Suite struct ComponentInstanceLifetimeTests {
    /// What to watch: the store, the component instance, and the core function the export
    /// lifts (kept by its core instance and by the instantiation's environment).
    struct Watch {
        weak var store: Store?
        weak var instance: ComponentInstance?
        weak var core: Function?
        /// Whether the export is a lifted core function (so `core` was watched).
        var watchedCore = false

        var leaked: [String] {
            [store.map { _ in "store" }, instance.map { _ in "instance" }, core.map { _ in "core function" }]
                .compactMap { $0 }
        }
    }

    /// Instantiates `linked` in a fresh store, calls `interface`'s `name` with `arguments`, and
    /// returns weak references to what the call used, once every strong one is gone.
    static func watch(
        _ linked: LinkedComponent, interface: String?, name: String, _ arguments: [ComponentValue]
    ) throws -> Watch {
        var watch = Watch()
        do {
            let store = Store()
            let instance = try linked.instantiate(in: store)
            let function = try #require(instance.function(interface: interface, name: name))
            _ = try function.call(arguments)
            if case .lifted(let lifted) = function.function.body {
                watch.core = lifted.core
                watch.watchedCore = true
            }
            watch.store = store
            watch.instance = instance
        }
        return watch
    }

    /// The C `wasi:http` handler (with wit-component's nested shim component) after a request.
    @Test func theCHandlerIsFreedAfterARequest() throws {
        let host = StubHTTPHost()
        let linked = try host.linker().link(try RuntimeFixtureTests.component())
        let watch = try Self.watch(linked, interface: "wasi:http/incoming-handler@0.2.0", name: "handle", [.own(1), .own(2)])
        #expect(watch.watchedCore)
        #expect(watch.leaked.isEmpty, "still alive: \(watch.leaked)")
    }

    /// Hand-written components with and without nested components, after a call.
    @Test(arguments: ["order", "bag", "nested"])
    func aComponentIsFreedAfterACall(_ name: String) throws {
        let watch = try Self.watch(try CoreWiringTests.linked(name), interface: nil, name: "run", [])
        #expect(watch.watchedCore)
        #expect(watch.leaked.isEmpty, "\(name) still alive: \(watch.leaked)")
    }

    /// A `CoreCanonicalABI` binding kept in its store's `data` (where Spin's executors keep the
    /// 1.4–1.5 modules' binding) does not keep the store alive: it once did, through its
    /// stand-in `ComponentInstance`, leaking every such request's store (~45 KiB each).
    @Test func aCoreCanonicalABIBindingInTheStoresDataLetsTheStoreGo() throws {
        final class Holder { var binding: CoreCanonicalABI? }
        weak var weakStore: Store?
        weak var weakBinding: CoreCanonicalABI?
        do {
            let store = Store()
            let memory = try Memory(type: MemoryType(limits: Limits(min: 1, max: nil)))
            let holder = Holder()
            holder.binding = CoreCanonicalABI(store: store, memory: memory, realloc: nil)
            store.data = holder
            // The binding works while the store does.
            let type = CanonicalFunctionType(parameters: [.u32], result: .u32)
            #expect(try holder.binding!.liftArguments(type, [.i32(7)]) == [.u32(7)])
            weakStore = store
            weakBinding = holder.binding
        }
        #expect(weakStore == nil, "the store is still alive")
        #expect(weakBinding == nil, "the binding is still alive")
    }
}
