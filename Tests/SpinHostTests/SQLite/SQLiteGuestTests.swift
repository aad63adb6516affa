import Foundation
import TestSupport
import Testing

@testable import SpinHost

/// The committed SQLite guest: where it is found, and that it is the build its provenance
/// note describes (guest/build.sh rewrites both).
struct SQLiteGuestTests {
    static let directory = TestSupport.packageRoot + "/Sources/SpinHost/SQLite"

    @Test func committedGuestMatchesItsProvenance() throws {
        let wasm = try #require(FileManager.default.contents(atPath: Self.directory + "/sqlite_host.wasm"))
        let note = try String(contentsOfFile: Self.directory + "/sqlite_host.PROVENANCE", encoding: .utf8)
        let recorded = try #require(note.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
        #expect("sha256:" + recorded == Digest.sha256(Array(wasm)), "rerun Sources/SpinHost/SQLite/guest/build.sh")
        let shim = try #require(FileManager.default.contents(atPath: Self.directory + "/guest/sqlite_host.c"))
        let shimDigest = String(Digest.sha256(Array(shim)).dropFirst("sha256:".count))
        #expect(note.contains("sqlite_host.c (sha256 \(shimDigest))"), "sqlite_host.c changed since the guest was built: rerun guest/build.sh")
    }

    @Test func guestIsFoundAndLoads() throws {
        let paths = SQLiteGuest.candidatePaths(environment: ["SPIN_SQLITE_GUEST": "/x/y.wasm"])
        #expect(paths.first == "/x/y.wasm")
        #expect(paths.contains { $0.hasSuffix("/Sources/SpinHost/SQLite/sqlite_host.wasm") })
        let module = try SQLiteGuest.module.get()
        for name in ["sh_open", "sh_execute", "sh_execute_batch", "sh_close", "sh_malloc", "sh_free", "_initialize"] {
            #expect(module.exports.contains { $0.name == name }, "\(name)")
        }
    }
}
