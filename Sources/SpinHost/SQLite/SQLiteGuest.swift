import Foundation
import WasmCore
import WasmWASI

/// SQLite compiled to Wasm (`sqlite_host.wasm`, built by guest/build.sh from our shim and
/// SQLite 3.50.4) and one running instance of it.
///
/// The module is read and validated once per process, on the first database opened; its
/// function bodies are translated on first call (`CompilationMode.lazy`), so opening the
/// first database costs only what SQLite actually runs.
final class SQLiteGuest {
    /// The file name of the guest, a SwiftPM resource of SpinHost.
    static let fileName = "sqlite_host.wasm"

    /// Where the guest is looked for, in order: `SPIN_SQLITE_GUEST` (a file), the SwiftPM
    /// resource bundle next to the running executable (`spin` or the test runner), and the
    /// source tree this host was built from (`#filePath`: development checkouts).
    static func candidatePaths(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var paths: [String] = []
        if let p = environment["SPIN_SQLITE_GUEST"], !p.isEmpty { paths.append(p) }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for bundle in ["spin-swift_SpinHost.resources", "spin-swift_SpinHost.bundle"] {
            paths.append(exe.appendingPathComponent(bundle).appendingPathComponent(fileName).path)
        }
        paths.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(fileName).path)
        return paths
    }

    /// The compiled guest, or why there is none.
    static let module: Result<Module, SQLiteError> = {
        let paths = candidatePaths()
        guard let path = paths.first(where: { FileManager.default.isReadableFile(atPath: $0) }),
            let data = FileManager.default.contents(atPath: path)
        else {
            return .failure(
                SQLiteError(
                    code: 0,
                    message: "SQLite is unavailable: the SQLite guest \(fileName) was not found (looked in \(paths.joined(separator: ", ")))"
                ))
        }
        do {
            return .success(try Module(bytes: Array(data), compilation: .lazy))
        } catch {
            return .failure(SQLiteError(code: 0, message: "SQLite is unavailable: \(path) is not a valid guest: \(error)"))
        }
    }()

    let wasi: WASI
    let store: Store
    let memory: Memory
    private let malloc: Function
    private let free: Function
    private let execute: Function
    private let executeBatch: Function
    private let close: Function

    /// Instantiates the guest and opens `path` (nil: an in-memory database). The file's
    /// directory is the guest's only preopen (created when missing, as Spin does).
    init(path: String?) throws(SQLiteError) {
        let module = try SQLiteGuest.module.get()
        var preopens: [WASIConfiguration.Preopen] = []
        var guestPath = ":memory:"
        if let path {
            let url = URL(fileURLWithPath: path)
            let directory = url.deletingLastPathComponent().path
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw SQLiteError(code: 14, message: "cannot create the directory of SQLite database \(path): \(error.localizedDescription)")
            }
            preopens.append(.init(hostPath: directory, guestPath: "/db"))
            guestPath = "/db/" + url.lastPathComponent
        }
        let wasi: WASI
        do {
            wasi = try WASI(configuration: WASIConfiguration(args: ["sqlite"], preopens: preopens, stdout: .discard, stderr: .discard))
        } catch {
            throw SQLiteError(code: 14, message: "cannot open SQLite database \(path ?? ":memory:"): \(error)")
        }
        // A failure below must not keep the preopened directory open.
        var opened = false
        defer { if !opened { wasi.close() } }
        self.wasi = wasi
        store = Store()
        let instance: Instance
        do {
            instance = try store.instantiate(module, imports: wasi.imports())
        } catch {
            throw SQLiteError(code: 0, message: "cannot instantiate the SQLite guest: \(error)")
        }
        func export(_ name: String) throws(SQLiteError) -> Function {
            guard let f = instance.function(named: name) else {
                throw SQLiteError(code: 0, message: "the SQLite guest exports no `\(name)`")
            }
            return f
        }
        guard let memory = instance.memory(named: "memory") else {
            throw SQLiteError(code: 0, message: "the SQLite guest exports no memory")
        }
        self.memory = memory
        malloc = try export("sh_malloc")
        free = try export("sh_free")
        execute = try export("sh_execute")
        executeBatch = try export("sh_execute_batch")
        close = try export("sh_close")
        let initialize = try export("_initialize")
        let open = try export("sh_open")
        let openMessage = try export("sh_open_message")
        try call(initialize, [])
        let name = try copyIn(Array(guestPath.utf8) + [0])
        let rc = try call(open, [.i32(name)])
        try call(free, [.i32(name)])
        if rc != 0 {
            let message = try cString(at: try call(openMessage, []))
            throw SQLiteError(code: Int32(bitPattern: rc), message: "cannot open SQLite database \(path ?? ":memory:"): \(message)")
        }
        opened = true
    }

    /// Runs one statement with its parameters.
    func execute(_ sql: String, _ parameters: [SQLiteValue]) throws(SQLiteError) -> SQLiteQueryResult {
        let sqlBytes = Array(sql.utf8)
        let params = SQLiteWire.encode(parameters)
        let s = try copyIn(sqlBytes)
        let p = try copyIn(params)
        let result = try call(execute, [.i32(s), .i32(UInt32(sqlBytes.count)), .i32(p), .i32(UInt32(params.count))])
        try call(free, [.i32(s)])
        try call(free, [.i32(p)])
        return try takeResult(result)
    }

    /// Runs statements separated by `;` (`sqlite3_exec`), returning nothing.
    func executeBatch(_ sql: String) throws(SQLiteError) {
        let s = try copyIn(Array(sql.utf8) + [0])
        let result = try call(executeBatch, [.i32(s)])
        try call(free, [.i32(s)])
        _ = try takeResult(result)
    }

    /// Closes the database (the instance is unusable afterwards).
    func shutdown() {
        _ = try? call(close, [])
        wasi.close()
    }

    // MARK: memory

    @discardableResult
    private func call(_ function: Function, _ arguments: [Value]) throws(SQLiteError) -> UInt32 {
        let results: [Value]
        do {
            results = try store.invoke(function, arguments)
        } catch {
            throw SQLiteError(code: 0, message: "the SQLite guest failed: \(error)")
        }
        if case .i32(let v)? = results.first { return v }
        return 0
    }

    private func copyIn(_ bytes: [UInt8]) throws(SQLiteError) -> UInt32 {
        let p = try call(malloc, [.i32(UInt32(bytes.count))])
        guard p != 0 else { throw SQLiteError(code: 7, message: "out of memory (the SQLite guest could not allocate \(bytes.count) bytes)") }
        do { try memory.write(bytes, at: Int(p)) } catch { throw SQLiteError(code: 0, message: "the SQLite guest failed: \(error)") }
        return p
    }

    private func takeResult(_ pointer: UInt32) throws(SQLiteError) -> SQLiteQueryResult {
        guard pointer != 0 else { throw SQLiteError(code: 7, message: "out of memory (the SQLite guest could not build its result)") }
        let bytes: [UInt8]
        do {
            let length = try memory.load(UInt32.self, at: Int(pointer))
            bytes = try memory.read(at: Int(pointer) + 4, count: Int(length))
        } catch {
            throw SQLiteError(code: 0, message: "the SQLite guest returned a result out of bounds: \(error)")
        }
        try call(free, [.i32(pointer)])
        return try SQLiteWire.decode(bytes)
    }

    private func cString(at pointer: UInt32) throws(SQLiteError) -> String {
        var bytes: [UInt8] = []
        var p = Int(pointer)
        do {
            while bytes.count < 4096 {
                let b = try memory.load(UInt8.self, at: p)
                if b == 0 { break }
                bytes.append(b)
                p += 1
            }
        } catch {
            throw SQLiteError(code: 0, message: "the SQLite guest returned a message out of bounds")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
