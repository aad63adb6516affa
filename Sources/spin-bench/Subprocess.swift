import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A finished child process: wall time from spawn to exit, exit status, stdout.
struct ProcessRun {
    var seconds: Double
    var status: Int32
    var stdout: String
}

/// Starts and times child processes with `posix_spawn` + `waitpid`, so the time
/// measured is the child's, not Foundation's (no run loop, no pipe threads).
/// stdout goes to a scratch file that is read after the child exits.
enum Subprocess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `name` found on PATH (or `name` itself when it holds a slash), if executable.
    static func find(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Starts `argv`; stdin is /dev/null, stdout and stderr go to the given files (nil: /dev/null).
    static func spawn(_ argv: [String], stdout: String? = nil, stderr: String? = nil) throws -> pid_t {
        guard let path = find(argv[0]) else { throw Failure(description: "\(argv[0]) not found") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, &cArgs, environ)
        guard rc == 0 else { throw Failure(description: "cannot start \(path): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// Waits for `pid`; returns its exit code (128 + signal when killed).
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// Runs `argv` to completion, timing spawn to exit, and returns its stdout.
    static func run(_ argv: [String]) throws -> ProcessRun {
        let out = NSTemporaryDirectory() + "spin-bench-\(getpid()).out"
        defer { unlink(out) }
        let start = ContinuousClock.now
        let pid = try spawn(argv, stdout: out)
        let status = wait(pid)
        let seconds = (ContinuousClock.now - start).seconds
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        return ProcessRun(seconds: seconds, status: status, stdout: text)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
