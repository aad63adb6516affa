import WasmComponents

/// Which export of a component Spin's Redis trigger calls.
///
/// Spin 3's trigger (crates/trigger-redis) accepts a component exporting exactly one of
/// `fermyon:spin/inbound-redis` (unversioned: the `spin-redis` world of the Spin SDKs, e.g.
/// spin-sdk 3.4.1) and `spin:redis/inbound-redis@3.0.0` (whose `handle-message` is an `async
/// func`, WASI 0.3); both have `handle-message(message: list<u8>) -> result<_, error>`. This host
/// runs the synchronous one; an async `handle-message` is refused at load, saying so.
enum InboundRedisExport {
    /// The interface of the Spin SDKs' `spin-redis` world.
    static let spin = "fermyon:spin/inbound-redis"
    /// Spin 3.x's `spin:redis` package (`@3.x`).
    static let spin3 = "spin:redis/inbound-redis"
    /// The function the trigger calls.
    static let function = "handle-message"

    /// Whether `name` is an export name Spin's Redis trigger looks for.
    static func isRedisHandler(_ name: String) -> Bool {
        if name == spin { return true }
        guard let n = ComponentInterfaceName(name), n.unversioned == spin3, let v = n.version else { return false }
        return v.major == 3
    }

    /// The export `decoded` serves Redis messages through, checked to hold a synchronous
    /// `handle-message(list<u8>) -> result<_, E>`. Throws `AppLoadError` naming the component,
    /// the file and what is wrong (listing what the component exports when it is not a handler).
    static func interface(of decoded: WasmComponents.Component, component id: String, path: String) throws -> String {
        let where_ = "component `\(id)`: \(path)"
        let candidates = decoded.exports.keys.filter(isRedisHandler)
        guard let name = candidates.first else {
            let exports = decoded.exports.keys.joined(separator: ", ")
            throw AppLoadError(
                "\(where_) is a WebAssembly component that does not export Spin's Redis handler `\(spin)` (it exports: \(exports.isEmpty ? "nothing" : exports)); a Redis trigger serves components of the Spin SDKs' `spin-redis` world, or Spin 1.x modules exporting `handle-redis-message`"
            )
        }
        guard candidates.count == 1 else {
            throw AppLoadError(
                "\(where_) exports more than one Redis handler interface (\(candidates.joined(separator: ", "))); Spin refuses that too"
            )
        }
        let types = decoded.types
        guard case .instance(let t)? = decoded.exports[name], let instance = types.instance(t) else {
            throw AppLoadError("\(where_): the export `\(name)` is not an instance (interface)")
        }
        guard case .function(let ft)? = instance.exports[function], let type = types.function(ft) else {
            throw AppLoadError("\(where_): the export `\(name)` has no function `\(function)`")
        }
        if type.isAsync {
            throw AppLoadError(
                "\(where_): `\(name)#\(function)` is an `async func` (the async Component Model of WASI 0.3), which this host does not run; build the component for the `\(spin)` interface (Spin SDK 3.x `spin-redis` world)"
            )
        }
        func isBytes(_ v: ComponentValueType) -> Bool {
            guard case .defined(let d) = v, case .list(.primitive(.u8))? = types.defined(d) else { return false }
            return true
        }
        var resultOK = false
        if case .defined(let r)? = type.result, case .result(ok: nil, error: _)? = types.defined(r) { resultOK = true }
        guard type.parameters.count == 1, isBytes(type.parameters[0].type), resultOK else {
            throw AppLoadError(
                "\(where_): `\(name)#\(function)` has the wrong type; Spin's Redis trigger calls `\(function): func(message: list<u8>) -> result<_, error>`"
            )
        }
        return name
    }
}
