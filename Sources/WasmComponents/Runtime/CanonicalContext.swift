import WasmCore

/// A canonical `string-encoding` option.
enum StringEncoding: Sendable {
    case utf8
    case utf16
    case latin1UTF16
}

/// The canonical options of one `canon lift` or `canon lower`, resolved to run-time objects.
struct CanonicalOptions {
    var memory: Memory?
    var realloc: Function?
    var postReturn: Function?
    var encoding: StringEncoding = .utf8
}

/// Everything lifting or lowering values needs: the instance (for handles and `may_leave`),
/// its options, and, for borrows lifted for an outgoing call, the call that lends them.
///
/// `adapter` says the values move between two guests (a fused adapter, in wasmtime's terms),
/// which only changes the wording of some traps to the reference tests'.
struct CanonicalContext {
    let state: InstanceState
    let options: CanonicalOptions
    var lendingCall: CallFrame?
    var adapter = false

    init(state: InstanceState, options: CanonicalOptions, lendingCall: CallFrame? = nil, adapter: Bool = false) {
        self.state = state
        self.options = options
        self.lendingCall = lendingCall
        self.adapter = adapter
    }

    static func trap(_ message: String) -> Trap { Trap(.host(message)) }

    func memory() throws -> Memory {
        guard let m = options.memory else { throw Self.trap("canonical option `memory` is required") }
        return m
    }

    func memorySize() throws -> Int { try memory().byteCount }

    /// Checks `ptr` is aligned to `alignment` and `[ptr, ptr+size)` lies in memory.
    func checkRange(_ ptr: UInt32, size: Int, alignment: Int, outOfBounds: String) throws {
        if Int(ptr) % alignment != 0 { throw Self.trap("unaligned pointer") }
        let m = try memory()
        if Int(ptr) + size > m.byteCount { throw Self.trap(outOfBounds) }
    }

    /// Calls `realloc(old, oldSize, alignment, newSize)` for a `content` ("list", "string",
    /// "argument") and checks its result.
    func realloc(_ old: UInt32, _ oldSize: Int, alignment: Int, _ newSize: Int, content: String) throws -> UInt32 {
        guard let f = options.realloc else { throw Self.trap("canonical option `realloc` is required") }
        let results = try state.store.invoke(
            f, [.i32(old), .i32(UInt32(truncatingIfNeeded: oldSize)), .i32(UInt32(alignment)), .i32(UInt32(truncatingIfNeeded: newSize))])
        guard case .i32(let ptr)? = results.first else { throw Self.trap("realloc returned no i32") }
        if Int(ptr) % alignment != 0 {
            throw Self.trap(adapter ? "unaligned pointer" : "realloc return: result not aligned")
        }
        if try Int(ptr) + newSize > memorySize() {
            throw Self.trap(adapter ? "\(content) content out-of-bounds" : "realloc return: beyond end of memory")
        }
        return ptr
    }

    // MARK: Raw memory access (callers check bounds first)

    @inline(__always)
    func load<T: FixedWidthInteger>(_: T.Type, _ ptr: Int) -> T {
        T(littleEndian: options.memory!.baseAddress.loadUnaligned(fromByteOffset: ptr, as: T.self))
    }

    @inline(__always)
    func store<T: FixedWidthInteger>(_ value: T, _ ptr: Int) {
        options.memory!.baseAddress.storeBytes(of: value.littleEndian, toByteOffset: ptr, as: T.self)
    }

    func bytes(_ ptr: Int, _ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        let base = options.memory!.baseAddress + ptr
        return [UInt8](UnsafeRawBufferPointer(start: base, count: count))
    }

    func write(_ bytes: [UInt8], _ ptr: Int) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { src in
            (options.memory!.baseAddress + ptr).copyMemory(from: src.baseAddress!, byteCount: src.count)
        }
    }
}

/// Core values as raw bits, read in order (the spec's `CoreValueIter`). The variant joins of
/// the flattening only reinterpret or truncate bits, so a lift reads the bits it wants.
struct FlatReader {
    let values: [UInt64]
    var index = 0

    init(_ values: [UInt64]) { self.values = values }

    init(_ values: [Value]) { self.values = values.map(FlatReader.bits) }

    static func bits(_ v: Value) -> UInt64 {
        switch v {
        case .i32(let x): UInt64(x)
        case .i64(let x): x
        case .f32(let x): UInt64(x)
        case .f64(let x): x
        default: 0
        }
    }

    mutating func next() -> UInt64 {
        let v = index < values.count ? values[index] : 0
        index += 1
        return v
    }

    mutating func next32() -> UInt32 { UInt32(truncatingIfNeeded: next()) }
}

extension Value {
    /// A core value of `type` from raw bits (the inverse of `FlatReader.bits`).
    static func raw(_ bits: UInt64, _ type: ValueType) -> Value {
        switch type {
        case .i32: .i32(UInt32(truncatingIfNeeded: bits))
        case .i64: .i64(bits)
        case .f32: .f32(UInt32(truncatingIfNeeded: bits))
        case .f64: .f64(bits)
        default: .i32(UInt32(truncatingIfNeeded: bits))
        }
    }
}
