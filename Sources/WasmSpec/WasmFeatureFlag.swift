import ArgumentParsing
import WasmCore

/// wasmtime's `-W NAME=y|n` switch of one Wasm feature, shared by `spin wasm run` and
/// `spin wasm spectest` (`-W memory64=n`, `-W tail-call=n`, `-W relaxed-simd=y`, ...).
public enum WasmFeatureFlag {
    /// The help text: the flag's spelling and every feature name.
    public static var help: String {
        "Switch a Wasm feature on or off, as wasmtime's -W: "
            + WasmFeatures.Feature.allCases.map { $0.rawValue + ($0.isSupported ? "" : " (unsupported)") }
            .joined(separator: ", ") + " (all supported ones are on by default; repeatable)"
    }

    /// The `-W NAME=y|n` argument, applied to the features at `keyPath`.
    public static func argument<Options>(_ keyPath: WritableKeyPath<Options, WasmFeatures> & Sendable)
        -> Argument<Options>
    {
        .option("-W", value: "NAME=y|n", help: help, repeatable: true) { options, setting in
            do throws(WasmFeatures.SettingError) {
                try options[keyPath: keyPath].set(setting)
            } catch {
                throw ValueError(error.description)
            }
        }
    }
}
