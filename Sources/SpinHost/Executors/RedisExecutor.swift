import WasmCore

/// What a guest's `handle-redis-message` reported, or why it could not run.
public struct RedisHandlerError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    /// The `error` enum value the guest returned (0 `success`, 1 `error`), when it returned one.
    public var guestErrorCode: UInt8?

    package init(_ message: String, guestErrorCode: UInt8? = nil) {
        self.message = message
        self.guestErrorCode = guestErrorCode
    }

    public var description: String { message }
}

/// Runs one Redis message through a Spin 1.x Redis component (docs/spin-1x.md#redis-abi).
public enum RedisExecutor {
    public static let exportName = "handle-redis-message"

    /// Instantiates `module` afresh with `imports`, calls `_initialize` when exported,
    /// copies `payload` in with `canonical_abi_realloc(0, 0, 1, len)` (ownership passes
    /// to the guest), calls `handle-redis-message(ptr, len) -> i32` and reads the
    /// 2-byte `expected<unit, error>` at the returned pointer.
    ///
    /// Throws `RedisHandlerError` when the guest returns `err(...)` or lacks the
    /// export, and whatever instantiation or the call threw (a `Trap`, a `LinkError`).
    public static func handle(module: Module, imports: Imports, payload: [UInt8]) throws {
        let store = Store()
        let instance = try store.instantiate(module, imports: imports)
        if let initialize = instance.function(named: "_initialize") {
            _ = try store.invoke(initialize, [])
        }
        try handle(store: store, instance: instance, payload: payload)
    }

    /// Calls `handle-redis-message` on an instance that is ready (already initialised).
    public static func handle(store: Store, instance: Instance, payload: [UInt8]) throws {
        guard let handler = instance.function(named: exportName) else {
            throw RedisHandlerError("the component does not export `\(exportName)` (is it a Redis component?)")
        }
        guard handler.type == FunctionType(parameters: [.i32, .i32], results: [.i32]) else {
            throw RedisHandlerError("`\(exportName)` has type \(handler.type), expected (i32, i32) -> (i32)")
        }
        let abi = try CanonicalABI(store: store, instance: instance, requireFree: false)
        let (ptr, len) = try abi.write(payload, align: 1)
        let results = try store.invoke(handler, [.i32(ptr), .i32(len)])
        guard case .i32(let ret)? = results.first else {
            throw RedisHandlerError("`\(exportName)` returned no pointer")
        }
        let area = try abi.read(ret, 2)
        switch area[0] {
        case 0: return
        case 1:
            let name = area[1] == 0 ? "success" : area[1] == 1 ? "error" : "unknown error \(area[1])"
            throw RedisHandlerError("the component returned an error (\(name))", guestErrorCode: area[1])
        default:
            throw RedisHandlerError("`\(exportName)` returned an invalid result tag \(area[0])")
        }
    }
}
