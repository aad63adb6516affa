/// The engine's fuzz targets: what `Scripts/fuzz` runs under libFuzzer and what the
/// replay test runs on every file of `Fixtures/fuzz/crashes`, so that a replayed
/// finding takes exactly the path that was fuzzed.
///
/// Each target accepts any bytes. Errors the input deserves (malformed, invalid,
/// traps) are the expected outcome and are swallowed; a finding is a crash, a hang
/// or a runaway allocation.
public enum WasmCoreFuzzTargets {
    /// Largest initial memory (in 64 KiB pages) and table `instantiateAndRun` instantiates;
    /// bigger ones are skipped so that the fuzzer measures the engine, not `memset`.
    public static let maxRunMemoryPages: UInt64 = 256
    public static let maxRunTableElements: UInt64 = 100_000

    /// Decodes `bytes` (the binary format only).
    public static func decode(_ bytes: [UInt8]) {
        _ = try? ModuleDecoder.decode(bytes)
    }

    /// Decodes, validates and translates `bytes` (`Module(bytes:)`).
    public static func compile(_ bytes: [UInt8]) {
        _ = try? Module(bytes: bytes)
    }

    /// How long one input may run (instantiation, start function and every export together)
    /// before `Store.interruptHandle` stops it.
    public static let runBudgetNanoseconds: UInt64 = 5_000_000

    /// Compiles `bytes`, instantiates the module (imported functions are stubs that
    /// return zeros) and invokes every exported function with zero arguments, all within
    /// `runBudgetNanoseconds`: `Watchdog.shared` interrupts the store when it is spent, so loops and
    /// recursion end with a trap.
    ///
    /// Skipped (returns false): modules that import anything but functions, and those that
    /// could allocate without a bound the engine enforces yet: initial memories above
    /// `maxRunMemoryPages` pages or tables above `maxRunTableElements` elements, and
    /// `memory.grow` / `table.grow` unless every declared maximum is within those bounds.
    @discardableResult
    public static func instantiateAndRun(_ bytes: [UInt8]) -> Bool {
        guard let module = try? Module(bytes: bytes), isBounded(module, bytes) else { return false }
        var imports = Imports()
        for i in module.imports {
            guard case .function(let typeIndex) = i.descriptor, Int(typeIndex) < module.info.types.count else {
                return false
            }
            let type = module.info.types[Int(typeIndex)]
            imports.define(
                module: i.module, name: i.name,
                .function(Function(type: type) { _, _ in type.results.map(Value.zero) }))
        }
        let store = Store()
        let handle = store.interruptHandle
        let ticket = Watchdog.shared.arm(handle, deadline: Watchdog.now() + runBudgetNanoseconds)
        defer { Watchdog.shared.disarm(ticket) }
        guard let instance = try? store.instantiate(module, imports: imports) else { return true }
        for (_, value) in instance.exports {
            guard case .function(let function) = value else { continue }
            _ = try? store.invoke(function, function.type.parameters.map(Value.zero))
        }
        return true
    }

    /// Whether `module` can only use a bounded amount of memory (see `instantiateAndRun`).
    static func isBounded(_ module: Module, _ bytes: [UInt8]) -> Bool {
        let info = module.info
        if info.memories.contains(where: { $0.limits.min > maxRunMemoryPages }) { return false }
        if info.tables.contains(where: { $0.limits.min > maxRunTableElements }) { return false }
        // Growing is fine up to a declared maximum within the same bounds.
        let maximaAreSmall =
            info.memories.allSatisfy { ($0.limits.max ?? .max) <= maxRunMemoryPages }
            && info.tables.allSatisfy { ($0.limits.max ?? .max) <= maxRunTableElements }
        if maximaAreSmall { return true }
        return bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return true }
            for body in info.codes {
                var reader = ByteReader(base: base, offset: body.codeStart, limit: body.codeEnd)
                var scan = ByteReader.BodyScan()
                do {
                    try reader.scanFunctionBody(&scan)
                } catch {
                    return false
                }
                if scan.growsStorage { return false }
            }
            return true
        }
    }
}
