import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real PostgreSQL server for the live tests: `initdb` + `pg_ctl` in a
/// temporary folder, on a free loopback port, shared by the whole test process
/// (started on first use, stopped at exit). As root (CI), the server runs as
/// the `postgres` system user, since `initdb` refuses to run as root.
///
/// Users: `spin_scram` (SCRAM-SHA-256, owns database `spin`), `spin_md5`
/// (md5), `spin_trust` (trust, no password), and the superuser `postgres`
/// (trust). Tests are disabled with a clear message when the server binaries
/// are missing (Scripts/test installs Debian `postgresql`).
package final class PostgresTestServer: @unchecked Sendable {
    package static let scramPassword = "scram-secret"
    package static let md5Password = "md5 secret"

    /// The folder with initdb, pg_ctl and psql.
    package static let binDirectory: String? = {
        var dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(
            String.init)
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        dirs += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        return dirs.first { d in
            ["initdb", "pg_ctl", "psql"].allSatisfy { FileManager.default.isExecutableFile(atPath: "\(d)/\($0)") }
        }
    }()

    package static var available: Bool { binDirectory != nil }
    package static let skipMessage: Comment =
        "PostgreSQL (initdb, pg_ctl, psql) is not installed (Scripts/test installs Debian `postgresql`); live PostgreSQL tests skipped"

    /// The shared server, or why it could not start.
    package static let shared: Result<PostgresTestServer, Error> = {
        do {
            let s = try PostgresTestServer()
            atexit { if case .success(let s) = PostgresTestServer.shared { s.stop() } }
            return .success(s)
        } catch {
            return .failure(error)
        }
    }()

    package static func server() throws -> PostgresTestServer { try shared.get() }

    /// A server of the caller's own, for a test that restarts or stops it: doing that to the
    /// shared server would cut off the other suites' connections mid-test (it failed a CI run:
    /// a Spin SDK app's query landed while another suite's `restart()` had the server down).
    /// The caller stops it with `stop()` (a `defer` right after this call).
    package static func privateServer() throws -> PostgresTestServer { try PostgresTestServer() }

    package let port: Int
    package let directory: String
    private let runAsPostgres: Bool

    private init() throws {
        port = try freePort()
        runAsPostgres = getuid() == 0
        directory = NSTemporaryDirectory() + "spin-pg-\(getpid())-\(port)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if runAsPostgres { try run("/bin/chown", ["postgres:postgres", directory], asPostgres: false) }
        let data = directory + "/data"
        try run(
            Self.binDirectory! + "/initdb",
            ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"])
        let hba = """
            local all all trust
            host all postgres 127.0.0.1/32 trust
            host all spin_trust 127.0.0.1/32 trust
            host all spin_md5 127.0.0.1/32 md5
            host all all 127.0.0.1/32 scram-sha-256

            """
        try writeAsServer(hba, to: data + "/pg_hba.conf")
        try start()
        try psql(
            """
            SET password_encryption = 'scram-sha-256';
            CREATE ROLE spin_scram LOGIN PASSWORD '\(Self.scramPassword)';
            SET password_encryption = 'md5';
            CREATE ROLE spin_md5 LOGIN PASSWORD '\(Self.md5Password)';
            CREATE ROLE spin_trust LOGIN;
            """)
        try psql("CREATE DATABASE spin OWNER spin_scram;")
    }

    /// `host=127.0.0.1 port=... user=spin_scram password=... dbname=spin` (key/value form).
    package var scramAddress: String {
        "host=127.0.0.1 port=\(port) user=spin_scram password='\(Self.scramPassword)' dbname=spin"
    }

    /// The same as a URL.
    package var scramURL: String { "postgres://spin_scram:\(Self.scramPassword)@127.0.0.1:\(port)/spin" }

    package var md5Address: String {
        "postgres://spin_md5:\(Self.md5Password.replacingOccurrences(of: " ", with: "%20"))@127.0.0.1:\(port)/spin"
    }

    package var trustAddress: String { "host=127.0.0.1 port=\(port) user=spin_trust dbname=spin" }

    package func start() throws {
        try run(
            Self.binDirectory! + "/pg_ctl",
            [
                "-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "30", "-o",
                "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=80"
                    + " -c password_encryption=scram-sha-256",
                "start",
            ])
    }

    /// `pg_ctl restart -m fast`: every open connection is terminated.
    package func restart() throws {
        try stopServer()
        try start()
    }

    /// `pg_ctl stop -m fast` (the data stays; `start()` brings it back).
    package func stopServer() throws {
        try run(Self.binDirectory! + "/pg_ctl", ["-D", directory + "/data", "-m", "fast", "-w", "stop"])
    }

    package func stop() {
        _ = try? run(Self.binDirectory! + "/pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs SQL as the superuser through psql (independent of the client under test).
    @discardableResult
    package func psql(_ sql: String, database: String = "postgres") throws -> String {
        try run(
            Self.binDirectory! + "/psql",
            [
                "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", directory, "-p", String(port), "-U", "postgres",
                "-d",
                database, "-c", sql,
            ])
    }

    /// Runs a command to completion with posix_spawn + waitpid (Foundation's
    /// `Process` waits for descriptors the daemonised server keeps open), stdout
    /// and stderr to files, and the signal mask reset (the test process blocks most
    /// signals and children would inherit that).
    @discardableResult
    private func run(_ executable: String, _ arguments: [String], asPostgres: Bool? = nil) throws -> String {
        var argv = [executable] + arguments
        if asPostgres ?? runAsPostgres { argv = ["/usr/sbin/runuser", "-u", "postgres", "--"] + argv }
        // From `/`: the server user may not be allowed into the test's working directory.
        argv = ["/bin/sh", "-c", "cd / && exec \"$@\"", "sh"] + argv
        let outFile = directory + "/command.out"
        let logFile = directory + "/command.log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, logFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for a in cArgs { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attributes, &cArgs, environ)
        guard rc == 0 else { throw PostgresTestError("cannot run \(argv[0]): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exitCode == 0 else {
            let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
            let serverLog = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
            throw PostgresTestError(
                "\((executable as NSString).lastPathComponent) \(arguments.joined(separator: " ")) failed (\(exitCode)): \(log)\n\(serverLog.suffix(2000))"
            )
        }
        let data = FileManager.default.contents(atPath: outFile) ?? Data()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func writeAsServer(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        if runAsPostgres { try run("/bin/chown", ["postgres:postgres", path], asPostgres: false) }
    }
}

package struct PostgresTestError: Error, CustomStringConvertible {
    package var description: String
    package init(_ d: String) { description = d }
}
