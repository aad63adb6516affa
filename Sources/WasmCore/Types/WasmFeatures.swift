/// The WebAssembly 3.0 features a module may use, each switchable, as wasmtime's `Config`
/// switches them (`wasm_memory64(false)`, ...). All supported features are on by default.
///
/// A module that uses a switched-off feature, or one the engine does not support (garbage
/// collection), fails to decode or validate with an error naming the feature and the byte
/// offset, e.g. `memory64 support is not enabled (at byte offset 23)`.
///
/// The command line spells a switch as wasmtime's `-W NAME=y|n` (`-W memory64=n`);
/// `set(_:)` parses that spelling.
public struct WasmFeatures: Sendable, Equatable, Hashable {
    /// One named feature.
    public enum Feature: String, Sendable, CaseIterable, CustomStringConvertible {
        /// Exception handling: tags, `throw`, `throw_ref`, `try_table`, `exnref` (and the
        /// legacy `try`/`catch`/`delegate`/`rethrow`).
        case exceptions
        /// `return_call`, `return_call_indirect`, `return_call_ref`.
        case tailCalls = "tail-call"
        /// Typed function references: `(ref null? $t)`, `call_ref`, `br_on_null`, ...
        case functionReferences = "function-references"
        /// 64-bit memories and tables (i64 addresses, 64-bit limits).
        case memory64
        /// More than one memory, and a memory index on every memory instruction.
        case multiMemory = "multi-memory"
        /// `i32/i64.add/sub/mul` and `global.get` of any immutable global in constant expressions.
        case extendedConst = "extended-const"
        /// The relaxed SIMD instructions (one deterministic choice each; see `docs/relaxed-simd.md`).
        case relaxedSIMD = "relaxed-simd"
        /// The threads proposal, decoding and validation only: `shared` memories (limits flag
        /// bit 1; they must have a maximum, and imports match only equally shared memories).
        /// A shared memory behaves as a normal one (this engine runs one thread per instance);
        /// the atomic instructions (the 0xFE prefix) are not supported and fail to decode
        /// naming the feature. On by default, as in wasmtime.
        case threads
        /// Garbage collection (struct, array, i31, casts): not supported, always off.
        case gc

        /// The name as wasmtime's `-W` flag and error messages spell it.
        public var description: String { rawValue }

        /// Whether the engine implements the feature at all (everything but `gc`).
        public var isSupported: Bool { self != .gc }

        /// The feature named `name`: wasmtime's spelling (`tail-call`, `multi-memory`, ...),
        /// or the Swift property name (`tailCalls`), or wasmtime's `exceptions`/`memory64`.
        public init?(name: String) {
            if let f = Feature(rawValue: name) {
                self = f
                return
            }
            switch name {
            case "tailCalls", "tail-calls", "tail_call": self = .tailCalls
            case "functionReferences", "function_references": self = .functionReferences
            case "multiMemory", "multi_memory": self = .multiMemory
            case "extendedConst", "extended_const": self = .extendedConst
            case "relaxedSIMD", "relaxed_simd", "relaxedSimd": self = .relaxedSIMD
            case "exception-handling", "exception_handling": self = .exceptions
            default: return nil
            }
        }
    }

    public var exceptions = true
    public var tailCalls = true
    public var functionReferences = true
    public var memory64 = true
    public var multiMemory = true
    public var extendedConst = true
    public var relaxedSIMD = true
    /// Shared memories (see `Feature.threads`; atomic instructions are not supported).
    public var threads = true
    /// Garbage collection is not supported: always false, and `set(.gc, true)` throws.
    public var gc: Bool { false }

    /// Every supported feature on.
    public init() {}

    /// The Wasm 2.0 feature set: every 3.0 feature off.
    public static var wasm2: WasmFeatures {
        var f = WasmFeatures()
        for feature in Feature.allCases where feature.isSupported { f[feature] = false }
        return f
    }

    /// Whether `feature` is on (`gc` is always off; setting it to true is ignored, use `set`).
    public subscript(feature: Feature) -> Bool {
        get {
            switch feature {
            case .exceptions: exceptions
            case .tailCalls: tailCalls
            case .functionReferences: functionReferences
            case .memory64: memory64
            case .multiMemory: multiMemory
            case .extendedConst: extendedConst
            case .relaxedSIMD: relaxedSIMD
            case .threads: threads
            case .gc: false
            }
        }
        set {
            switch feature {
            case .exceptions: exceptions = newValue
            case .tailCalls: tailCalls = newValue
            case .functionReferences: functionReferences = newValue
            case .memory64: memory64 = newValue
            case .multiMemory: multiMemory = newValue
            case .extendedConst: extendedConst = newValue
            case .relaxedSIMD: relaxedSIMD = newValue
            case .threads: threads = newValue
            case .gc: break
            }
        }
    }

    /// A switch that names an unknown feature, has no `=y|n`, or turns on `gc`.
    public struct SettingError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Applies one wasmtime-style switch: `NAME=y|n` (also `yes/no`, `true/false`, `1/0`,
    /// `on/off`), or a bare `NAME` meaning `NAME=y`.
    public mutating func set(_ setting: String) throws(SettingError) {
        let name: Substring, value: Substring
        if let eq = setting.firstIndex(of: "=") {
            name = setting[..<eq]
            value = setting[setting.index(after: eq)...]
        } else {
            (name, value) = (setting[...], "y")
        }
        guard let feature = Feature(name: String(name)) else {
            let known = Feature.allCases.map(\.rawValue).joined(separator: ", ")
            throw SettingError(description: "unknown Wasm feature '\(name)' (known: \(known))")
        }
        let on: Bool
        switch value.lowercased() {
        case "y", "yes", "true", "1", "on": on = true
        case "n", "no", "false", "0", "off": on = false
        default:
            throw SettingError(description: "'\(setting)': expected \(name)=y or \(name)=n")
        }
        if on && !feature.isSupported {
            throw SettingError(description: "Wasm feature '\(feature)' is not supported by this engine")
        }
        self[feature] = on
    }

    /// The error for a module that uses `feature` while it is off (or unsupported), at `offset`.
    static func disabled(_ feature: Feature, offset: Int) -> DecodeError {
        DecodeError(
            feature.isSupported
                ? "\(feature) support is not enabled" : "\(feature) is not supported by this engine",
            offset: offset)
    }

    /// The error for an atomic instruction (the threads proposal's 0xFE prefix) at `offset`:
    /// shared memories are supported, atomics are not.
    static func atomicsUnsupported(offset: Int) -> DecodeError {
        DecodeError("illegal opcode: threads (atomic instructions) are not supported", offset: offset)
    }

    /// Throws `disabled(feature, offset:)` unless `feature` is on.
    @inline(__always)
    func require(_ feature: Feature, offset: Int) throws(DecodeError) {
        if !self[feature] { throw WasmFeatures.disabled(feature, offset: offset) }
    }
}
