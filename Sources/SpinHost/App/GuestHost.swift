import Foundation
import WasmCore
import WasmWASI

/// Makes fresh, isolated instances of an app's components: a new store with its
/// own WASI context (environment, read-only file mounts, stdio) and per-instance
/// host state, for every request or message.
///
/// Host functions are made once per process and linked once per component; they
/// find the request's state through `Store.data` (a `GuestState`). So a request
/// costs one store, one instance and one WASI context, and no import building.
public final class GuestHost: @unchecked Sendable {
    /// Where a component's guest stdout/stderr go (`spin up --follow`, `--quiet`, log files).
    public let output: GuestOutput
    /// Adds host interfaces (outbound HTTP, config, key-value, Redis, ...) to the
    /// imports of a component. Called once per component; the functions must take
    /// per-request state from `caller.store.data as? GuestState`.
    public let interfaces: @Sendable (LoadedComponent, inout Imports) -> Void
    /// Time, memory, table, call-depth and output limits of every instance.
    public let limits: GuestLimits
    /// Interrupts instances that pass `limits.timeout`.
    public let watchdog: Watchdog
    /// The app's host features (variables, key-value stores, ...) for components, whose Spin
    /// interfaces find them here; nil when the host runs without them.
    public let services: AppServices?
    /// Receives one line per limit a guest went past (e.g. dropped output).
    let log: @Sendable (String) -> Void
    private let lock = NSLock()
    private var linked: [String: LinkedImports] = [:]

    public init(
        output: GuestOutput = GuestOutput(), limits: GuestLimits = .default, watchdog: Watchdog = .shared,
        log: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) },
        services: AppServices? = nil,
        interfaces: @escaping @Sendable (LoadedComponent, inout Imports) -> Void = { _, _ in }
    ) {
        self.services = services
        self.output = output
        self.interfaces = interfaces
        self.limits = limits
        self.watchdog = watchdog
        self.log = log
    }

    /// The component's imports, resolved once. Throws `LinkError` naming an import
    /// the host does not provide; `spin up` calls this for every component before serving.
    public func link(_ component: LoadedComponent) throws -> LinkedImports {
        lock.lock()
        defer { lock.unlock() }
        if let l = linked[component.id] { return l }
        var imports = WASI.sharedImports()
        interfaces(component, &imports)
        let l: LinkedImports
        do {
            l = try component.module.link(imports)
        } catch {
            throw AppLoadError("component `\(component.id)`: \(error) (this host does not provide it)")
        }
        linked[component.id] = l
        return l
    }

    /// A new instance of `component`, under `limits`: its deadline starts now (so it
    /// covers start functions) and ends when the instance is closed.
    ///
    /// Throws `GuestLimitExceeded` when instantiation passes the deadline.
    public func instantiate(
        _ component: LoadedComponent, args: [String] = [], environment extra: [String: String] = [:],
        stdin: InputSource = .bytes([]), stdout: OutputSink? = nil
    ) throws -> GuestInstance {
        let linkedImports = try link(component)
        var environment = component.environment
        for (k, v) in extra { environment[k] = v }
        let id = component.id
        let maxOutput = limits.maxOutputBytes
        let budget = OutputBudget(limit: maxOutput) { [log] in
            log(
                "component `\(id)` wrote more than \(maxOutput) bytes to stdout/stderr; the rest is dropped "
                    + "(max_output)")
        }
        let wasi = try WASI(
            configuration: WASIConfiguration(
                args: args, environment: environment, preopens: component.preopens, stdin: stdin,
                stdout: budget.capping(stdout ?? output.sink(component: component.id, stream: .stdout)),
                stderr: budget.capping(output.sink(component: component.id, stream: .stderr))))
        let store = Store(configuration: limits.engineConfiguration)
        let state = GuestState(
            component: component, wasi: wasi, store: store, output: budget, maxMemoryBytes: limits.maxMemoryBytes)
        store.data = state
        if let timeout = limits.timeout {
            let deadline = Watchdog.now() &+ min(Watchdog.nanoseconds(timeout), UInt64.max / 2)
            wasi.blockingDeadline = deadline
            state.deadline = deadline
            state.watch = (watchdog, watchdog.arm(store.interruptHandle, deadline: deadline), timeout)
        }
        do {
            let instance = try store.instantiate(component.module, linked: linkedImports)
            return GuestInstance(store: store, instance: instance, state: state)
        } catch {
            let limitError = state.limitError(for: error)
            state.close()
            throw limitError
        }
    }
}

/// Per-instance host state, reached from host functions through `caller.store.data`.
public final class GuestState: WASIProviding, @unchecked Sendable {
    public let component: LoadedComponent
    public let wasi: WASI
    /// State of host interfaces, by interface (e.g. key-value handles, Redis connections).
    public var interfaceState: [ObjectIdentifier: AnyObject] = [:]
    /// Called when the instance is done (close connections, flush).
    public var onClose: [() -> Void] = []
    /// The store's interrupt handle: set once the deadline passed.
    let interruptHandle: InterruptHandle
    /// stdout/stderr bytes left to this request.
    let output: OutputBudget
    /// `GuestLimits.maxMemoryBytes` of this instance.
    let maxMemoryBytes: Int
    /// When this instance's time is up (`Watchdog.now()` clock); nil = no timeout.
    /// Host calls that block (outbound HTTP) wait at most until then.
    public internal(set) var deadline: UInt64?
    /// The watchdog ticket of this instance's deadline, and the timeout.
    var watch: (watchdog: Watchdog, ticket: Int, timeout: Duration)?

    init(component: LoadedComponent, wasi: WASI, store: Store, output: OutputBudget, maxMemoryBytes: Int) {
        self.component = component
        self.wasi = wasi
        self.interruptHandle = store.interruptHandle
        self.output = output
        self.maxMemoryBytes = maxMemoryBytes
    }

    /// `error`, or `GuestLimitExceeded` when the guest was stopped by its deadline
    /// (whatever error that stop surfaced as: a trap, a host call giving up).
    func limitError(for error: Error) -> Error {
        // A WASI sleep that would pass the deadline traps before the watchdog fires.
        if let watch, interruptHandle.isInterrupted || (error as? Trap)?.reason == .interrupted {
            return GuestLimitExceeded(component: component.id, limit: .timeout(watch.timeout))
        }
        return error
    }

    /// The state object of interface type `T`, made by `make` on first use.
    public func state<T: AnyObject>(_ type: T.Type, make: () -> T) -> T {
        if let s = interfaceState[ObjectIdentifier(type)] as? T { return s }
        let s = make()
        interfaceState[ObjectIdentifier(type)] = s
        return s
    }

    func close() {
        if let watch {
            watch.watchdog.disarm(watch.ticket)
            self.watch = nil
        }
        for f in onClose { f() }
        onClose = []
        wasi.close()
    }
}

/// One instance and what it runs with. Call `close()` when done.
public struct GuestInstance {
    public let store: Store
    public let instance: Instance
    public let state: GuestState

    public var wasi: WASI { state.wasi }

    public func close() { state.close() }

    /// Runs `body` (calls into the guest); an error caused by the deadline, or a trap
    /// with the memory at its limit, becomes `GuestLimitExceeded`.
    public func enforcingLimits<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            let mapped = state.limitError(for: error)
            if let trap = mapped as? Trap, let memory = instance.memory(named: "memory"), memory.refusedGrowth {
                var message = trap.message
                if let f = trap.backtrace.first { message += " (in \(f))" }
                throw GuestLimitExceeded(
                    component: state.component.id, limit: .memory(state.maxMemoryBytes, trap: message))
            }
            throw mapped
        }
    }

    /// Whether the guest wrote more to stdout/stderr than `GuestLimits.maxOutputBytes`.
    public var exceededOutputLimit: Bool { state.output.exceeded }

    /// Calls `_initialize` when the module exports it (reactor modules).
    public func initializeIfNeeded() throws {
        if instance.function(named: "_initialize") != nil {
            _ = try instance.invoke("_initialize")
        }
    }
}

/// Routes guest stdout/stderr to the terminal (followed components) and to log files.
public final class GuestOutput: @unchecked Sendable {
    public enum Stream: String, Sendable { case stdout, stderr }

    /// Components whose output is shown on the terminal; nil = all.
    let follow: Set<String>?
    let quiet: Bool
    /// Folder for `<id>_stdout.txt` / `<id>_stderr.txt`; nil = no log files.
    let logDirectory: String?
    private let lock = NSLock()
    private var logHandles: [String: FileHandle] = [:]

    public init(follow: Set<String>? = nil, quiet: Bool = false, logDirectory: String? = nil) {
        self.follow = follow
        self.quiet = quiet
        self.logDirectory = logDirectory
        if let logDirectory {
            try? FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        }
    }

    public func sink(component: String, stream: Stream) -> OutputSink {
        let toTerminal = !quiet && (follow?.contains(component) ?? true)
        let logFile = logDirectory.map { "\($0)/\(GuestOutput.sanitize(component))_\(stream.rawValue).txt" }
        if !toTerminal && logFile == nil { return .discard }
        return .sink { [self] bytes in
            if toTerminal {
                (stream == .stdout ? FileHandle.standardOutput : FileHandle.standardError).write(Data(bytes))
            }
            if let logFile { self.append(bytes, to: logFile) }
        }
    }

    private func append(_ bytes: [UInt8], to path: String) {
        lock.lock()
        defer { lock.unlock() }
        if logHandles[path] == nil {
            if !FileManager.default.fileExists(atPath: path) {
                FileManager.default.createFile(atPath: path, contents: nil)
            }
            if let h = FileHandle(forWritingAtPath: path) {
                h.seekToEndOfFile()
                logHandles[path] = h
            }
        }
        logHandles[path]?.write(Data(bytes))
    }

    static func sanitize(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}
