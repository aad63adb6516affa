import WasmComponents
import WasmCore
import WasmWASI

/// The per-instance state of the WASI 0.2 host: what `Store.data` holds for a component
/// instance. Files, stdio and the sandbox come from a preview1 `WASI` (the same preopens,
/// path resolution and escape rules); resources live in `table`.
public final class WASIP2Context {
    /// Descriptors, preopens, stdio sinks, arguments and environment.
    public let wasi: WASI
    /// Every resource the instance holds, by rep.
    public let table = ResourceTable()
    /// The embedder's own per-instance state (SpinHost keeps its `wasi:http` state here).
    public var embedder: AnyObject?

    public init(wasi: WASI) {
        self.wasi = wasi
    }

    /// The context of the instance that made a host call.
    public static func of(_ caller: ComponentCaller) throws -> WASIP2Context {
        guard let context = caller.store.data as? WASIP2Context else {
            throw Trap(.host("the store holds no WASI 0.2 context (Store.data must be a WASIP2Context)"))
        }
        return context
    }

    /// Adds `object` to the table and returns the value of an owning handle to it.
    public func own(_ object: AnyObject) -> ComponentValue { .own(table.insert(object)) }

    /// Drops `rep` as the guest's last owning handle went away.
    public func dropResource(_ rep: UInt32) throws { try table.drop(rep, context: self) }

    /// Closes every descriptor and forgets every resource (the instance is done).
    public func close() {
        for object in table.objects { (object as? HostResourceClosing)?.close(in: self) }
        wasi.close()
    }
}

/// A resource holding something the host must release when the instance ends.
public protocol HostResourceClosing: AnyObject {
    func close(in context: WASIP2Context)
}
