import WasmComponents

/// The WASI 0.2 host (`wasi:io`, `wasi:clocks`, `wasi:random`, `wasi:cli`, `wasi:filesystem`,
/// `wasi:sockets`), for components. Every function is defined under its `@0.2.0` interface
/// name; the linker matches guests built against any `0.2.x` by semver.
///
/// ```swift
/// var linker = ComponentLinker()
/// WASIP2.definitions.define(in: &linker)
/// let linked = try linker.link(component)
/// let store = Store()
/// store.data = WASIP2Context(wasi: try WASI(configuration: configuration))
/// let instance = try linked.instantiate(in: store)
/// ```
public enum WASIP2 {
    /// Every WASI 0.2 function and resource type this host provides.
    public static let definitions: WASIP2Definitions = {
        var d = WASIP2Definitions()
        WASIIO.define(&d)
        WASIClocksRandom.define(&d)
        WASICLI.define(&d)
        WASIFilesystem.define(&d)
        WASISockets.define(&d)
        return d
    }()
}
