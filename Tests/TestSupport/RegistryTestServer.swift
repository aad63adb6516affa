import Foundation
import Sockets
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Debian's `docker-registry` (the CNCF distribution server) on a free loopback port, its
/// storage in a fresh temporary folder, optionally behind basic auth with a bcrypt htpasswd
/// file (written with apache2-utils' `htpasswd -B`). Scripts/test installs both.
package final class RegistryTestServer: @unchecked Sendable {
    package static let executable: String? = executableOnPath("docker-registry")
    package static var available: Bool { executable != nil }
    package static let skipMessage: Comment =
        "docker-registry is not installed (Scripts/test installs it with apt-get); live registry tests skipped"
    package static let htpasswd: String? = executableOnPath("htpasswd")
    package static let htpasswdSkipMessage: Comment =
        "htpasswd (apache2-utils) is not installed; the registry authentication test skipped"

    package static let openssl: String? = executableOnPath("openssl")

    package let port: Int
    /// The loopback address it listens on.
    package let host: String
    /// The temporary folder holding the config, storage (`storage/`) and htpasswd file.
    package let directory: String
    package var storage: String { directory + "/storage" }
    package var address: String { "\(host):\(port)" }
    private let process = Process()

    /// Starts a registry; with `user`, only that user with `password` may use it; with `tls`,
    /// it speaks HTTPS with a fresh self-signed certificate for `host` (made with openssl).
    package init(user: String? = nil, password: String? = nil, host: String = "127.0.0.1", tls: Bool = false) throws {
        guard let executable = Self.executable else { throw SocketError("docker-registry is not installed") }
        self.host = host
        port = try freePort()
        directory = NSTemporaryDirectory() + "spin-registry-test-\(getpid())-\(port)"
        try FileManager.default.createDirectory(atPath: directory + "/storage", withIntermediateDirectories: true)
        var config = """
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: \(directory)/storage
            http:
              addr: \(host):\(port)
              secret: spin-registry-test

            """
        if tls {
            guard let openssl = Self.openssl else { throw SocketError("openssl is not installed") }
            let make = Process()
            make.executableURL = URL(fileURLWithPath: openssl)
            make.arguments = [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=\(host)",
                "-addext", "subjectAltName=IP:\(host)", "-keyout", directory + "/key.pem", "-out",
                directory + "/cert.pem",
            ]
            make.standardOutput = FileHandle.nullDevice
            make.standardError = FileHandle.nullDevice
            try make.run()
            make.waitUntilExit()
            guard make.terminationStatus == 0 else { throw SocketError("openssl could not make a certificate") }
            config += """
                  tls:
                    certificate: \(directory)/cert.pem
                    key: \(directory)/key.pem

                """
        }
        if let user, let password {
            guard let htpasswd = Self.htpasswd else { throw SocketError("htpasswd is not installed") }
            let make = Process()
            make.executableURL = URL(fileURLWithPath: htpasswd)
            make.arguments = ["-Bbn", user, password]
            let out = Pipe()
            make.standardOutput = out
            try make.run()
            let line = out.fileHandleForReading.readDataToEndOfFile()
            make.waitUntilExit()
            guard make.terminationStatus == 0 else { throw SocketError("htpasswd -B failed") }
            try line.write(to: URL(fileURLWithPath: directory + "/htpasswd"))
            config += """
                auth:
                  htpasswd:
                    realm: spin-test
                    path: \(directory)/htpasswd

                """
        }
        try config.write(toFile: directory + "/config.yml", atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", directory + "/config.yml"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let end = Date().addingTimeInterval(15)
        while Date() < end {
            if let fd = try? Socket.connect(host: host, port: port, timeout: 1) {
                close(fd)
                return
            }
            usleep(20_000)
        }
        stop()
        throw SocketError("docker-registry on port \(port) did not start")
    }

    /// The files holding the blob `digest` (`sha256:HEX`) in the registry's storage.
    package func blobFile(_ digest: String) -> String {
        let hex = digest.dropFirst("sha256:".count)
        return storage + "/docker/registry/v2/blobs/sha256/\(hex.prefix(2))/\(hex)/data"
    }

    package func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
