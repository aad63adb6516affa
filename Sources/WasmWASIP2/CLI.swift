import WasmComponents
import WasmCore
import WasmWASI

/// A `terminal-input` / `terminal-output` resource (never handed out: stdio is not a terminal).
public final class HostTerminal {}

/// `wasi:cli` 0.2: `environment`, `exit`, `stdin`/`stdout`/`stderr` and the `terminal-*`
/// interfaces. Stdio goes through the context's preview1 `WASI` descriptors 0–2, so the
/// embedder's sinks (log files, output budgets, buffers) apply unchanged.
///
/// WIT: `spin_sdk/wit/deps/cli/*.wit` (wasi:cli@0.2.0).
public enum WASICLI {
    public static let environment = "wasi:cli/environment@0.2.0"
    public static let exit = "wasi:cli/exit@0.2.0"
    public static let stdin = "wasi:cli/stdin@0.2.0"
    public static let stdout = "wasi:cli/stdout@0.2.0"
    public static let stderr = "wasi:cli/stderr@0.2.0"
    public static let terminalInput = "wasi:cli/terminal-input@0.2.0"
    public static let terminalOutput = "wasi:cli/terminal-output@0.2.0"
    public static let terminalStdin = "wasi:cli/terminal-stdin@0.2.0"
    public static let terminalStdout = "wasi:cli/terminal-stdout@0.2.0"
    public static let terminalStderr = "wasi:cli/terminal-stderr@0.2.0"
    /// The export a `wasi:cli/command` component runs.
    public static let run = "wasi:cli/run@0.2.0"

    static func define(_ d: inout WASIP2Definitions) {
        d.function(environment, "get-environment") { c, _ in
            .list(
                c.wasi.configuration.environment.sorted { $0.key < $1.key }.map {
                    .tuple([.string($0.key), .string($0.value)])
                })
        }
        d.function(environment, "get-arguments") { c, _ in
            .list(c.wasi.configuration.args.map { .string($0) })
        }
        d.function(environment, "initial-cwd") { _, _ in .option(nil) }
        d.function(exit, "exit") { _, a in
            guard case .ok = try a.at(0) else { throw WASIExit(code: 1) }
            throw WASIExit(code: 0)
        }
        d.function(stdin, "get-stdin") { c, _ in c.own(HostInputStream(.descriptor(fd: 0, offset: nil))) }
        d.function(stdout, "get-stdout") { c, _ in c.own(HostOutputStream(.descriptor(fd: 1, offset: nil))) }
        d.function(stderr, "get-stderr") { c, _ in c.own(HostOutputStream(.descriptor(fd: 2, offset: nil))) }
        d.resource(terminalInput, "terminal-input")
        d.resource(terminalOutput, "terminal-output")
        d.function(terminalStdin, "get-terminal-stdin") { _, _ in .option(nil) }
        d.function(terminalStdout, "get-terminal-stdout") { _, _ in .option(nil) }
        d.function(terminalStderr, "get-terminal-stderr") { _, _ in .option(nil) }
    }
}
