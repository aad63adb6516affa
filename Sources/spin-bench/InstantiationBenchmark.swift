import Foundation
import SpinHost
import WasmCore
import WasmWASI

/// In-process instantiate + call of a Spin HTTP guest, the per-request work of `spin up`.
enum InstantiationBenchmark {
    struct Result {
        var name: String
        var moduleBytes: Int
        var microsecondsPerRequest: Double
        var requestsPerSecond: Double { 1_000_000 / microsecondsPerRequest }
    }

    /// Runs `iterations` requests of `GET /` through the Spin executor on fresh instances.
    static func run(name: String, manifest: String, iterations: Int) throws -> Result {
        let app = try LoadedApp.load(path: manifest)
        guard let component = app.components.values.first else { throw ExecutorError("no component") }
        let host = GuestHost(output: GuestOutput(quiet: true))
        let headers: HTTPHeaders = [("host", "127.0.0.1:3000"), ("user-agent", "bench"), ("accept", "*/*")]
        func once() throws {
            let r = try SpinHTTPExecutor.execute(
                component, host: host, method: "GET", uri: "/?name=bench", headers: headers, body: [])
            guard r.status == 200 else { throw ExecutorError("status \(r.status)") }
        }
        for _ in 0..<min(100, iterations) { try once() }
        let start = ContinuousClock.now
        for _ in 0..<iterations { try once() }
        let elapsed = ContinuousClock.now - start
        let micros = Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
        let size = (try? FileManager.default.attributesOfItem(atPath: sourcePath(component))[.size] as? Int) ?? 0
        return Result(name: name, moduleBytes: size ?? 0, microsecondsPerRequest: micros / Double(iterations))
    }

    static func sourcePath(_ component: LoadedComponent) -> String {
        if case .file(let p) = component.component.source { return p }
        return ""
    }
}
