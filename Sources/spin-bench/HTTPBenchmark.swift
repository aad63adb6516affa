import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Section 4: the release `spin up` serving Examples/hello-world: time from
/// process start to the first 200, then load from `hey`, and the server's peak RSS.
enum HTTPBenchmark {
    static func run(_ options: Options, report: Report) -> Table {
        var table = Table(
            "HTTP: spin up -f Examples/hello-world (release build)", headers: ["measure", "value"])
        guard let port = HTTPProbe.freePort() else {
            report.problem("http: no free port")
            return table
        }
        let stderrLog = NSTemporaryDirectory() + "spin-bench-up-\(getpid()).err"
        defer { unlink(stderrLog) }
        let argv = [
            options.spin, "up", "-f", options.root + "/Examples/hello-world", "--listen", "127.0.0.1:\(port)",
            "--quiet",
        ]
        let start = ContinuousClock.now
        let pid: pid_t
        do {
            pid = try Subprocess.spawn(argv, stderr: stderrLog)
        } catch {
            report.problem("http: \(error)")
            return table
        }
        defer {
            kill(pid, SIGTERM)
            _ = Subprocess.wait(pid)
        }

        // Poll until the first 200 (or the process dies, or 30 s pass).
        var firstOK: Double?
        while (ContinuousClock.now - start).seconds < 30 {
            if HTTPProbe.status(port: port, target: "/?name=bench") == 200 {
                firstOK = (ContinuousClock.now - start).seconds
                break
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let err = (try? String(contentsOfFile: stderrLog, encoding: .utf8)) ?? ""
                report.problem("http: spin up exited before answering: \(err)")
                return table
            }
            usleep(1000)
        }
        guard let firstOK else {
            report.problem("http: spin up did not answer 200 within 30 s")
            return table
        }
        table.add(["process start to first 200", Format.milliseconds(firstOK) + " ms"])

        if let hey = Subprocess.find(options.hey) {
            let url = "http://127.0.0.1:\(port)/?name=bench"
            let heyArgs = [hey, "-c", "\(options.concurrency)", "-n", "\(options.requests)", url]
            do {
                let run = try Subprocess.run(heyArgs)
                let out = HeyOutput(run.stdout)
                if run.status != 0 || out.requestsPerSecond == nil {
                    report.problem("http: hey exited \(run.status): \(run.stdout.prefix(300))")
                }
                table.add([
                    "hey -c \(options.concurrency) -n \(options.requests): requests/s",
                    out.requestsPerSecond.map { Format.fixed($0, 0) } ?? "–",
                ])
                table.add(["latency p50", out.p50.map { Format.fixed($0 * 1000, 2) + " ms" } ?? "–"])
                table.add(["latency p99", out.p99.map { Format.fixed($0 * 1000, 2) + " ms" } ?? "–"])
                table.add(["errors (non-200 or failed)", "\(out.failures)"])
            } catch {
                report.problem("http: hey: \(error)")
            }
        } else {
            table.notes.append("skipped: hey not found (load test)")
        }
        table.add([
            "peak RSS of spin up (VmHWM)", peakRSS(pid).map { Format.fixed(Double($0) / 1024, 1) + " MB" } ?? "–",
        ])
        return table
    }

    /// VmHWM of `pid` in KiB, from /proc/PID/status.
    static func peakRSS(_ pid: pid_t) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }
}
