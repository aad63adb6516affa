import Foundation
import Sockets

#if canImport(Glibc)
    import Glibc
#endif

/// The package's root folder (Tests/TestSupport/ is two levels below it).
package let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The `spin` executable built next to the test bundle (swift build puts both in
/// .build/<config>/), else the package's debug build; nil when neither exists.
package func spinExecutable() -> String? {
    var candidates: [String] = []
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.deletingLastPathComponent()
    for _ in 0..<4 {
        candidates.append(dir.appendingPathComponent("spin").path)
        dir = dir.deletingLastPathComponent()
    }
    candidates.append(packageRoot + "/.build/debug/spin")
    return candidates.first { path in
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }
}

/// Bytes a child process wrote, collected from pipe callbacks.
package final class CapturedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var streams: (stdout: [UInt8], stderr: [UInt8]) = ([], [])

    package func withLock<R>(_ body: (inout (stdout: [UInt8], stderr: [UInt8])) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&streams)
    }
}

/// A `spin up` child process on a free port.
package final class SpinUpProcess: @unchecked Sendable {
    package let process = Process()
    package let port: Int
    private let output = CapturedOutput()

    /// `environment` is added to this process's environment; `executable` defaults to `spinExecutable()`.
    /// `launcher` runs spin through another program (e.g. `["/usr/bin/prlimit", "--nofile=256:4096", "--"]`).
    /// `listen` nil leaves `--listen` out (to test `SPIN_HTTP_LISTEN_ADDR`); `directory` is the
    /// working directory (default: this process's).
    package init(
        _ arguments: [String], environment: [String: String] = [:], executable: String? = nil,
        launcher: [String] = [], listen: String? = "127.0.0.1:0", directory: String? = nil
    ) throws {
        guard let spin = executable ?? spinExecutable() else {
            throw SocketError("the spin executable has not been built")
        }
        let spinArguments = ["up"] + (listen.map { ["--listen", $0] } ?? []) + arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(launcher.dropFirst()) + [spin] + spinArguments
        } else {
            process.executableURL = URL(fileURLWithPath: spin)
            process.arguments = spinArguments
        }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        out.fileHandleForReading.readabilityHandler = { [output] h in
            let d = h.availableData
            output.withLock { $0.stdout += d }
        }
        err.fileHandleForReading.readabilityHandler = { [output] h in
            let d = h.availableData
            output.withLock { $0.stderr += d }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        var found: Int?
        while Date() < deadline && process.isRunning {
            let text = String(decoding: output.withLock { $0.stdout }, as: UTF8.self)
            if let range = text.range(of: "Serving http://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let p = Int(digits), text[range.upperBound...].dropFirst(digits.count).first == "\n" {
                    found = p
                    break
                }
            }
            usleep(20_000)
        }
        guard let found else {
            process.terminate()
            throw SocketError(
                "spin up did not start: \(String(decoding: output.withLock { $0.stderr }, as: UTF8.self))")
        }
        port = found
    }

    package var stdout: String { String(decoding: output.withLock { $0.stdout }, as: UTF8.self) }
    package var stderr: String { String(decoding: output.withLock { $0.stderr }, as: UTF8.self) }

    /// Sends SIGTERM and waits; returns the exit status.
    @discardableResult
    package func stop() -> Int32 {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }

    /// One request on a new connection.
    package func request(_ method: String, _ target: String, headers: [String] = [], body: String? = nil) throws
        -> TestClient.Response
    {
        let client = try TestClient(port: port)
        var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for h in headers { text += h + "\r\n" }
        if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + (body ?? "")
        client.send(text)
        guard let r = client.readResponse(head: method == "HEAD") else {
            throw SocketError("no response to \(method) \(target)")
        }
        return r
    }
}
