import Foundation
import HTTP1
import SpinHost
import WasmCore
import WasmWASI
import WasmWASIP2

/// Section 3: in-process instantiate + call of a Spin HTTP guest, the per-request
/// work of `spin up` (a fresh store, WASI context and instance, then
/// `handle-http-request`), without sockets or HTTP parsing.
enum InstantiationBenchmark {
    struct Result {
        var name: String
        var moduleBytes: Int
        var microsecondsPerRequest: Double
        var requestsPerSecond: Double { 1_000_000 / microsecondsPerRequest }
    }

    /// Runs `rounds` batches of `iterations` requests (`GET uri`) through the Spin
    /// executor on fresh instances, after a warm-up; the median batch's µs per request.
    static func run(name: String, manifest: String, uri: String = "/?name=bench", iterations: Int, rounds: Int = 1)
        throws
        -> Result
    {
        let app = try LoadedApp.load(path: manifest)
        guard let component = app.components.values.first else { throw ExecutorError("no component") }
        let host = GuestHost(output: GuestOutput(quiet: true))
        let headers: HTTPHeaders = [("host", "127.0.0.1:3000"), ("user-agent", "bench"), ("accept", "*/*")]
        func once() throws {
            let r = try SpinHTTPExecutor.execute(
                component, host: host, method: "GET", uri: uri, headers: headers, body: [])
            guard r.status == 200 else { throw ExecutorError("status \(r.status)") }
        }
        for _ in 0..<min(100, iterations) { try once() }
        var perRequest: [Double] = []
        for _ in 0..<max(1, rounds) {
            let start = ContinuousClock.now
            for _ in 0..<iterations { try once() }
            perRequest.append((ContinuousClock.now - start).seconds * 1e6 / Double(iterations))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: sourcePath(component))[.size] as? Int) ?? 0
        return Result(name: name, moduleBytes: size ?? 0, microsecondsPerRequest: Statistics.median(perRequest))
    }

    /// The same for a `wasi:http` component (`wasm`, served from a v2 manifest made here):
    /// `ComponentHTTPExecutor` per request (a fresh store, WASI 0.2 context and component
    /// instance, then `handle`); and, separately, instantiation alone (`LinkedComponent.instantiate`
    /// in a fresh store), the part of the request that resolves and wires the inner modules.
    static func runComponent(name: String, wasm: String, iterations: Int, rounds: Int = 1) throws -> (
        request: Result, instantiateMicroseconds: Double
    ) {
        let dir = NSTemporaryDirectory() + "spin-bench-instantiate-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ComponentHTTPBenchmark.writeApp(serving: wasm, in: dir)
        let app = try LoadedApp.load(path: dir)
        guard let component = app.httpComponents.values.first else { throw ExecutorError("no component") }
        let host = GuestHost(output: GuestOutput(quiet: true))
        let headers: HTTPHeaders = [("host", "127.0.0.1:3000"), ("user-agent", "bench"), ("accept", "*/*")]
        func once() throws {
            let r = try ComponentHTTPExecutor.execute(
                component, host: host, method: "GET", pathWithQuery: "/", headers: headers, body: [])
            guard r.status == 200 else { throw ExecutorError("status \(r.status)") }
        }
        func instantiate() throws {
            let store = Store(configuration: host.limits.engineConfiguration)
            store.data = WASIP2Context(wasi: try WASI(configuration: WASIConfiguration(args: ["bench"])))
            _ = try component.linked.instantiate(in: store)
        }
        for _ in 0..<min(20, iterations) { try once() }
        var perRequest: [Double] = []
        var perInstantiate: [Double] = []
        for _ in 0..<max(1, rounds) {
            var start = ContinuousClock.now
            for _ in 0..<iterations { try once() }
            perRequest.append((ContinuousClock.now - start).seconds * 1e6 / Double(iterations))
            start = ContinuousClock.now
            for _ in 0..<iterations { try instantiate() }
            perInstantiate.append((ContinuousClock.now - start).seconds * 1e6 / Double(iterations))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: wasm)[.size] as? Int) ?? 0
        return (
            Result(name: name, moduleBytes: size ?? 0, microsecondsPerRequest: Statistics.median(perRequest)),
            Statistics.median(perInstantiate)
        )
    }

    static func sourcePath(_ component: LoadedComponent) -> String {
        if case .file(let p) = component.component.source { return p }
        return ""
    }

    /// The section's table: Examples/hello-world and the ~2 MB Fixtures/big-guest.
    static func table(_ options: Options, report: Report) -> Table {
        let guests: [(name: String, manifest: String, uri: String, iterations: Int)] = [
            ("hello-world", options.root + "/Examples/hello-world", "/?name=bench", options.quick ? 300 : 3000),
            ("big-guest (f0)", options.root + "/Fixtures/big-guest", "/", options.quick ? 50 : 500),
        ]
        let rounds = max(options.rounds, 3)
        var table = Table(
            "Instantiation: in-process instantiate + handle-http-request per request (median of \(rounds) batches)",
            headers: ["guest", "module KB", "requests per batch", "µs per request", "instances per second"])
        for g in guests {
            do {
                let r = try run(
                    name: g.name, manifest: g.manifest, uri: g.uri, iterations: g.iterations, rounds: rounds)
                table.add([
                    g.name, Format.fixed(Double(r.moduleBytes) / 1024, 0), "\(g.iterations)",
                    Format.fixed(r.microsecondsPerRequest, 1), Format.fixed(r.requestsPerSecond, 0),
                ])
            } catch {
                report.problem("instantiate \(g.name): \(error)")
                table.add([g.name, "", "", "failed", ""])
            }
        }
        var components = [
            ("c-zig-nostdio (component)", options.root + "/Fixtures/components/c-zig-nostdio.wasm", options.quick ? 300 : 3000)
        ]
        for (name, file) in [("py-proxy", "py-proxy/app.wasm"), ("py3-hello", "py3-hello/app.wasm")] {
            let path = options.componentsDirectory + "/" + file
            if FileManager.default.fileExists(atPath: path) {
                components.append(("\(name) (component, CPython)", path, options.quick ? 10 : 50))
            } else {
                table.notes.append("\(name): not built (\(path); Scripts/build-components builds it)")
            }
        }
        for (name, path, iterations) in components {
            do {
                let r = try runComponent(name: name, wasm: path, iterations: iterations, rounds: rounds)
                table.add([
                    name, Format.fixed(Double(r.request.moduleBytes) / 1024, 0), "\(iterations)",
                    Format.fixed(r.request.microsecondsPerRequest, 1)
                        + " (instantiate alone \(Format.fixed(r.instantiateMicroseconds, 1)))",
                    Format.fixed(r.request.requestsPerSecond, 0),
                ])
            } catch {
                report.problem("instantiate \(name): \(error)")
                table.add([name, "", "", "failed", ""])
            }
        }
        table.notes.append(
            "One thread; each request gets a fresh store, WASI context and instance of the module compiled once at load."
        )
        table.notes.append(
            "Components: ComponentHTTPExecutor per request (GET /); \"instantiate alone\" is LinkedComponent.instantiate in a fresh store."
        )
        return table
    }
}
