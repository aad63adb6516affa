#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A WASI preview1 environment for one guest instance.
///
/// Build it from a `WASIConfiguration`, then offer `imports()` (or
/// `define(into:)`) to the module. The implementation methods (`fdWrite`,
/// `pathOpen`, ...) are Swift functions that throw `Errno`; the adapter in
/// `Preview1.swift` is the only place that knows the wasm signatures.
///
/// Like a `Store`, an instance is used by one thread at a time. Make one per
/// guest instance (descriptors and positions are per instance).
///
/// ```swift
/// let out = OutputBuffer()
/// let wasi = try WASI(configuration: WASIConfiguration(
///     args: ["app.wasm"], environment: ["K": "V"],
///     preopens: [.init(hostPath: "/srv/files", guestPath: "/", readOnly: true)],
///     stdin: .bytes(requestBody), stdout: .buffer(out), stderr: .inherit))
/// let instance = try store.instantiate(module, imports: wasi.imports())
/// let code = try wasi.runCommand(instance)   // 0, or the proc_exit code
/// let response = out.bytes
/// ```
///
/// Writing to an inherited stdout/stderr whose reader has gone raises
/// SIGPIPE like any write; hosts should ignore SIGPIPE (the write then fails
/// with `EPIPE`).
public final class WASI: @unchecked Sendable {
    /// The import module name of preview1.
    public static let moduleName = "wasi_snapshot_preview1"

    public let configuration: WASIConfiguration
    var table = FdTable()
    /// The code passed to `proc_exit`, once the guest called it.
    public internal(set) var exitCode: UInt32?

    /// When set (CLOCK_MONOTONIC nanoseconds, see `setTimeout`), `poll_oneoff`
    /// never waits past it: a guest sleeping beyond it gets `Trap(.interrupted)`,
    /// so a sleeping request cannot hold a worker longer than the engine's own
    /// deadline would let it run.
    public var blockingDeadline: UInt64?

    /// Sets `blockingDeadline` to `timeout` from now.
    public func setTimeout(_ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        let ns = UInt64(clamping: seconds) &* 1_000_000_000 &+ UInt64(clamping: attoseconds / 1_000_000_000)
        let now = (try? WASI.now(CLOCK_MONOTONIC)) ?? 0
        blockingDeadline = now &+ min(ns, UInt64.max - now)
    }

    /// Opens the preopened directories. Throws `WASIError` when one cannot be opened.
    public init(configuration: WASIConfiguration) throws(WASIError) {
        self.configuration = configuration
        table[0] = WASI.inputDescriptor(configuration.stdin)
        table[1] = WASI.outputDescriptor(configuration.stdout, hostFD: 1)
        table[2] = WASI.outputDescriptor(configuration.stderr, hostFD: 2)
        var next: UInt32 = 3
        for preopen in configuration.preopens {
            let fd = open(preopen.hostPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else {
                let reason = String(cString: strerror(errno))
                throw WASIError("cannot open preopened directory '\(preopen.hostPath)': \(reason)")
            }
            var base = Rights.directory
            var inheriting = Rights.all
            var reportedBase = Rights.reportedPreopenBase
            var reportedInheriting = Rights.reportedPreopenInheriting
            if preopen.readOnly {
                base.subtract(.mutating)
                inheriting.subtract(.mutating)
                reportedBase.subtract(.mutating)
                reportedInheriting.subtract(.mutating)
            }
            let d = Descriptor(
                kind: .directory(fd), filetype: .directory, rightsBase: base, rightsInheriting: inheriting,
                reportedRights: (reportedBase, reportedInheriting), readOnly: preopen.readOnly)
            d.preopenName = preopen.guestPath
            table[next] = d
            next += 1
        }
    }

    /// Closes every descriptor the guest still holds.
    public func close() {
        for (fd, d) in table.entries {
            d.closeHost()
            table.remove(fd)
        }
    }

    /// Standard input: reported like wasmtime's, with only `fd_read`.
    private static func inputDescriptor(_ source: InputSource) -> Descriptor {
        let d: Descriptor
        switch source {
        case .inherit:
            d = Descriptor(
                kind: .file(0), filetype: stdioFiletype(0), rightsBase: .stream, rightsInheriting: [],
                reportedRights: (.fdRead, .fdRead), owned: false)
        case .bytes(let bytes):
            d = Descriptor(
                kind: .memoryInput, filetype: .unknown, rightsBase: .stream, rightsInheriting: [],
                reportedRights: (.fdRead, .fdRead))
            d.input = bytes
        }
        d.isStdio = true
        return d
    }

    /// Standard output or error: reported like wasmtime's, with only `fd_write`.
    private static func outputDescriptor(_ sink: OutputSink, hostFD: Int32) -> Descriptor {
        let d =
            if case .inherit = sink {
                Descriptor(
                    kind: .file(hostFD), filetype: stdioFiletype(hostFD), rightsBase: .stream, rightsInheriting: [],
                    reportedRights: (.fdWrite, .fdWrite), owned: false)
            } else {
                Descriptor(
                    kind: .memoryOutput(sink), filetype: .unknown, rightsBase: .stream, rightsInheriting: [],
                    reportedRights: (.fdWrite, .fdWrite))
            }
        d.isStdio = true
        return d
    }

    /// What an inherited standard stream is to the guest: a character device when it is a
    /// terminal, otherwise a stream of unknown type (as in wasmtime), whatever file,
    /// pipe or device it is on the host.
    private static func stdioFiletype(_ fd: Int32) -> FileType {
        isatty(fd) == 1 ? .characterDevice : .unknown
    }

    static func hostFiletype(_ fd: Int32) -> FileType {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .unknown }
        return FileType(mode: st.st_mode)
    }

    /// The descriptor `fd`, which must hold `rights`.
    func descriptor(_ fd: UInt32, _ rights: Rights = []) throws(Errno) -> Descriptor {
        guard let d = table[fd] else { throw .badf }
        guard d.rightsBase.isSuperset(of: rights) else { throw .notcapable }
        return d
    }

    /// The directory descriptor `fd` for a path operation needing `rights`.
    func directory(_ fd: UInt32, _ rights: Rights = []) throws(Errno) -> (Descriptor, Int32) {
        let d = try descriptor(fd)
        guard case .directory(let host) = d.kind else { throw .notdir }
        guard d.rightsBase.isSuperset(of: rights) else {
            throw d.readOnly && !rights.isDisjoint(with: .mutating) ? .rofs : .notcapable
        }
        return (d, host)
    }

    /// Retries a host call interrupted by a signal; maps -1 to the current errno.
    @discardableResult
    static func sys<T: BinaryInteger>(_ call: () -> T) throws(Errno) -> T {
        while true {
            let r = call()
            if r >= 0 { return r }
            if errno == EINTR { continue }
            throw Errno.current
        }
    }
}
