import WasmComponents
import WasmWASIP2

/// Spin's own interfaces for components — `fermyon:spin/*@2.0.0`, `spin:*@3.x`, and the
/// `wasi:keyvalue` / `wasi:config` drafts the Spin SDKs import — over the host features
/// 1.x modules already have. Each function finds its instance's `GuestContext` through
/// `ComponentHostState.of(context)?.guest`.
public enum SpinComponentInterfaces {
    /// Every Spin interface this host gives components.
    public static let definitions: WASIP2Definitions = {
        var d = WASIP2Definitions()
        SpinRedisTypesInterface.define(&d)
        SpinVariablesInterface.define(&d)
        WASIConfigStoreInterface.define(&d)
        SpinKeyValueInterface.define(&d)
        WASIKeyValueInterface.define(&d)
        SpinUnbackedInterfaces.define(&d)
        SpinRedisInterface.define(&d)
        SpinPostgresInterfaces.define(&d)
        SQLiteComponentInterfaces.define(&d)
        return d
    }()

    /// What a Spin component is linked against: WASI 0.2, `wasi:http` and Spin's interfaces.
    public static let allDefinitions: WASIP2Definitions = {
        var d = WASIHTTP.proxyDefinitions
        d.merge(definitions)
        return d
    }()
}
