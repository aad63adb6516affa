import Foundation
import Testing

extension Tag {
    /// Tests that start processes or servers: `spin up`, redis-server, PostgreSQL, the
    /// template toolchains, hostile socket clients, `spin wasm run`. Select or leave
    /// them out with `swift test --filter`/`--skip` on their suites (see README "Tests").
    @Tag package static var live: Self
}

/// The first executable called `name` on `$PATH` (or in /usr/bin, /usr/local/bin), else nil.
package func executableOnPath(_ name: String) -> String? {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
    return (path + ["/usr/bin", "/usr/local/bin"]).map { $0 + "/" + name }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}
