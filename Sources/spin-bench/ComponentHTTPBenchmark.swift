import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Section `components`: the same `wasi:http/proxy` components served by the release
/// `spin up` (a v2 manifest) and by `wasmtime serve` (the peer), loaded by `hey` one after
/// the other in the same run; requests/s, p50 and the spin ÷ wasmtime ratio.
///
/// Components: the committed `Fixtures/components/c-zig-nostdio.wasm`, and the
/// componentize-py `py-proxy/app.wasm` (CPython inside, ~18 MB with its memory image) from
/// `--components-dir` (Scripts/build-components builds it) when present.
enum ComponentHTTPBenchmark {
    /// A server under test: its name and its command line for a port.
    struct Server {
        var name: String
        var argv: (Int) -> [String]
    }

    /// Writes into folder `app` (made if missing) a v2 `spin.toml` serving the component at
    /// `path` on every route.
    static func writeApp(serving path: String, in app: String) throws {
        try FileManager.default.createDirectory(atPath: app, withIntermediateDirectories: true)
        let manifest = """
            spin_manifest_version = 2
            [application]
            name = "bench"
            [[trigger.http]]
            route = "/..."
            component = "guest"
            [component.guest]
            source = "\(path)"
            """
        try manifest.write(toFile: app + "/spin.toml", atomically: true, encoding: .utf8)
    }

    static func run(_ options: Options, report: Report) -> Table {
        var table = Table(
            "Components: spin up vs wasmtime serve, hey -c \(options.concurrency) (release build)",
            headers: ["component", "server", "requests", "requests/s", "p50", "errors", "spin ÷ wasmtime"])
        guard let hey = Subprocess.find(options.hey) else {
            table.notes.append("skipped: hey not found")
            return table
        }
        let wasmtime = Subprocess.find(options.wasmtime)
        if wasmtime == nil { table.notes.append("wasmtime not found (\(options.wasmtime)): spin only") }
        var components = [("c-zig-nostdio", options.root + "/Fixtures/components/c-zig-nostdio.wasm", options.requests)]
        let py = options.componentsDirectory + "/py-proxy/app.wasm"
        if FileManager.default.fileExists(atPath: py) {
            // Each request instantiates CPython's pre-initialised image: fewer requests.
            components.append(("py-proxy (componentize-py)", py, max(options.requests / 10, 200)))
        } else {
            table.notes.append("py-proxy: not built (\(py); Scripts/build-components builds it)")
        }
        for (name, path, requests) in components {
            let app = NSTemporaryDirectory() + "spin-bench-component-\(getpid())"
            defer { try? FileManager.default.removeItem(atPath: app) }
            do {
                try writeApp(serving: path, in: app)
            } catch {
                report.problem("components: \(error)")
                continue
            }
            var rates: [String: Double] = [:]
            var servers = [
                Server(name: "spin up") { [options.spin, "up", "-f", app, "--quiet", "--listen", "127.0.0.1:\($0)"] }
            ]
            if let wasmtime {
                servers.append(
                    Server(name: "wasmtime serve") { [wasmtime, "serve", "-Scli", "--addr", "127.0.0.1:\($0)", path] })
            }
            for server in servers {
                guard let port = HTTPProbe.freePort() else {
                    report.problem("components: no free port")
                    continue
                }
                let row = measure(
                    server.argv(port), port: port, hey: hey, requests: requests, concurrency: options.concurrency,
                    label: "\(name) / \(server.name)", report: report)
                if let rate = row?.rate { rates[server.name] = rate }
                let ratio: String =
                    if server.name == "wasmtime serve", let s = rates["spin up"], let w = rates["wasmtime serve"] {
                        Format.fixed(s / w, 2) + "x"
                    } else { "" }
                table.add([
                    name, server.name, "\(requests)", row?.rate.map { Format.fixed($0, 0) } ?? "–",
                    row?.p50.map { Format.fixed($0 * 1000, 2) + " ms" } ?? "–", row.map { "\($0.failures)" } ?? "–",
                    ratio,
                ])
            }
        }
        return table
    }

    /// Starts `argv`, waits for the first 200 on `/`, runs hey, stops the server.
    static func measure(
        _ argv: [String], port: Int, hey: String, requests: Int, concurrency: Int, label: String, report: Report
    ) -> (rate: Double?, p50: Double?, failures: Int)? {
        let stderrLog = NSTemporaryDirectory() + "spin-bench-component-\(getpid())-\(port).err"
        defer { unlink(stderrLog) }
        let pid: pid_t
        do {
            pid = try Subprocess.spawn(argv, stdout: "/dev/null", stderr: stderrLog)
        } catch {
            report.problem("components: \(label): \(error)")
            return nil
        }
        defer {
            kill(pid, SIGTERM)
            _ = Subprocess.wait(pid)
        }
        let start = ContinuousClock.now
        var up = false
        while (ContinuousClock.now - start).seconds < 60 {
            if HTTPProbe.status(port: port, target: "/") == 200 {
                up = true
                break
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { break }
            usleep(5000)
        }
        guard up else {
            let err = (try? String(contentsOfFile: stderrLog, encoding: .utf8)) ?? ""
            report.problem("components: \(label) did not answer 200 on /: \(err.prefix(300))")
            return nil
        }
        do {
            let run = try Subprocess.run([
                hey, "-c", "\(concurrency)", "-n", "\(requests)", "http://127.0.0.1:\(port)/",
            ])
            let out = HeyOutput(run.stdout)
            if run.status != 0 || out.requestsPerSecond == nil {
                report.problem("components: \(label): hey exited \(run.status): \(run.stdout.prefix(300))")
            }
            return (out.requestsPerSecond, out.p50, out.failures)
        } catch {
            report.problem("components: \(label): hey: \(error)")
            return nil
        }
    }
}
