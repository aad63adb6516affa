import Foundation
import Glibc
import Sockets
import TestSupport
import Testing
import WasmCore

@testable import SpinHost

/// Helpers shared by the host-interface tests.
enum HostIf {
    static let packageRoot = URL(fileURLWithPath: TestSupport.packageRoot)

    static func fixture(_ name: String) -> String {
        packageRoot.appendingPathComponent("Fixtures/hostif/\(name)").path
    }

    /// A fresh temporary directory.
    static func tempDir(_ tag: String = "hostif") -> String {
        let d = NSTemporaryDirectory() + "\(tag)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// Parses a manifest written into `dir/spin.toml`.
    static func app(_ toml: String, in dir: String = tempDir()) throws -> AppManifest {
        let path = dir + "/spin.toml"
        try toml.write(toFile: path, atomically: true, encoding: .utf8)
        return try Manifest.load(path: path)
    }

    static func v1(_ componentExtra: String, variables: String = "", id: String = "guest") -> String {
        """
        spin_manifest_version = "1"
        name = "t"
        version = "0.1.0"
        trigger = { type = "http", base = "/" }
        \(variables)
        [[component]]
        id = "\(id)"
        source = "guest.wasm"
        \(componentExtra)
        [component.trigger]
        route = "/..."
        """
    }

    /// Services with the given stores and no environment.
    static func services(
        _ app: AppManifest, env: [String: String] = [:], stores: [String: any KeyValueStore] = [:],
        settings: OutboundHTTPSettings = OutboundHTTPSettings()
    ) throws -> AppServices {
        let resolver = try VariableResolver(app: app, environment: env)
        return AppServices(app: app, variables: resolver, keyValueStores: stores, outboundHTTP: settings, log: .discard)
    }

    struct GuestResponse {
        var status: UInt16
        var headers: [(String, String)]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Instantiates `wasm` with `SpinInterfaces.define` (WASI imports stubbed
    /// with ENOSYS) and calls `handle-http-request` as docs/spin-1x.md#http-call-sequence describes.
    static func call(
        _ wasm: String, context: GuestContext, method: UInt32 = 0, uri: String,
        headers: [(String, String)] = [], body: [UInt8] = []
    ) throws -> GuestResponse {
        let module = try Module(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: wasm))))
        var imports = Imports()
        SpinInterfaces.define(into: &imports, context: context)
        for imp in module.imports where imp.module == "wasi_snapshot_preview1" {
            if case .function(let t) = imp.descriptor, let type = module.info.types[safe: Int(t)] {
                imports.define(
                    module: imp.module, name: imp.name,
                    .function(
                        Function(type: type) { _, _ in
                            type.results.map { _ in Value.i32(52) }
                        }))
            }
        }
        let store = Store()
        let instance = try store.instantiate(module, imports: imports)
        if let initialize = instance.function(named: "_initialize") { _ = try store.invoke(initialize, []) }
        let abi = try CanonicalABI(store: store, instance: instance)
        let (up, ul) = try abi.write(uri)
        let harr = try abi.allocate(count: 16 * headers.count, align: 4)
        for (i, h) in headers.enumerated() {
            let (kp, kl) = try abi.write(h.0)
            let (vp, vl) = try abi.write(h.1)
            let e = Int(harr) + 16 * i
            try abi.memory.store(kp, at: e); try abi.memory.store(kl, at: e + 4)
            try abi.memory.store(vp, at: e + 8); try abi.memory.store(vl, at: e + 12)
        }
        let params = try abi.allocate(count: 0, align: 4)
        let (bp, bl) = try abi.write(body)
        guard let handle = instance.function(named: "handle-http-request") else {
            throw GuestABIError("no handle-http-request")
        }
        let r = try store.invoke(
            handle,
            [
                .i32(method), .i32(up), .i32(ul), .i32(harr), .i32(UInt32(headers.count)),
                .i32(params), .i32(0), .i32(1), .i32(bp), .i32(bl),
            ])
        guard case .i32(let ret)? = r.first else { throw GuestABIError("no result") }
        let status: UInt16 = try abi.memory.load(at: Int(ret))
        var outHeaders: [(String, String)] = []
        if try abi.memory.load(UInt8.self, at: Int(ret) + 4) != 0 {
            let hp: UInt32 = try abi.memory.load(at: Int(ret) + 8), hn: UInt32 = try abi.memory.load(at: Int(ret) + 12)
            for i in 0..<Int(hn) {
                let e = Int(hp) + 16 * i
                let kp: UInt32 = try abi.memory.load(at: e), kl: UInt32 = try abi.memory.load(at: e + 4)
                let vp: UInt32 = try abi.memory.load(at: e + 8), vl: UInt32 = try abi.memory.load(at: e + 12)
                outHeaders.append((try abi.readString(kp, kl), try abi.readString(vp, vl)))
                try abi.free(kp, kl, align: 1); try abi.free(vp, vl, align: 1)
            }
            try abi.free(hp, hn * 16, align: 4)
        }
        var outBody: [UInt8] = []
        if try abi.memory.load(UInt8.self, at: Int(ret) + 16) != 0 {
            let p: UInt32 = try abi.memory.load(at: Int(ret) + 20), n: UInt32 = try abi.memory.load(at: Int(ret) + 24)
            outBody = try abi.read(p, n)
            try abi.free(p, n, align: 1)
        }
        return GuestResponse(status: status, headers: outHeaders, body: outBody)
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}

/// A tiny HTTP/1.1 server on a raw socket (127.0.0.1, ephemeral port) for live tests.
/// `handler` gets the raw request head and body and returns raw response bytes.
final class TinyHTTPServer: @unchecked Sendable {
    let fd: Int32
    let port: Int
    private let handler: @Sendable (String, [UInt8]) -> [UInt8]
    private let lock = NSLock()
    private var _requests: [(head: String, body: [UInt8])] = []
    var requests: [(head: String, body: [UInt8])] { lock.withLock { _requests } }

    init(_ handler: @escaping @Sendable (String, [UInt8]) -> [UInt8]) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 }
        }
        guard ok, listen(fd, 16) == 0 else { throw SocketError("bind/listen failed") }
        _ = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        let t = Thread { [self] in acceptLoop() }
        t.start()
    }

    var origin: String { "http://127.0.0.1:\(port)" }

    private var stopped = false
    private let acceptExited = DispatchSemaphore(value: 0)

    /// Stops accepting; the descriptor is closed only after the accept thread
    /// has left `accept` (else a new socket could reuse the number under it).
    func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        acceptExited.wait()
        close(fd)
    }

    private func acceptLoop() {
        defer { acceptExited.signal() }
        while true {
            if lock.withLock({ stopped }) { return }
            let c = accept(fd, nil, nil)
            if c < 0 {
                if errno == EINTR { continue }
                return
            }
            Thread { [self] in serve(c) }.start()
        }
    }

    private func serve(_ c: Int32) {
        defer { close(c) }
        var buf: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var headEnd: Int?
        while headEnd == nil {
            let n = recv(c, &chunk, 4096, 0)
            if n <= 0 { return }
            buf += chunk[0..<n]
            if buf.count >= 4 {
                for i in 0...(buf.count - 4)
                where buf[i] == 13 && buf[i + 1] == 10 && buf[i + 2] == 13 && buf[i + 3] == 10 {
                    headEnd = i + 4
                    break
                }
            }
        }
        let head = String(decoding: buf[0..<headEnd!], as: UTF8.self)
        var length = 0
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
        }
        while buf.count - headEnd! < length {
            let n = recv(c, &chunk, 4096, 0)
            if n <= 0 { break }
            buf += chunk[0..<n]
        }
        let body = Array(buf[headEnd!...])
        lock.withLock { _requests.append((head, body)) }
        let response = handler(head, body)
        if !response.isEmpty { try? Socket.sendAll(c, response) }
    }

    static func response(_ status: Int = 200, _ body: String, headers: [String] = []) -> [UInt8] {
        var s = "HTTP/1.1 \(status) X\r\ncontent-length: \(body.utf8.count)\r\n"
        for h in headers { s += h + "\r\n" }
        return Array((s + "\r\n" + body).utf8)
    }
}
