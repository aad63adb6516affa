import WasmCore

/// What every column of a differential test does with a module, and how it writes it down.
///
/// `Scripts/difftest` runs random modules from `wasm-tools smith` in three columns: wasmtime
/// (the script, through wasmtime's Python binding), our optimising translation and our reference
/// translation (`DifferentialExecution`, through `spin wasm difftest-exec`). Every column follows
/// this plan, which the script mirrors line for line:
///
/// 1. Compile the module (`invalid` when rejected; `imports` when it imports anything) and
///    instantiate it with no imports (`instantiate ok`, `instantiate trap KIND`, `instantiate
///    timeout` or `instantiate fail`).
/// 2. Write the state of every exported memory, global and table (`stateLines`).
/// 3. `rounds` times, call every exported function in export order. The arguments are drawn
///    from one `SplitMix64` stream seeded with the FNV-1a hash of the module's bytes
///    (`argument(_:for:)`). Before each call the fuel global that `--ensure-termination` adds
///    (exported by the script as `fuelExport`) is refilled to `fuel`. Each call gives a line
///    `call EXPORT-INDEX ARGS... -> RESULTS...` (or `-> trap KIND`, or `-> timeout` followed by
///    `stop`, the end of the column), then the lines of the exported state that changed.
///
/// The columns must be equal line by line (`firstDifference(_:_:)`).
public enum DifferentialPlan {
    /// How many times every exported function is called.
    public static let rounds = 2
    /// The name under which `Scripts/difftest` exports smith's fuel global.
    public static let fuelExport = "__fuel"
    /// The fuel every call starts with (`--fuel` of the smith flags).
    public static let fuel: Int32 = 1000

    /// 64-bit FNV-1a of `bytes`: the seed of a module's arguments.
    public static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
        return hash
    }

    /// Sebastiano Vigna's SplitMix64: the stream of argument choices.
    public struct SplitMix64: Sendable {
        var state: UInt64

        /// A stream that starts from `seed`.
        public init(seed: UInt64) { state = seed }

        /// The next 64 random bits.
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    // Argument pools: edge values first, then (one index past the end) a random value.
    static let i32Pool: [UInt32] = [
        0, 1, 0xFFFF_FFFF, 2, 3, 7, 8, 16, 31, 32, 33, 63, 64, 100, 255, 256, 1000, 0xFFFF, 0x10000,
        0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FF80, 1024,
    ]
    static let i64Pool: [UInt64] = [
        0, 1, .max, 2, 7, 31, 32, 63, 64, 65, 255, 0x10000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
        0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, .max - 1,
    ]
    static let f32Pool: [UInt32] = [
        0x0000_0000, 0x8000_0000, 0x3F80_0000, 0x3FC0_0000, 0xBFC0_0000, 0x3F00_0000, 0x4000_0000,
        0x42C8_0000, 0xBF80_0000, 0x7FC0_0000, 0x7F80_0000, 0xFF80_0000, 0x4F00_0000, 0xCF00_0001,
        0x4F80_0000, 0x0000_0001, 0x7F7F_FFFF, 0x3DCC_CCCD,
    ]
    static let f64Pool: [UInt64] = [
        0x0000_0000_0000_0000, 0x8000_0000_0000_0000, 0x3FF0_0000_0000_0000, 0x3FF8_0000_0000_0000,
        0xBFF8_0000_0000_0000, 0x3FE0_0000_0000_0000, 0x4000_0000_0000_0000, 0x4059_0000_0000_0000,
        0xBFF0_0000_0000_0000, 0x7FF8_0000_0000_0000, 0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000,
        0x41E0_0000_0000_0000, 0xC1E0_0000_0020_0000, 0x43E0_0000_0000_0000, 0x0000_0000_0000_0001,
        0x7FEF_FFFF_FFFF_FFFF, 0x3FB9_9999_9999_999A,
    ]
    static let v128Pool: [V128] = [
        V128(low: 0, high: 0), V128(low: .max, high: .max),
        V128(low: 0x7FC0_0000_7FC0_0000, high: 0x7FC0_0000_7FC0_0000),
        V128(low: 0x0F00_F0FF_00FF_00, high: 0x0000_00FF_0000_FF00),
    ]

    /// The next argument of `type` from `random`. NaNs drawn at random become the canonical NaN
    /// (smith's `--canonicalize-nans` keeps results comparable only for canonical inputs);
    /// references are null, or extern references with payload 1 to 3.
    public static func argument(_ random: inout SplitMix64, for type: ValueType) -> Value {
        let r = random.next()
        func pick<T>(_ pool: [T], _ random: inout SplitMix64, else fresh: (inout SplitMix64) -> T) -> T {
            let i = Int(r % UInt64(pool.count + 1))
            return i < pool.count ? pool[i] : fresh(&random)
        }
        switch type {
        case .i32:
            return .i32(pick(i32Pool, &random) { UInt32(truncatingIfNeeded: $0.next()) })
        case .i64:
            return .i64(pick(i64Pool, &random) { $0.next() })
        case .f32:
            let bits = pick(f32Pool, &random) { UInt32(truncatingIfNeeded: $0.next()) }
            return .f32(Float(bitPattern: bits).isNaN ? 0x7FC0_0000 : bits)
        case .f64:
            let bits = pick(f64Pool, &random) { $0.next() }
            return .f64(Double(bitPattern: bits).isNaN ? 0x7FF8_0000_0000_0000 : bits)
        case .v128:
            return .v128(
                pick(v128Pool, &random) { random in
                    let low = random.next()
                    return V128(low: low, high: random.next())
                })
        case .externref:
            let i = r % 4
            return .externref(i == 0 ? nil : i)
        case .funcref:
            return .funcref(nil)
        default:
            return Value.zero(type)
        }
    }

    /// `i32:-1`, `f32:0x3fc00000`, `f64:nan`, `v128:0x<high><low>`, `funcref:null`, `funcref:func`,
    /// `externref:null`, `externref:2`: exact, except that every NaN is `nan`.
    public static func format(_ value: Value) -> String {
        switch value {
        case .i32(let v): "i32:\(Int32(bitPattern: v))"
        case .i64(let v): "i64:\(Int64(bitPattern: v))"
        case .f32(let v): Float(bitPattern: v).isNaN ? "f32:nan" : "f32:0x" + hex(UInt64(v), digits: 8)
        case .f64(let v): Double(bitPattern: v).isNaN ? "f64:nan" : "f64:0x" + hex(v, digits: 16)
        case .v128(let v): "v128:0x" + hex(v.high, digits: 16) + hex(v.low, digits: 16)
        case .funcref(let f): f == nil ? "funcref:null" : "funcref:func"
        case .externref(let e): e.map { "externref:\($0)" } ?? "externref:null"
        case .exnref(let e): e == nil ? "exnref:null" : "exnref:exn"
        }
    }

    /// A table's elements, one each: `n` (null), `f` (a function) or `e<payload>`; `-` when empty.
    public static func formatElements(_ elements: [Value]) -> String {
        let text = elements.map { value -> String in
            switch value {
            case .funcref(let f): f == nil ? "n" : "f"
            case .externref(let e): e.map { "e\($0)" } ?? "n"
            default: "?"
            }
        }.joined()
        return text.isEmpty ? "-" : text
    }

    /// `value` in lowercase hexadecimal, zero-padded to `digits`.
    static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// The kind of a trap as every column names it (wasmtime's trap codes map to the same names).
    /// nil for `.interrupted`, which is a timeout, not a trap.
    public static func kind(of reason: TrapReason) -> String? {
        switch reason {
        case .unreachable: "unreachable"
        case .integerDivideByZero: "divide-by-zero"
        case .integerOverflow: "integer-overflow"
        case .invalidConversionToInteger: "bad-conversion"
        case .outOfBoundsMemoryAccess: "memory-oob"
        case .outOfBoundsTableAccess, .undefinedElement: "table-oob"
        case .uninitializedElement: "null-call"
        case .indirectCallTypeMismatch: "bad-signature"
        case .callStackExhausted: "stack-overflow"
        case .nullFunctionReference, .nullReference, .nullExceptionReference: "null-reference"
        case .interrupted: nil
        case .host: "other"
        }
    }

    /// The trap kinds a column can name; any other kind (`other`) matches every trap.
    public static let knownTrapKinds: Set<String> = [
        "unreachable", "divide-by-zero", "integer-overflow", "bad-conversion", "memory-oob", "table-oob",
        "null-call", "bad-signature", "stack-overflow", "null-reference",
    ]

    // MARK: Comparing columns

    /// `line` without its ` # comment` (comments carry messages that no column must match).
    public static func strippingComment(_ line: String) -> Substring {
        guard let range = line.range(of: " #") else { return line[...] }
        return line[..<range.lowerBound]
    }

    /// The trap kind of a `call ... -> trap KIND` or `instantiate trap KIND` line.
    static func trapKind(_ line: Substring) -> (head: Substring, kind: Substring)? {
        if let range = line.range(of: " -> trap ") {
            return (line[..<range.lowerBound], line[range.upperBound...])
        }
        let prefix = "instantiate trap "
        if line.hasPrefix(prefix) { return ("instantiate", line.dropFirst(prefix.count)) }
        return nil
    }

    /// Whether two lines of different columns agree: equal without comments, or the same call
    /// trapping where at least one column could not name the kind.
    public static func linesMatch(_ a: String, _ b: String) -> Bool {
        let x = strippingComment(a)
        let y = strippingComment(b)
        if x == y { return true }
        guard let tx = trapKind(x), let ty = trapKind(y), tx.head == ty.head else { return false }
        return !knownTrapKinds.contains(String(tx.kind)) || !knownTrapKinds.contains(String(ty.kind))
    }

    /// Whether the columns may legitimately differ after `line`: a stack overflow depends on
    /// frame sizes, which differ between engines and between our two translations.
    public static func isResourceLimit(_ line: String) -> Bool {
        line.hasSuffix("-> trap stack-overflow") || line == "instantiate trap stack-overflow"
    }

    /// The first line where columns `a` and `b` disagree (an index past the shorter one when it
    /// is a prefix of the other), or nil. Both are cut at the first resource-limit line of
    /// either (`isResourceLimit`).
    public static func firstDifference(_ a: [String], _ b: [String]) -> Int? {
        let limit = [a, b].compactMap { $0.firstIndex(where: isResourceLimit) }.min()
        let x = limit.map { Array(a.prefix($0)) } ?? a
        let y = limit.map { Array(b.prefix($0)) } ?? b
        for i in 0..<max(x.count, y.count) {
            if i >= x.count || i >= y.count || !linesMatch(x[i], y[i]) { return i }
        }
        return nil
    }
}
