import Foundation
import WasmComponents
import WasmWASI
import WasmWASIP2

/// A WASI 0.2 context over a fresh temporary directory (preopened as `/sandbox`, or read-only
/// as `/ro` when asked), and calls into `WASIP2.definitions` by interface and name.
final class P2Fixture {
    let directory: String
    let context: WASIP2Context
    let stdout = OutputBuffer()

    init(readOnly: Bool = false, stdin: [UInt8] = [], environment: [String: String] = [:], args: [String] = []) throws {
        directory = NSTemporaryDirectory() + "wasip2-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let wasi = try WASI(
            configuration: WASIConfiguration(
                args: args, environment: environment,
                preopens: [.init(hostPath: directory, guestPath: readOnly ? "/ro" : "/sandbox", readOnly: readOnly)],
                stdin: .bytes(stdin), stdout: .buffer(stdout), stderr: .discard))
        context = WASIP2Context(wasi: wasi)
    }

    deinit {
        context.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Calls `name` of `interface` (`wasi:io/streams` → `@0.2.0` is added).
    @discardableResult
    func call(_ interface: String, _ name: String, _ args: [ComponentValue] = []) throws -> ComponentValue? {
        let full = interface.contains("@") ? interface : interface + "@0.2.0"
        guard let f = WASIP2.definitions.function(full, name) else {
            throw WASIError("no host function \(full) \(name)")
        }
        return try f(context, args)
    }

    /// The rep of `.own(rep)`, else nil.
    static func rep(_ v: ComponentValue?) -> UInt32? {
        if case .own(let r)? = v { return r }
        return nil
    }

    /// The payload of `.ok(payload)`, else nil.
    static func ok(_ v: ComponentValue?) -> ComponentValue? {
        if case .ok(let p)? = v { return p }
        return nil
    }

    /// The first preopen's descriptor rep.
    func preopen() throws -> UInt32 {
        guard case .list(let l)? = try call("wasi:filesystem/preopens", "get-directories"),
            case .tuple(let t)? = l.first, let r = Self.rep(t.first)
        else { throw WASIError("no preopen") }
        return r
    }
}
