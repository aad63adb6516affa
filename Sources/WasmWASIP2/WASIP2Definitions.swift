import WasmComponents
import WasmCore

/// A host function of a WASI 0.2 interface. Its body takes the calling instance's
/// `WASIP2Context` rather than the raw `ComponentCaller`, so that tests (and embedders) can
/// call exactly what the linker gets with component values and no running guest.
public struct WASIP2Function: Sendable {
    /// The interface, e.g. `wasi:io/streams@0.2.0`.
    public let interface: String
    /// The function as the component model names it, e.g. `[method]output-stream.write`.
    public let name: String
    public let body: @Sendable (WASIP2Context, [ComponentValue]) throws -> ComponentValue?

    /// Runs the function on `context`.
    public func callAsFunction(_ context: WASIP2Context, _ arguments: [ComponentValue]) throws -> ComponentValue? {
        try body(context, arguments)
    }
}

/// A resource type of a WASI 0.2 interface. Every rep of every host resource type indexes the
/// context's one `ResourceTable`; dropping the last owning handle removes the entry.
public struct WASIP2Resource: Sendable, Hashable {
    public let interface: String
    public let name: String
}

/// A set of host definitions (functions and resource types) that can be added to a
/// `ComponentLinker`: the WASI 0.2 interfaces (`WASIP2.definitions`), and embedders'
/// own interfaces written the same way (SpinHost's `wasi:http`).
public struct WASIP2Definitions: Sendable {
    public private(set) var functions: [WASIP2Function] = []
    public private(set) var resources: [WASIP2Resource] = []
    /// Interfaces of types only (no functions or resources), provided all the same.
    public private(set) var typeInterfaces: [String] = []
    private var index: [String: Int] = [:]

    public init() {}

    /// Adds function `name` of `interface`.
    public mutating func function(
        _ interface: String, _ name: String,
        _ body: @escaping @Sendable (WASIP2Context, [ComponentValue]) throws -> ComponentValue?
    ) {
        index[interface + "#" + name] = functions.count
        functions.append(WASIP2Function(interface: interface, name: name, body: body))
    }

    /// Adds resource type `name` of `interface`.
    public mutating func resource(_ interface: String, _ name: String) {
        resources.append(WASIP2Resource(interface: interface, name: name))
    }

    /// Adds `interface`, an interface that only defines types (`fermyon:spin/rdbms-types@2.0.0`).
    public mutating func typesOnly(_ interface: String) {
        if !typeInterfaces.contains(interface) { typeInterfaces.append(interface) }
    }

    /// Adds everything `other` defines.
    public mutating func merge(_ other: WASIP2Definitions) {
        for f in other.functions { function(f.interface, f.name, f.body) }
        resources += other.resources
        for i in other.typeInterfaces { typesOnly(i) }
    }

    /// The function `name` of `interface` (exact interface name, e.g. `wasi:io/streams@0.2.0`).
    public func function(_ interface: String, _ name: String) -> WASIP2Function? {
        index[interface + "#" + name].map { functions[$0] }
    }

    /// Defines every function and resource type in `linker`. The functions find their context
    /// in `caller.store.data`, which must be a `WASIP2Context`.
    public func define(in linker: inout ComponentLinker) {
        for i in typeInterfaces { linker.defineInterface(i) }
        for r in resources {
            linker.defineResource(interface: r.interface, name: r.name) { caller, rep in
                try WASIP2Context.of(caller).dropResource(rep)
            }
        }
        for f in functions {
            let body = f.body
            linker.defineFunction(interface: f.interface, name: f.name) { caller, arguments in
                try body(try WASIP2Context.of(caller), arguments)
            }
        }
    }
}
