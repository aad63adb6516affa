import Foundation
import WasmCore
import WasmWASI

/// Makes fresh, isolated instances of an app's components: a new store, a new
/// WASI context (environment, read-only file mounts, stdio) and the Spin host
/// interfaces, for every request or message.
public final class GuestHost: Sendable {
    /// Where a component's guest stdout/stderr go (`spin up --follow`, `--quiet`, log files).
    public let output: GuestOutput
    /// Adds host interfaces (outbound HTTP, config, key-value, Redis, ...) to an instance's imports.
    public let interfaces: @Sendable (LoadedComponent, inout Imports) -> Void

    public init(
        output: GuestOutput = GuestOutput(),
        interfaces: @escaping @Sendable (LoadedComponent, inout Imports) -> Void = { _, _ in }
    ) {
        self.output = output
        self.interfaces = interfaces
    }

    /// A new instance of `component`.
    public func instantiate(
        _ component: LoadedComponent, args: [String] = [], environment extra: [String: String] = [:],
        stdin: InputSource = .bytes([]), stdout: OutputSink? = nil
    ) throws -> GuestInstance {
        var environment = component.environment
        for (k, v) in extra { environment[k] = v }
        let wasi = try WASI(
            configuration: WASIConfiguration(
                args: args, environment: environment, preopens: component.preopens, stdin: stdin,
                stdout: stdout ?? output.sink(component: component.id, stream: .stdout),
                stderr: output.sink(component: component.id, stream: .stderr)))
        var imports = wasi.imports()
        interfaces(component, &imports)
        let store = Store()
        do {
            let instance = try store.instantiate(component.module, imports: imports)
            return GuestInstance(store: store, instance: instance, wasi: wasi)
        } catch {
            wasi.close()
            throw error
        }
    }
}

/// One instance and what it runs with. Call `close()` when done.
public struct GuestInstance {
    public let store: Store
    public let instance: Instance
    public let wasi: WASI

    public func close() { wasi.close() }

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
