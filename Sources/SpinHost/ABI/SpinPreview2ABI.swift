import WasmComponents
import WasmCore

/// Which Spin 1.x guest ABI a core module speaks (docs/spin-1x.md#scope).
package enum SpinModuleABI: Sendable, Equatable {
    /// wit-bindgen 0.2, the old canonical ABI: `handle-http-request`, `canonical_abi_realloc`.
    case witBindgen02
    /// wit-bindgen 0.8 (Spin 1.4–1.5 SDKs), the canonical ABI of Spin's `wit/preview2`
    /// interfaces: `fermyon:spin/inbound-http#handle-request`, `cabi_realloc`.
    case preview2

    /// Tells the two apart by names only wit-bindgen 0.8 emits: a module exporting
    /// `canonical_abi_realloc` is old-ABI whatever else it has; otherwise an export or import
    /// named `fermyon:spin/…`, or a `cabi_realloc` export, makes it a preview2 module. Anything
    /// else (including a WASI command) is treated as old-ABI, whose checks name what is missing.
    package static func of(_ module: Module) -> SpinModuleABI {
        let exported = module.exports.filter { $0.kind == .function }.map(\.name)
        if exported.contains(SpinPreview2ABI.oldRealloc) { return .witBindgen02 }
        if exported.contains(SpinPreview2ABI.realloc)
            || exported.contains(where: { $0.hasPrefix(SpinPreview2ABI.package) })
            || module.imports.contains(where: { $0.module.hasPrefix(SpinPreview2ABI.package) })
        {
            return .preview2
        }
        return .witBindgen02
    }
}

/// The names and core types of wit-bindgen 0.8 modules (docs/spin-1x.md#preview2-modules), and
/// each instance's canonical ABI binding.
package enum SpinPreview2ABI {
    /// Prefix of every import module and export of Spin's interfaces (package `fermyon:spin`).
    package static let package = "fermyon:spin/"
    /// The allocator wit-bindgen 0.8 exports: `cabi_realloc(old_ptr, old_len, align, new_len) -> ptr`.
    package static let realloc = "cabi_realloc"
    static let oldRealloc = "canonical_abi_realloc"
    /// `inbound-http.handle-request`, as wit-bindgen names the export.
    package static let handleRequest = "fermyon:spin/inbound-http#handle-request"
    /// `inbound-redis.handle-message`.
    package static let handleMessage = "fermyon:spin/inbound-redis#handle-message"

    /// The post-return function wit-bindgen exports for `export` (frees what the result
    /// pointed to), e.g. `cabi_post_fermyon:spin/inbound-http#handle-request`.
    package static func postReturn(_ export: String) -> String { "cabi_post_" + export }

    /// Refuses a preview2 module that cannot serve `entry` (`handleRequest` or `handleMessage`,
    /// of `type`): the error names the missing or mistyped export.
    static func check(_ module: Module, entry: String, type: CanonicalFunctionType, component id: String) throws {
        let functions = Dictionary(
            module.exports.filter { $0.kind == .function }.map { ($0.name, $0.index) }, uniquingKeysWith: { a, _ in a })
        func coreType(_ name: String) -> FunctionType? { functions[name].flatMap { module.functionType(at: Int($0)) } }
        let what = "component `\(id)` is a Spin 1.4–1.5 SDK module (wit-bindgen 0.8, `fermyon:spin/*`)"
        guard let entryType = coreType(entry) else {
            throw AppLoadError("\(what) but does not export `\(entry)`, which its trigger calls")
        }
        guard entryType == type.exportType else {
            throw AppLoadError("\(what): export `\(entry)` has type \(entryType), expected \(type.exportType)")
        }
        let reallocType = FunctionType(parameters: [.i32, .i32, .i32, .i32], results: [.i32])
        guard let r = coreType(realloc) else {
            throw AppLoadError("\(what) but does not export `\(realloc)`, which the canonical ABI needs")
        }
        guard r == reallocType else {
            throw AppLoadError("\(what): export `\(realloc)` has type \(r), expected \(reallocType)")
        }
        if let post = coreType(postReturn(entry)),
            post != FunctionType(parameters: type.exportType.results, results: [])
        {
            throw AppLoadError(
                "\(what): export `\(postReturn(entry))` has type \(post), expected \(type.exportType.results) -> ()")
        }
        guard module.exports.contains(where: { $0.kind == .memory && $0.name == "memory" }) else {
            throw AppLoadError("\(what) but does not export `memory`, which the canonical ABI needs")
        }
    }

    /// A binding to `instance`'s `memory` and `cabi_realloc`.
    static func binding(store: Store, instance: Instance) throws -> CoreCanonicalABI {
        guard let memory = instance.memory(named: "memory") else {
            throw GuestABIError("the module exports no memory")
        }
        guard let realloc = instance.function(named: realloc) else {
            throw GuestABIError("failed to find function export \(realloc)")
        }
        return CoreCanonicalABI(store: store, memory: memory, realloc: realloc)
    }

    /// The binding of the instance making a host call: kept in its `GuestState` (one per
    /// instance, shared with the executor's call into it), or a new one for other stores.
    static func binding(_ caller: Caller) throws -> CoreCanonicalABI {
        guard let instance = caller.instance else { throw GuestABIError("host function called without an instance") }
        if let state = caller.store.data as? GuestState {
            return try state.preview2Binding(store: caller.store, instance: instance)
        }
        return try binding(store: caller.store, instance: instance)
    }
}

extension GuestState {
    /// This instance's canonical ABI binding, made on first use.
    func preview2Binding(store: Store, instance: Instance) throws -> CoreCanonicalABI {
        if let b = interfaceState[ObjectIdentifier(CoreCanonicalABI.self)] as? CoreCanonicalABI { return b }
        let b = try SpinPreview2ABI.binding(store: store, instance: instance)
        interfaceState[ObjectIdentifier(CoreCanonicalABI.self)] = b
        return b
    }
}
