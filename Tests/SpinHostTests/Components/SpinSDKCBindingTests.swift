import Foundation
import HTTP1
import TestSupport
import Testing
import WasmComponents
import WasmCore

@testable import SpinHost

/// The C component SDK's hand-written canonical-ABI bindings (SDK/c-component), checked through
/// its test app (`Fixtures/components/spin-sdk-c/app.wasm`) against a stub of Spin's
/// `fermyon:spin` interfaces whose answers hit every layout the SDK reads: strings, options of
/// byte lists, 64-bit payloads (8-aligned results), each error variant with and without a
/// string, and a PostgreSQL row set holding every `db-value` case. The `wasi:http` side is this
/// host's own (`WASIHTTP.proxyDefinitions`, through `ComponentHTTPExecutor`), outbound HTTP
/// included. The live tests (SpinSDKComponentLiveTests) run the same app against the real host
/// interfaces and servers.
@Suite struct SpinSDKCBindingTests {
    static let wasm = packageRoot + "/Fixtures/components/spin-sdk-c/app.wasm"

    /// The stub host: what the guest passed, and canned answers keyed by its arguments.
    final class StubSpin: @unchecked Sendable {
        let lock = NSLock()
        var calls: [String] = []
        var kv: [String: [UInt8]] = ["k": Array("kv value".utf8)]
        var pgParams: [ComponentValue] = []

        func record(_ s: String) { lock.withLock { calls.append(s) } }

        static func other(_ s: String, case index: Int = 3) -> ComponentValue {
            .err(.variant(case: index, payload: .string(s)))
        }

        func define(in linker: inout ComponentLinker) {
            let vars = "fermyon:spin/variables@2.0.0"
            linker.defineFunction(interface: vars, name: "get") { [unowned self] _, a in
                guard case .string(let name) = a[0] else { throw Trap(.host("bad variables.get \(a)")) }
                record("variables.get \(name)")
                switch name {
                case "greeting": return .ok(.string("hello, wörld"))
                case "bad-name": return .err(.variant(case: 0, payload: .string("`bad-name` is not a valid name")))
                default: return .err(.variant(case: 1, payload: .string("no variable `\(name)`")))
                }
            }

            let kvi = "fermyon:spin/key-value@2.0.0"
            linker.defineResource(interface: kvi, name: "store") { [unowned self] _, rep in record("drop store \(rep)")
            }
            linker.defineFunction(interface: kvi, name: "[static]store.open") { [unowned self] _, a in
                guard case .string(let label) = a[0] else { throw Trap(.host("bad open \(a)")) }
                record("kv.open \(label)")
                switch label {
                case "default": return .ok(.own(7))
                case "full": return .err(.variant(case: 0, payload: nil))
                case "io": return Self.other("disk on fire")
                default: return .err(.variant(case: 2, payload: nil))
                }
            }
            linker.defineFunction(interface: kvi, name: "[method]store.get") { [unowned self] _, a in
                guard case .borrow(7) = a[0], case .string(let key) = a[1] else { throw Trap(.host("bad get \(a)")) }
                if key == "boom" { return Self.other("boom") }
                return .ok(.option(lock.withLock { kv[key] }.map { .bytes($0) }))
            }
            linker.defineFunction(interface: kvi, name: "[method]store.set") { [unowned self] _, a in
                guard case .borrow(7) = a[0], case .string(let key) = a[1], case .bytes(let v) = a[2] else {
                    throw Trap(.host("bad set \(a)"))
                }
                lock.withLock { kv[key] = v }
                return .ok(nil)
            }
            linker.defineFunction(interface: kvi, name: "[method]store.delete") { [unowned self] _, a in
                guard case .borrow(7) = a[0], case .string(let key) = a[1] else { throw Trap(.host("bad delete \(a)")) }
                _ = lock.withLock { kv.removeValue(forKey: key) }
                return .ok(nil)
            }
            linker.defineFunction(interface: kvi, name: "[method]store.exists") { _, _ in .ok(.bool(true)) }
            for name in ["get-keys"] {
                linker.defineFunction(interface: kvi, name: "[method]store.\(name)") { _, _ in .ok(.list([])) }
            }

            let redis = "fermyon:spin/redis@2.0.0"
            linker.defineResource(interface: redis, name: "connection") { [unowned self] _, rep in
                record("drop redis \(rep)")
            }
            linker.defineFunction(interface: redis, name: "[static]connection.open") { [unowned self] _, a in
                guard case .string(let address) = a[0] else { throw Trap(.host("bad open \(a)")) }
                record("redis.open \(address)")
                return address == "redis://stub" ? .ok(.own(3)) : .err(.variant(case: 0, payload: nil))
            }
            linker.defineFunction(interface: redis, name: "[method]connection.get") { _, a in
                guard case .string(let key) = a[1] else { throw Trap(.host("bad get \(a)")) }
                return key == "none" ? .ok(.option(nil)) : .ok(.option(.bytes(Array("redis:\(key)".utf8))))
            }
            linker.defineFunction(interface: redis, name: "[method]connection.set") { [unowned self] _, a in
                guard case .string(let key) = a[1], case .bytes(let v) = a[2] else { throw Trap(.host("bad set \(a)")) }
                record("redis.set \(key)=\(String(decoding: v, as: UTF8.self))")
                return .ok(nil)
            }
            linker.defineFunction(interface: redis, name: "[method]connection.incr") { _, a in
                guard case .string(let key) = a[1] else { throw Trap(.host("bad incr \(a)")) }
                // result<s64, error> puts both payloads at offset 8.
                return key == "text" ? .err(.variant(case: 2, payload: nil)) : .ok(.s64(-(1 << 40) - 3))
            }
            for name in ["publish", "del", "sadd", "smembers", "srem", "execute"] {
                linker.defineFunction(interface: redis, name: "[method]connection.\(name)") { _, _ in
                    throw Trap(.host("redis \(name) is not stubbed"))
                }
            }

            // rdbms-types has types only; the linker knows an interface by its definitions.
            linker.defineFunction(interface: "fermyon:spin/rdbms-types@2.0.0", name: "(types only)") { _, _ in
                throw Trap(.host("not a function"))
            }
            let pg = "fermyon:spin/postgres@2.0.0"
            linker.defineResource(interface: pg, name: "connection") { [unowned self] _, rep in record("drop pg \(rep)")
            }
            linker.defineFunction(interface: pg, name: "[static]connection.open") { _, a in
                guard case .string(let address) = a[0] else { throw Trap(.host("bad open \(a)")) }
                return address == "postgres://stub"
                    ? .ok(.own(5)) : .err(.variant(case: 0, payload: .string("cannot reach \(address)")))
            }
            linker.defineFunction(interface: pg, name: "[method]connection.query") { [unowned self] _, a in
                guard case .borrow(5) = a[0], case .string(let sql) = a[1], case .list(let params) = a[2] else {
                    throw Trap(.host("bad query \(a)"))
                }
                lock.withLock { pgParams = params }
                if sql == "fail" { return .err(.variant(case: 2, payload: .string("syntax error at `fail`"))) }
                let values: [ComponentValue] = [
                    .variant(case: 0, payload: .bool(true)), .variant(case: 1, payload: .s8(-8)),
                    .variant(case: 2, payload: .s16(-16)), .variant(case: 3, payload: .s32(-32)),
                    .variant(case: 4, payload: .s64(-(1 << 40))), .variant(case: 5, payload: .u8(200)),
                    .variant(case: 6, payload: .u16(60000)), .variant(case: 7, payload: .u32(4_000_000_000)),
                    .variant(case: 8, payload: .u64(1 << 63)), .variant(case: 9, payload: .f32(1.5)),
                    .variant(case: 10, payload: .f64(2.25)), .variant(case: 11, payload: .string("text")),
                    .variant(case: 12, payload: .bytes([1, 2, 3])), .variant(case: 13, payload: nil),
                    .variant(case: 14, payload: nil),
                ]
                let columns = values.indices.map { i in
                    ComponentValue.record([.string("c\(i)"), .enumeration(min(i, 13))])
                }
                return .ok(.record([.list(columns), .list([.list(values), .list(values)])]))
            }
            linker.defineFunction(interface: pg, name: "[method]connection.execute") { _, a in
                guard case .string(let sql) = a[1] else { throw Trap(.host("bad execute \(a)")) }
                // result<u64, error> puts both payloads at offset 8.
                return sql == "fail"
                    ? .err(.variant(case: 4, payload: .string("other trouble"))) : .ok(.u64((1 << 33) + 5))
            }
        }
    }

    /// Runs one request through the app with the stub host; `allowed` is its allowed_outbound_hosts.
    static func run(
        _ stub: StubSpin, _ method: String, _ target: String, body: String = "", allowed: [String] = []
    ) throws -> (status: Int, text: String) {
        let dir = NSTemporaryDirectory() + "spin-sdk-c-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let hosts = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
        let app = try HostIf.app(
            """
            spin_manifest_version = 2
            [application]
            name = "binding-test"
            [[trigger.http]]
            route = "/..."
            component = "guest"
            [component.guest]
            source = "\(wasm)"
            allowed_outbound_hosts = [\(hosts)]
            """, in: dir)
        let decoded = try WasmComponents.Component(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: wasm))))
        var linker = ComponentLinker()
        WASIHTTP.proxyDefinitions.define(in: &linker)
        stub.define(in: &linker)
        let loaded = LoadedWasmComponent(
            component: app.components[0], linked: try linker.link(decoded), world: .httpProxy, environment: [:], preopens: [])
        let r = try ComponentHTTPExecutor.execute(
            loaded, host: GuestHost(output: GuestOutput(quiet: true)), method: method, pathWithQuery: target,
            headers: [(name: "host", value: "127.0.0.1:3000")], body: Array(body.utf8))
        return (r.status, String(decoding: r.body, as: UTF8.self))
    }

    /// The committed app imports exactly what `wasm-tools component wit` recorded in app.wit
    /// (the SDK's world: 5 fermyon:spin interfaces, wasi:http types + outgoing-handler, wasi:io).
    @Test func theAppImportsTheSDKWorld() throws {
        let decoded = try WasmComponents.Component(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.wasm))))
        let wit = try String(contentsOfFile: packageRoot + "/Fixtures/components/spin-sdk-c/app.wit", encoding: .utf8)
        let recorded = wit.split(separator: "\n").compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("import "), t.hasSuffix(";") else { return nil }
            return String(t.dropFirst(7).dropLast())
        }
        #expect(recorded.count == 10)
        #expect(Set(decoded.imports.keys) == Set(recorded))
        #expect(Array(decoded.exports.keys) == ["wasi:http/incoming-handler@0.2.0"])
        #expect(decoded.imports.keys.filter { $0.hasPrefix("fermyon:spin/") }.count == 5)
    }

    @Test func variables() throws {
        let stub = StubSpin()
        #expect(try Self.run(stub, "GET", "/var?name=greeting") == (200, "hello, wörld"))
        #expect(
            try Self.run(stub, "GET", "/var?name=bad-name") == (
                500, "error: invalid-name: `bad-name` is not a valid name"
            ))
        #expect(try Self.run(stub, "GET", "/var?name=x%20y") == (500, "error: undefined: no variable `x y`"))
        #expect(try Self.run(stub, "GET", "/var") == (400, "name is required"))
        #expect(stub.calls == ["variables.get greeting", "variables.get bad-name", "variables.get x y"])
    }

    @Test func keyValue() throws {
        let stub = StubSpin()
        #expect(try Self.run(stub, "GET", "/kv/get?store=default&key=k") == (200, "kv value"))
        #expect(try Self.run(stub, "GET", "/kv/get?store=default&key=absent") == (404, "not found"))
        #expect(try Self.run(stub, "POST", "/kv/set?store=default&key=new", body: "posted\u{0}bytes") == (200, "ok"))
        #expect(stub.kv["new"] == Array("posted\u{0}bytes".utf8))
        #expect(try Self.run(stub, "GET", "/kv/delete?store=default&key=k") == (200, "ok"))
        #expect(stub.kv["k"] == nil)
        #expect(try Self.run(stub, "GET", "/kv/get?store=default&key=boom") == (500, "error: other: boom"))
        #expect(try Self.run(stub, "GET", "/kv/get?store=full&key=k") == (500, "error: store-table-full"))
        #expect(try Self.run(stub, "GET", "/kv/get?store=io&key=k") == (500, "error: other: disk on fire"))
        #expect(try Self.run(stub, "GET", "/kv/get?store=secret&key=k") == (500, "error: access-denied"))
        // Every store the guest opened was dropped again.
        #expect(stub.calls.filter { $0.hasPrefix("kv.open default") }.count == 5)
        #expect(stub.calls.filter { $0 == "drop store 7" }.count == 5)
    }

    @Test func redis() throws {
        let stub = StubSpin()
        let a = "&address=" + "redis%3A%2F%2Fstub"
        #expect(try Self.run(stub, "GET", "/redis/get?key=k" + a) == (200, "redis:k"))
        #expect(try Self.run(stub, "GET", "/redis/get?key=none" + a) == (404, "not found"))
        #expect(try Self.run(stub, "POST", "/redis/set?key=s" + a, body: "v") == (200, "ok"))
        #expect(try Self.run(stub, "GET", "/redis/incr?key=n" + a) == (200, "\(-(1 << 40) - 3)"))
        #expect(try Self.run(stub, "GET", "/redis/incr?key=text" + a) == (500, "error: type-error"))
        #expect(
            try Self.run(stub, "GET", "/redis/get?key=k&address=redis%3A%2F%2Felsewhere") == (
                500, "error: invalid-address"
            ))
        // Without `address`, the variable redis_address (undefined in the stub) is the error.
        #expect(try Self.run(stub, "GET", "/redis/get?key=k") == (500, "error: undefined: no variable `redis_address`"))
        #expect(stub.calls.contains("redis.set s=v"))
        #expect(stub.calls.filter { $0 == "drop redis 3" }.count == 5)
    }

    @Test func postgres() throws {
        let stub = StubSpin()
        let a = "&address=postgres%3A%2F%2Fstub"
        let rows = try Self.run(stub, "GET", "/pg/query?sql=SELECT&param=p%C3%A4ram" + a)
        let header = (0..<15).map { "c\($0):\(min($0, 13))" }.joined(separator: ",")
        let row =
            "true,-8,-16,-32,\(-(1 << 40)),200,60000,4000000000,\(UInt64(1) << 63),1.5,2.25,text,<3 bytes>,NULL,<unsupported>"
        #expect(rows == (200, "\(header)\n\(row)\n\(row)\n"))
        #expect(stub.pgParams == [.variant(case: 11, payload: .string("päram"))])
        #expect(
            try Self.run(stub, "GET", "/pg/query?sql=fail" + a) == (500, "error: query-failed: syntax error at `fail`"))
        #expect(stub.pgParams == [])
        #expect(try Self.run(stub, "GET", "/pg/execute?sql=INSERT" + a) == (200, "\((1 << 33) + 5) rows"))
        #expect(try Self.run(stub, "GET", "/pg/execute?sql=fail" + a) == (500, "error: other: other trouble"))
        #expect(
            try Self.run(stub, "GET", "/pg/query?sql=x&address=postgres%3A%2F%2Fdown")
                == (500, "error: connection-failed: cannot reach postgres://down"))
        #expect(stub.calls.filter { $0 == "drop pg 5" }.count == 4)
    }

    @Test func outboundHTTPAndTheRequestItself() throws {
        let upstream = try TinyHTTPServer { head, body in
            let line = head.split(separator: "\r\n").first.map(String.init) ?? ""
            let header = head.lowercased().contains("\r\nx-from-guest: spin-sdk\r\n") ? " +hdr" : ""
            return TinyHTTPServer.response(
                201, "upstream saw \(line) [\(String(decoding: body, as: UTF8.self))]\(header)")
        }
        defer { upstream.stop() }
        let stub = StubSpin()
        let url = (upstream.origin + "/up?x=1").addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        #expect(
            try Self.run(stub, "GET", "/outbound?url=\(url)&method=DELETE", allowed: [upstream.origin])
                == (200, "201\nupstream saw DELETE /up?x=1 HTTP/1.1 [] +hdr"))
        // The request's body goes along, in more than one 4096-byte write.
        let payload = String(repeating: "pong ", count: 2000)
        #expect(
            try Self.run(stub, "PUT", "/outbound?url=\(url)&method=POST", body: payload, allowed: [upstream.origin])
                == (200, "201\nupstream saw POST /up?x=1 HTTP/1.1 [\(payload)] +hdr"))
        #expect(
            try Self.run(stub, "GET", "/outbound?url=\(url)", allowed: ["http://127.0.0.1:1"])
                == (500, "error: HTTP-request-denied"))
        #expect(upstream.requests.count == 2)
        #expect(
            try Self.run(stub, "GET", "/outbound?url=ftp%3A%2F%2Fx") == (
                500, "error: sdk: the URL must start with http:// or https://"
            ))
        // The request as the SDK read it, with a body larger than one read and one write.
        let big = String(repeating: "0123456789abcdef", count: 9000)
        #expect(try Self.run(stub, "PUT", "/echo?q=1", body: big) == (200, "PUT /echo?q=1\n" + big))
        #expect(try Self.run(stub, "GET", "/nowhere") == (404, "no such route"))
    }
}
