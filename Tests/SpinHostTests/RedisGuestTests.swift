import Foundation
import Synchronization
import TestSupport
import Testing
import WasmCore

@testable import SpinHost

/// Fixtures/redis/recorder.wasm (built from recorder.c with SDK/c/spin_redis.c).
enum RedisFixture {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let path = packageRoot.appendingPathComponent("Fixtures/redis/recorder.wasm").path

    static let module: Module = {
        let bytes = FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
        return try! Module(bytes: bytes)
    }()

    /// `spin-config::get-config` answering every key with `address`.
    static func configImports(address: String) -> Imports {
        var imports = Imports()
        imports.define(
            module: "spin-config", name: "get-config",
            .function(
                Function(type: FunctionType(parameters: [.i32, .i32, .i32], results: [])) { caller, args in
                    guard case .i32(let ret) = args[2] else { return [] }
                    let abi = try CanonicalABI(caller: caller)
                    let (p, n) = try abi.write(address)
                    try abi.storeU8(0, at: ret)
                    try abi.storeU32(p, at: ret + 4)
                    try abi.storeU32(n, at: ret + 8)
                    return []
                }))
        return imports
    }

    static func imports(address: String, connections: RedisConnectionCache) -> Imports {
        var imports = configImports(address: address)
        OutboundRedis.define(into: &imports, connections: connections)
        return imports
    }
}

/// One instance of the fixture, driven through `fixture-call` and the `raw-*` exports.
final class RedisGuest {
    let store = Store()
    let instance: Instance
    let abi: CanonicalABI
    let connections: RedisConnectionCache
    let log = LogCollector()

    init(address: String) throws {
        connections = RedisConnectionCache(timeout: 2, log: log.sink)
        instance = try store.instantiate(
            RedisFixture.module, imports: RedisFixture.imports(address: address, connections: connections))
        _ = try instance.invoke("_initialize")
        abi = try CanonicalABI(store: store, instance: instance)
    }

    deinit { connections.closeAll() }

    /// See recorder.c for the ops.
    func call(_ op: Int, _ a: [UInt8], _ b: [UInt8] = []) throws -> [UInt8] {
        let (ap, an) = try abi.write(a)
        let (bp, bn) = try abi.write(b)
        let r = try instance.invoke("fixture-call", [.i32(UInt32(op)), .i32(ap), .i32(an), .i32(bp), .i32(bn)])
        guard case .i32(let out)? = r.first else { throw GuestABIError("no result") }
        let len: UInt32 = try abi.memory.load(at: Int(out))
        return try abi.read(out + 4, len)
    }

    func call(_ op: Int, _ a: String, _ b: String = "") throws -> String {
        String(decoding: try call(op, Array(a.utf8), Array(b.utf8)) as [UInt8], as: UTF8.self)
    }

    /// A zeroed, 8-aligned return area.
    func retArea(_ size: Int = 16) throws -> UInt32 {
        let p = try abi.allocate(count: size, align: 8)
        try abi.memory.write([UInt8](repeating: 0xAA, count: size), at: Int(p))
        return p
    }
}

@Suite(.tags(.live), .enabled(if: RedisTestServer.available, RedisTestServer.skipMessage))
struct RedisGuestTests {
    @Test func sdkCallsEveryImport() throws {
        let server = try RedisTestServer()
        let guest = try RedisGuest(address: server.url)
        // set / get, including empty values, binary values and missing keys
        #expect(try guest.call(3, "k", "value") == "ok")
        #expect(try guest.call(2, "k") == "ok value")
        #expect(try guest.call(3, "empty", "") == "ok")
        #expect(try guest.call(2, "empty") == "ok ")
        #expect(try guest.call(2, "missing") == "ok ")
        let binary: [UInt8] = [0, 1, 2, 13, 10, 0xFF, 0xFE, 0]
        #expect(try guest.call(3, Array("bin".utf8), binary) == Array("ok".utf8))
        #expect(try guest.call(2, Array("bin".utf8)) == Array("ok ".utf8) + binary)
        // incr / del
        #expect(try guest.call(4, "n") == "ok 1")
        #expect(try guest.call(4, "n") == "ok 2")
        #expect(try guest.call(5, "n\nk\nmissing") == "ok 2")
        #expect(try guest.call(5, "") == "err 1")  // DEL with no keys is a Redis error
        // sets
        #expect(try guest.call(6, "s", "a\nb\nc\na") == "ok 3")
        let members = try guest.call(7, "s").split(separator: "\n").dropFirst().sorted()
        #expect(members == ["a", "b", "c"])
        #expect(try guest.call(8, "s", "a\nzz") == "ok 1")
        #expect(try guest.call(7, "nosuchset") == "ok")
        // publish: 0 subscribers is still ok
        #expect(try guest.call(1, "chan", "hello") == "ok")
        // wrong type -> error::error
        #expect(try guest.call(4, "s") == "err 1")
        #expect(try guest.call(2, "s") == "err 1")
        #expect(try guest.call(3, "str", "v") == "ok")
        #expect(try guest.call(7, "str") == "err 1")
        // Everything went over one cached connection.
        #expect(guest.connections.count == 1)
        let check = try server.client()
        #expect(try check.command(["GET", "k"]) == .null)
        #expect(try check.command(["SMEMBERS", "s"]).description.contains("b"))
    }

    @Test func executeFlattensLikeSpin() throws {
        let server = try RedisTestServer()
        let guest = try RedisGuest(address: server.url)
        func hex(_ s: String) -> String { "x" + Array(s.utf8).map { String(format: "%02x", $0) }.joined() }
        // +OK is dropped (Spin 1.x drops Okay and Nil)
        #expect(try guest.call(9, "SET", "\(hex("k"))\n\(hex("v1"))") == "ok")
        #expect(try guest.call(9, "GET", hex("k")) == "ok\nbin:7631")
        #expect(try guest.call(9, "GET", hex("missing")) == "ok")
        #expect(try guest.call(9, "INCRBY", "\(hex("n"))\ni-42") == "ok\nint:-42")
        #expect(try guest.call(9, "PING", "") == "ok\nstatus:PONG")
        #expect(try guest.call(9, "RPUSH", "\(hex("l"))\n\(hex("a"))\ni7") == "ok\nint:2")
        #expect(try guest.call(9, "LRANGE", "\(hex("l"))\ni0\ni-1") == "ok\nbin:61\nbin:37")
        #expect(try guest.call(9, "SET", "\(hex("b"))\nx00ff0d0a") == "ok")
        #expect(try guest.call(9, "GET", hex("b")) == "ok\nbin:00ff0d0a")
        #expect(try guest.call(9, "NOSUCHCOMMAND", "") == "err 1")
        #expect(try guest.call(9, "INCR", hex("l")) == "err 1")
    }

    @Test func unreachableAndUnsupportedAddressesAreErrors() throws {
        let port = try freePort()
        let guest = try RedisGuest(address: "redis://127.0.0.1:\(port)")
        #expect(try guest.call(4, "n") == "err 1")
        #expect(try guest.call(2, "n") == "err 1")
        #expect(try guest.call(1, "c", "x") == "err 1")
        #expect(try guest.call(7, "s") == "err 1")
        #expect(try guest.call(9, "PING", "") == "err 1")
        #expect(try guest.call(10, "rediss://127.0.0.1:\(port)") == "ok")
        #expect(try guest.call(3, "k", "v") == "err 1")
        #expect(guest.log.lines.contains { $0.contains("TLS (rediss://) is not supported") })
        #expect(guest.connections.count == 0)
    }

    /// The result layouts of docs/spin-1x.md#outbound-redis, read byte by byte at the retptr.
    @Test func resultLayoutsMatchTheDocumentedLayouts() throws {
        let server = try RedisTestServer()
        let client = try server.client()
        _ = try client.command(["SET", "k", "hello"])
        _ = try client.command(["SADD", "s", "only"])
        let guest = try RedisGuest(address: server.url)
        let (ap, an) = try guest.abi.write(server.url)
        let (kp, kn) = try guest.abi.write("k")
        let (sp, sn) = try guest.abi.write("s")
        let mem = guest.abi.memory

        // incr on a string that is not a number: err, error::error at @8
        var ret = try guest.retArea()
        _ = try guest.instance.invoke("raw-incr", [.i32(ap), .i32(an), .i32(kp), .i32(kn), .i32(ret)])
        #expect(try mem.load(UInt8.self, at: Int(ret)) == 1)
        #expect(try mem.load(UInt8.self, at: Int(ret) + 8) == 1)
        // incr: ok, s64 at @8
        let (np, nn) = try guest.abi.write("n")
        _ = try client.command(["SET", "n", "-5"])
        ret = try guest.retArea()
        _ = try guest.instance.invoke("raw-incr", [.i32(ap), .i32(an), .i32(np), .i32(nn), .i32(ret)])
        #expect(try mem.load(UInt8.self, at: Int(ret)) == 0)
        #expect(try mem.load(Int64.self, at: Int(ret) + 8) == -4)

        // get: ok, list at @4/@8
        ret = try guest.retArea()
        _ = try guest.instance.invoke("raw-get", [.i32(ap), .i32(an), .i32(kp), .i32(kn), .i32(ret)])
        #expect(try mem.load(UInt8.self, at: Int(ret)) == 0)
        let gp: UInt32 = try mem.load(at: Int(ret) + 4)
        let gn: UInt32 = try mem.load(at: Int(ret) + 8)
        #expect(try guest.abi.read(gp, gn) == Array("hello".utf8))
        // get on a set: err, error at @4
        ret = try guest.retArea()
        _ = try guest.instance.invoke("raw-get", [.i32(ap), .i32(an), .i32(sp), .i32(sn), .i32(ret)])
        #expect(try mem.load(UInt8.self, at: Int(ret)) == 1)
        #expect(try mem.load(UInt8.self, at: Int(ret) + 4) == 1)

        // set: ok = tag 0; err = tag 1, error at @1
        let (vp, vn) = try guest.abi.write([1, 2, 3])
        ret = try guest.retArea()
        _ = try guest.instance.invoke(
            "raw-set", [.i32(ap), .i32(an), .i32(kp), .i32(kn), .i32(vp), .i32(vn), .i32(ret)])
        #expect(try mem.load(UInt8.self, at: Int(ret)) == 0)
        #expect(try client.command(["GET", "k"]) == .bulkString([1, 2, 3]))
        let (bad, badn) = try guest.abi.write("redis://127.0.0.1:\(try freePort())")
        ret = try guest.retArea()
        _ = try guest.instance.invoke(
            "raw-set", [.i32(bad), .i32(badn), .i32(kp), .i32(kn), .i32(vp), .i32(vn), .i32(ret)])
        #expect(try mem.load(UInt8.self, at: Int(ret)) == 1)
        #expect(try mem.load(UInt8.self, at: Int(ret) + 1) == 1)

        // smembers: ok, list<string> at @4/@8 of 8-byte {ptr,len}
        ret = try guest.retArea()
        _ = try guest.instance.invoke("raw-smembers", [.i32(ap), .i32(an), .i32(sp), .i32(sn), .i32(ret)])
        #expect(try mem.load(UInt8.self, at: Int(ret)) == 0)
        let lp: UInt32 = try mem.load(at: Int(ret) + 4)
        let ln: UInt32 = try mem.load(at: Int(ret) + 8)
        #expect(try guest.abi.readStrings(lp, ln) == ["only"])

        // execute: params are 16-byte {tag@0, value@8}; results 16-byte {tag@0, value@8}
        let (cp, cn) = try guest.abi.write("RPUSH")
        let params = try guest.abi.allocate(count: 48, align: 8)
        let (lk, lkn) = try guest.abi.write("list")
        let (bv, bvn) = try guest.abi.write([0, 255])
        try mem.store(UInt8(1), at: Int(params))
        try mem.store(lk, at: Int(params) + 8)
        try mem.store(lkn, at: Int(params) + 12)
        try mem.store(UInt8(0), at: Int(params) + 16)
        try mem.store(Int64(-3), at: Int(params) + 24)
        try mem.store(UInt8(1), at: Int(params) + 32)
        try mem.store(bv, at: Int(params) + 40)
        try mem.store(bvn, at: Int(params) + 44)
        ret = try guest.retArea()
        _ = try guest.instance.invoke(
            "raw-execute", [.i32(ap), .i32(an), .i32(cp), .i32(cn), .i32(params), .i32(3), .i32(ret)])
        #expect(try mem.load(UInt8.self, at: Int(ret)) == 0)
        var rp: UInt32 = try mem.load(at: Int(ret) + 4)
        #expect(try mem.load(UInt32.self, at: Int(ret) + 8) == 1)
        #expect(try mem.load(UInt8.self, at: Int(rp)) == 2)  // int64
        #expect(try mem.load(Int64.self, at: Int(rp) + 8) == 2)
        #expect(rp % 8 == 0)
        #expect(try client.command(["LRANGE", "list", "0", "-1"]) == .array([.bulk("-3"), .bulkString([0, 255])]))

        let (lr, lrn) = try guest.abi.write("PING")
        ret = try guest.retArea()
        _ = try guest.instance.invoke(
            "raw-execute", [.i32(ap), .i32(an), .i32(lr), .i32(lrn), .i32(params), .i32(0), .i32(ret)])
        rp = try mem.load(at: Int(ret) + 4)
        #expect(try mem.load(UInt32.self, at: Int(ret) + 8) == 1)
        #expect(try mem.load(UInt8.self, at: Int(rp)) == 1)  // status
        #expect(try guest.abi.readString(try mem.load(at: Int(rp) + 8), try mem.load(at: Int(rp) + 12)) == "PONG")
    }

    @Test func executorRecordsMessagesAndReportsGuestErrors() throws {
        let server = try RedisTestServer()
        let cache = RedisConnectionCache(log: { _ in })
        defer { cache.closeAll() }
        let imports = RedisFixture.imports(address: server.url, connections: cache)
        try RedisExecutor.handle(module: RedisFixture.module, imports: imports, payload: Array("first".utf8))
        try RedisExecutor.handle(module: RedisFixture.module, imports: imports, payload: [])
        let client = try server.client()
        #expect(try client.command(["GET", "recorder:count"]) == .bulk("2"))
        #expect(try client.command(["GET", "recorder:last"]) == .bulkString([]))
        do {
            try RedisExecutor.handle(module: RedisFixture.module, imports: imports, payload: Array("fail".utf8))
            Issue.record("no error")
        } catch let e as RedisHandlerError {
            #expect(e.guestErrorCode == 1)
        }
        #expect(throws: Trap.self) {
            try RedisExecutor.handle(module: RedisFixture.module, imports: imports, payload: Array("trap".utf8))
        }
        try RedisExecutor.handle(module: RedisFixture.module, imports: imports, payload: Array("after".utf8))
        #expect(try client.command(["GET", "recorder:count"]) == .bulk("3"))
        #expect(try client.command(["GET", "recorder:last"]) == .bulk("after"))
        // Missing outbound-redis imports: instantiation fails, it is reported, nothing crashes.
        #expect(throws: (any Error).self) {
            try RedisExecutor.handle(module: RedisFixture.module, imports: Imports(), payload: [])
        }
    }
}
