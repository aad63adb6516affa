import WasmCore

/// Per-request (or per-message) limits on a guest: how long it may run, how much
/// memory and how large tables it may have, how deep it may call, and how much it
/// may write to stdout/stderr. `spin up` takes them from `--request-timeout` and
/// friends, or the runtime config file's `[limits]` table (see README).
public struct GuestLimits: Sendable, Hashable {
    /// Wall-clock time from instantiation (start functions included) to the end of
    /// the request or message; nil = none. An HTTP request past it gets a 500.
    public var timeout: Duration? = .seconds(30)
    /// Bytes of linear memory each memory of an instance may have (rounded down to
    /// 64 KiB pages): `memory.grow` beyond it returns -1.
    public var maxMemoryBytes: Int = 256 << 20
    /// Elements each table of an instance may have.
    public var maxTableElements: Int = 100_000
    /// Guest call depth at which a call traps.
    public var maxCallDepth: Int = 20_000
    /// Bytes a guest may write to stdout and stderr together per request; the rest is
    /// dropped (one log line). For WAGI, whose stdout is the response, going past it fails the request.
    public var maxOutputBytes: Int = 64 << 20
    /// Where each limit set by `set(_:to:source:)` came from (`--max-memory`, or the key and
    /// line of the runtime config file), by key, for errors that name it.
    public var sources: [String: String] = [:]

    /// Limits are equal when they limit the same; where they were set does not matter.
    public static func == (a: GuestLimits, b: GuestLimits) -> Bool {
        a.timeout == b.timeout && a.maxMemoryBytes == b.maxMemoryBytes && a.maxTableElements == b.maxTableElements
            && a.maxCallDepth == b.maxCallDepth && a.maxOutputBytes == b.maxOutputBytes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(timeout)
        hasher.combine(maxMemoryBytes)
        hasher.combine(maxTableElements)
        hasher.combine(maxCallDepth)
        hasher.combine(maxOutputBytes)
    }

    /// The defaults: 30 s, 256 MiB, 100,000 table elements, call depth 20,000, 64 MiB of output.
    public static let `default` = GuestLimits()

    public init() {}

    /// What the engine enforces of these limits.
    package var engineConfiguration: EngineConfiguration {
        var c = EngineConfiguration()
        c.maxMemoryPages = maxMemoryBytes / Memory.pageSize
        c.maxTableElements = maxTableElements
        c.maxCallDepth = maxCallDepth
        return c
    }

    /// Refuses, at start, a module that could never be instantiated under these limits: one
    /// whose own initial memory or table is already larger (it would fail every request).
    public func check(_ module: Module, component: String) throws(AppLoadError) {
        let info = module.info
        for (i, memory) in info.memories.enumerated() {
            let bytes = memory.limits.min.multipliedReportingOverflow(by: UInt64(Memory.pageSize))
            guard bytes.overflow || bytes.partialValue > UInt64(maxMemoryBytes) else { continue }
            throw AppLoadError(
                "component `\(component)`: its module's memory \(info.importedMemoryCount + i) starts at "
                    + "\(memory.limits.min) pages (\(GuestLimits.formatSize(Int(min(memory.limits.min, 1 << 24)) * Memory.pageSize))), "
                    + "more than max_memory allows (\(GuestLimits.formatSize(maxMemoryBytes)), "
                    + "\(sources["max_memory"] ?? "the default")); raise the limit or shrink the module's memory")
        }
        for (i, table) in info.tables.enumerated() where table.limits.min > UInt64(maxTableElements) {
            throw AppLoadError(
                "component `\(component)`: its module's table \(info.importedTableCount + i) starts with "
                    + "\(table.limits.min) elements, more than max_table_elements allows (\(maxTableElements), "
                    + "\(sources["max_table_elements"] ?? "the default"))")
        }
    }
}

/// A guest went past one of its `GuestLimits`.
public struct GuestLimitExceeded: Error, Sendable, CustomStringConvertible {
    public enum Limit: Sendable, Equatable {
        /// The request timeout (`GuestLimits.timeout`).
        case timeout(Duration)
        /// The stdout/stderr cap (`GuestLimits.maxOutputBytes`).
        case output(Int)
        /// The guest trapped (`trap`: its message) after `memory.grow` was refused at
        /// `GuestLimits.maxMemoryBytes`: most likely it failed to allocate and aborted.
        case memory(Int, trap: String)
    }

    public var component: String
    public var limit: Limit

    package init(component: String, limit: Limit) {
        self.component = component
        self.limit = limit
    }

    public var description: String {
        switch limit {
        case .timeout(let d):
            "component `\(component)` exceeded its request timeout of \(GuestLimits.format(d)) (request_timeout)"
        case .output(let n): "component `\(component)` wrote more than \(n) bytes to stdout (max_output)"
        case .memory(let n, let trap):
            "component `\(component)` trapped after reaching its memory limit of \(GuestLimits.formatSize(n)) (max_memory): \(trap)"
        }
    }
}

extension GuestLimits {
    /// `16 MiB`, `1500 KiB`, `1000 bytes`.
    static func formatSize(_ n: Int) -> String {
        if n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
        if n % (1 << 10) == 0 { return "\(n >> 10) KiB" }
        return "\(n) bytes"
    }

    /// `1.5 s`, `250 ms`.
    static func format(_ d: Duration) -> String {
        let ms = Watchdog.nanoseconds(d) / 1_000_000
        if ms % 1000 == 0 { return "\(ms / 1000) s" }
        if ms >= 1000 { return "\(Double(ms) / 1000) s" }
        return "\(ms) ms"
    }
}
