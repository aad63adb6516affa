import WasmCore

/// The libFuzzer target `difftest` (`Scripts/fuzz difftest`): any input that is a valid module
/// without imports runs through `DifferentialPlan` in both of our translations, and the process
/// stops (`fatalError`) with both columns when they differ.
///
/// The input need not terminate: each call has `callBudget`, and the columns are compared only
/// up to the first timeout or stack overflow of either (timing and frame sizes may legitimately
/// differ between the translations). Memories are capped at `maxMemoryPages`, tables at
/// `maxTableElements`, the same for both.
public enum DifferentialFuzzTarget {
    /// How long instantiation and each call may run.
    public static let callBudget: Duration = .milliseconds(20)
    /// Most pages any memory may have (`EngineConfiguration.maxMemoryPages`): the exported state
    /// is hashed after every call, so memories stay small.
    public static let maxMemoryPages = 16
    /// Most elements any table may have (`EngineConfiguration.maxTableElements`).
    public static let maxTableElements = 10_000

    /// Runs `bytes`; returns whether the columns were compared (false: invalid, or imports).
    @discardableResult
    public static func check(_ bytes: [UInt8]) -> Bool {
        guard let verdict = verdict(for: bytes) else { return false }
        if verdict.mismatch != nil {
            fatalError("difftest: the optimised and the reference translation differ\n\(verdict)")
        }
        return true
    }

    /// Both columns of `bytes`, compared up to the first timeout of either; nil when both
    /// columns say the module is invalid or has imports.
    public static func verdict(for bytes: [UInt8]) -> DifferentialVerdict? {
        var configuration = EngineConfiguration()
        configuration.maxMemoryPages = maxMemoryPages
        configuration.maxTableElements = maxTableElements
        func run(_ optimize: Bool) -> [String] {
            var options = DifferentialExecution.Options(optimize: optimize, callTimeout: callBudget)
            options.configuration = configuration
            return DifferentialExecution.column(of: bytes, options: options)
        }
        let optimized = run(true)
        let reference = run(false)
        let uncompared = { (column: [String]) in
            column.first == "imports" || column.first?.hasPrefix("invalid") == true
        }
        if uncompared(optimized) && uncompared(reference) { return nil }
        let isTimeout = { (line: String) in line.hasSuffix("-> timeout") || line == "instantiate timeout" }
        let cut = [optimized, reference].compactMap { $0.firstIndex(where: isTimeout) }.min()
        return DifferentialVerdict(columns: [
            (name: "optimized", lines: cut.map { Array(optimized.prefix($0)) } ?? optimized),
            (name: "reference", lines: cut.map { Array(reference.prefix($0)) } ?? reference),
        ])
    }
}
