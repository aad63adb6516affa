import WasmWASIP2

/// `fermyon:spin/redis-types` (unversioned): the `payload` and `error` types that a Spin SDK
/// Redis handler (the `spin-redis` world, exporting `fermyon:spin/inbound-redis`) imports. An
/// interface of types only: the host provides it so such components link.
enum SpinRedisTypesInterface {
    static let name = "fermyon:spin/redis-types"

    static func define(_ d: inout WASIP2Definitions) {
        d.typesOnly(name)
    }
}
