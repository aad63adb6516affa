import Foundation
import TestSupport
import Testing

@testable import SpinHost

/// A real guest — `Fixtures/components/spin-kv` (C against the canonical ABI) — served by
/// `spin up`, calling variables, `wasi:config`, key-value, `wasi:keyvalue` and llm through the
/// host and writing what each call answered. Over the file store, and a Redis store.
@Suite(.serialized, .tags(.live), .timeLimit(.minutes(5)))
struct SpinKeyValueGuestLiveTests {
    static let wasm = packageRoot + "/Fixtures/components/spin-kv/spin-kv.wasm"

    /// An app serving the guest; `runtimeConfig` is written beside it when given.
    static func app(runtimeConfig: String? = nil) throws -> String {
        let dir = NSTemporaryDirectory() + "spin-kv-guest-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let manifest = """
            spin_manifest_version = 2
            [application]
            name = "kv-guest"
            [variables]
            greeting = { default = "hello" }
            [[trigger.http]]
            route = "/..."
            component = "guest"
            [component.guest]
            source = "\(wasm)"
            key_value_stores = ["default"]
            [component.guest.variables]
            message = "{{ greeting }}, world"
            """
        try manifest.write(toFile: dir + "/spin.toml", atomically: true, encoding: .utf8)
        if let runtimeConfig { try runtimeConfig.write(toFile: dir + "/runtime.toml", atomically: true, encoding: .utf8) }
        return dir
    }

    /// What the guest writes; `counter` is what `increment` (5, then 37) returned.
    static func expected(counter: Int) -> String {
        """
        variables.get message ok hello, world
        variables.get missing err 1 no variable for "guest"."missing"
        variables.get Bad err 0
        config.get message ok some hello, world
        config.get missing ok none
        config.get-all ok message=hello, world
        key-value.open forbidden err 2
        key-value.open default ok
        key-value.set ok
        key-value.get ok some 8 bytes, byte 2 is 0
        key-value.exists ok 1
        key-value.get-keys ok \(counter == 42 ? 1 : 5) keys
        key-value.get after delete ok none
        atomics.increment ok \(counter)
        cas.current \(counter == 42 ? "ok none" : "?")
        atomics.swap ok
        batch.set-many ok
        batch.get-many ok y=2 nope=none cas=one
        llm.infer err 2

        """
    }

    static func serve(_ dir: String, extra: [String] = []) throws -> SpinUpProcess {
        try SpinUpProcess(["-f", dir, "--quiet"] + extra)
    }

    @Test func theGuestUsesEveryInterfaceOverTheFileStore() throws {
        let dir = try Self.app()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spin = try Self.serve(dir)
        defer { _ = spin.stop() }
        // The second request sees the first one's data: the counter, the keys, the swapped value.
        for counter in [42, 84] {
            let r = try spin.request("GET", "/")
            #expect(r.status == 200)
            #expect(r.text == Self.expected(counter: counter), "\(r.text)")
        }
        _ = spin.stop()
        #expect(spin.stderr.contains("[guest] fermyon:spin/llm@2.0.0#infer: The component does not have access"))
        let store = try FileKeyValueStore(path: dir + "/.spin/key_value.kvlog")
        #expect(try store.get("counter") == KeyValueCounter.bytes(84))
        #expect(try store.get("cas") == Array("one".utf8))
    }

    @Test(.enabled(if: RedisTestServer.available, RedisTestServer.skipMessage))
    func theGuestUsesEveryInterfaceOverARedisStore() throws {
        let server = try RedisTestServer()
        defer { server.stop() }
        let dir = try Self.app(runtimeConfig: "[key_value_store.default]\ntype = \"redis\"\nurl = \"\(server.url)\"\n")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spin = try Self.serve(dir, extra: ["--runtime-config-file", dir + "/runtime.toml"])
        defer { _ = spin.stop() }
        for counter in [42, 84] {
            let r = try spin.request("GET", "/")
            #expect(r.status == 200)
            #expect(r.text == Self.expected(counter: counter), "\(r.text)")
        }
        let client = try server.client()
        #expect(try client.call(["GET", "counter"]) == .bulkString(Array("84".utf8)))
        #expect(try client.call(["GET", "x"]) == .bulkString(Array("1".utf8)))
        #expect(try client.call(["EXISTS", "greeting"]) == .integer(0))
    }
}
