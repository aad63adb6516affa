import ArgumentParsing
import Foundation
import SpinCommands
import Testing
import WasmSpec

/// The package's root folder (Tests/SpinCommandsTests/ is two levels below it).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// Runs `spin ARGUMENTS` in-process.
private func spin(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
    CapturedConsole.run { SpinCommand.run(arguments: arguments, console: $0) }
}

/// Every `spin` command and subcommand, as typed.
private let commands: [[String]] = [
    ["up"], ["new"], ["add"], ["build"], ["watch"], ["templates", "list"], ["templates", "install"],
    ["templates", "uninstall"], ["templates", "upgrade"], ["wasm", "run"], ["wasm", "inspect"], ["wasm", "spectest"],
]

@Suite struct CommandLineTests {
    @Test(arguments: commands)
    func helpExitsZeroAndPrintsTheUsage(command: [String]) {
        let r = spin(command + ["--help"])
        #expect(r.status == 0)
        #expect(r.out.contains("\nUsage: spin \(command.joined(separator: " ")) [OPTIONS]"), "\(r.out)")
        #expect(r.out.contains("\n  -h, --help"))
        #expect(r.err.isEmpty)
        #expect(spin(command + ["-h"]).out == r.out)
        // `spin help COMMAND...` is the same help.
        #expect(spin(["help"] + command).out == r.out)
    }

    @Test(arguments: commands)
    func anUnknownFlagIsAUsageErrorNamingIt(command: [String]) {
        let r = spin(command + ["--no-such-flag", "x"])
        #expect(r.status == 2)
        #expect(r.out.isEmpty)
        #expect(r.err.hasPrefix("error: unknown option '--no-such-flag'\n"), "\(r.err)")
        #expect(r.err.contains("Usage: spin \(command.joined(separator: " "))"))
    }

    @Test func groupsListTheirCommands() {
        let r = spin(["--help"])
        #expect(r.status == 0)
        for name in ["up", "new", "add", "build", "watch", "templates", "wasm"] {
            #expect(r.out.contains("\n  \(name) "))
        }
        #expect(spin(["wasm", "--help"]).out.contains("\n  spectest "))
        #expect(spin(["templates", "--help"]).out.contains("\n  uninstall "))
        #expect(spin(["--version"]) == (0, SpinCommand.version + "\n", ""))
        let none = spin([])
        #expect(none.status == 2 && none.err == r.out)
        let unknown = spin(["wasm", "frob"])
        #expect(unknown.status == 2)
        #expect(unknown.err.hasPrefix("error: unknown command 'spin wasm frob'"))
    }

    // MARK: --opt=value is --opt value, per command

    @Test func up() throws {
        let spec = SpinUpCommand.spec
        for words in [["--listen=0.0.0.0:8080"], ["--listen", "0.0.0.0:8080"]] {
            #expect(try spec.parse(words, into: .init())?.listen == "0.0.0.0:8080")
        }
        for words in [["-f=app"], ["-f", "app"], ["--from=app"]] {
            #expect(try spec.parse(words, into: .init())?.from == "app")
        }
        // Spin 3's `--from-file` (alias `--file`) is always a path.
        for words in [["--file", "app"], ["--from-file=app"]] {
            #expect(try spec.parse(words, into: .init())?.fromFile == "app")
        }
        let o = try #require(try spec.parse(["-e", "A=1", "--env=B=2", "--follow", "x", "-q"], into: .init()))
        #expect(o.environment == ["A": "1", "B": "2"] && o.follow == ["x"] && o.quiet)
        // Guest limits are checked while parsing, naming the flag.
        let bad = spin(["up", "--max-memory=lots"])
        #expect(bad.status == 2)
        #expect(bad.err.hasPrefix("error: --max-memory: invalid size \"lots\""), "\(bad.err)")
        #expect(
            spin(["up", "--env", "novalue"]).err.hasPrefix(
                "error: invalid value 'novalue' for --env <KEY=VALUE>: expected KEY=VALUE\n"))
        #expect(spin(["up", "--listen"]).err.hasPrefix("error: --listen needs a value <ADDRESS>\n"))
    }

    @Test func newAndAdd() throws {
        for words in [["app", "-t", "http-c", "--output=out"], ["-o", "out", "--template=http-c", "app"]] {
            let o = try #require(try SpinNewCommand.spec.parse(words, into: .init()))
            #expect(o.output == "out" && o.templateID == "http-c" && o.name == "app")
        }
        // Spin 1's `spin new TEMPLATE NAME`: two positionals.
        let compat = try #require(try SpinNewCommand.spec.parse(["http-c", "app"], into: .init()))
        #expect(compat.name == "http-c" && compat.nameBackCompat == "app" && compat.templateID == nil)
        let flags = try #require(
            try SpinNewCommand.spec.parse(
                [
                    "a", "--init", "--no-vcs", "--allow-overwrites", "--tag", "http", "--tag=c", "-a", "--values-file",
                    "v.toml",
                ],
                into: .init()))
        #expect(flags.initialize && flags.noVCS && flags.allowOverwrite && flags.acceptDefaults)
        #expect(flags.tags == ["http", "c"] && flags.valuesFile == "v.toml")
        #expect(
            try SpinNewCommand.spec.parse(["-v", "a=1", "--value=b=2"], into: .init())?.values == ["a": "1", "b": "2"])
        for words in [["--file=dir"], ["-f", "dir"]] {
            #expect(try SpinAddCommand.spec.parse(words, into: .init())?.file == "dir")
        }
        // `spin new` has no -f (Spin's neither): refused, not ignored.
        let r = spin(["new", "http-c", "app", "-f", "X"])
        #expect(r.status == 2)
        #expect(r.err.hasPrefix("error: unknown option '-f'\n"))
        #expect(spin(["new", "app", "-t", "http-c", "--init", "-o", "x"]).status == 2)
        #expect(spin(["new", "app", "-t", "http-c", "--tag", "c"]).status == 2)
        #expect(spin(["new", "a", "b", "c"]).err.hasPrefix("error: unexpected argument 'c'\n"))
    }

    @Test func build() throws {
        let spec = SpinBuildCommand.spec
        for words in [["--component-id=a"], ["-c", "a"], ["-c=a"]] {
            #expect(try spec.parse(words, into: .init())?.components == ["a"])
        }
        // Everything after --up is spin up's, as it is.
        let o = try #require(try spec.parse(["-c", "a", "--up", "--listen", "x", "-c", "b"], into: .init()))
        #expect(o.components == ["a"])
        #expect(o.up == ["--listen", "x", "-c", "b"])
    }

    @Test func watch() throws {
        let spec = SpinWatchCommand.spec
        for words in [["--debounce=50"], ["-d", "50"]] {
            #expect(try spec.parse(words, into: .init())?.debounceMS == 50)
        }
        // spin up's options pass through (checked first); after `--`, anything does.
        for words in [["--listen=127.0.0.1:3001"], ["--listen", "127.0.0.1:3001"]] {
            #expect(try spec.parse(words, into: .init())?.upArgs == ["--listen", "127.0.0.1:3001"])
        }
        let o = try #require(try spec.parse(["-q", "-c", "-e", "K=V", "--", "--anything", "-f"], into: .init()))
        #expect(o.clear)
        #expect(o.upArgs == ["--quiet", "--env", "K=V", "--anything", "-f"])
        #expect(spin(["watch", "--max-call-depth", "0"]).err.hasPrefix("error: --max-call-depth: invalid value \"0\""))
        #expect(spin(["watch", "-d", "soon"]).err.hasPrefix("error: invalid value 'soon' for -d <MS>: "))
    }

    @Test func templates() throws {
        for words in [["--tag=c"], ["--tag", "c"]] {
            #expect(try SpinTemplatesCommand.listSpec.parse(words, into: .init())?.tags == ["c"])
        }
        for words in [["--git=file:///x", "--branch=main"], ["--git", "file:///x", "--branch", "main"]] {
            let o = try #require(try SpinTemplatesCommand.installSpec.parse(words, into: .init()))
            #expect(o.git == "file:///x" && o.branch == "main")
        }
        // uninstall takes no option with a value; its ID is required.
        #expect(try SpinTemplatesCommand.uninstallSpec.parse(["--", "-odd"], into: .init())?.id == "-odd")
        #expect(spin(["templates", "uninstall"]).err.hasPrefix("error: missing <TEMPLATE_ID>\n"))
        let both = spin(["templates", "install", "--dir", "a", "--git=b"])
        #expect(both.status == 2)
        #expect(both.err.hasPrefix("error: Exactly one of `git`, `dir`, or `tar` must be specified\n"))
        let o = try #require(try SpinTemplatesCommand.listSpec.parse(["--verbose", "--format=json"], into: .init()))
        #expect(o.verbose && o.format == "json")
        #expect(
            try SpinTemplatesCommand.installSpec.parse(["--tar", "t.tgz", "--update"], into: .init())?.upgrade == true)
        #expect(try SpinTemplatesCommand.upgradeSpec.parse(["--all"], into: .init())?.all == true)
    }

    @Test func wasmRun() throws {
        let spec = WasmRunCommand.spec
        for words in [["--invoke=f", "m.wasm"], ["--invoke", "f", "m.wasm"]] {
            #expect(try spec.parse(words, into: .init())?.invoke == "f")
        }
        for words in [["--timeout=2.5s", "m.wasm"], ["--timeout", "2.5s", "m.wasm"]] {
            #expect(try spec.parse(words, into: .init())?.timeout == 2.5)
        }
        // Options end at FILE: the rest is the guest's.
        let o = try #require(try spec.parse(["--eager", "m.wasm", "--invoke", "-1", "--", "--help"], into: .init()))
        #expect(o.file == "m.wasm" && o.compilation == .eager && o.invoke == nil)
        #expect(o.arguments == ["--invoke", "-1", "--", "--help"])
        #expect(try spec.parse(["--compile", "m.wasm"], into: .init())?.compilation == .eager)
        // wasmtime's -W NAME=y|n switches one Wasm feature.
        let w = try #require(try spec.parse(["-W", "memory64=n", "-W", "tail-call=no", "m.wasm"], into: .init()))
        #expect(!w.features.memory64 && !w.features.tailCalls && w.features.multiMemory)
        #expect(
            spin(["wasm", "run", "-W", "gc=y", "m.wasm"]).err.contains(
                "Wasm feature 'gc' is not supported by this engine"))
        #expect(spin(["wasm", "run", "-W", "bogus=n", "m.wasm"]).err.contains("unknown Wasm feature 'bogus'"))
        #expect(try SpecTestCLI.spec.parse(["-W", "relaxed-simd=n", "x.json"], into: .init())?.features.relaxedSIMD == false)
        #expect(spin(["wasm", "run"]).err.hasPrefix("error: missing <FILE>\n"))
        #expect(
            spin(["wasm", "run", "--mapdir", "nocolons", "m.wasm"]).err.hasPrefix(
                "error: invalid value 'nocolons' for --mapdir <GUEST::HOST>: expected GUEST::HOST\n"))
    }

    /// A memory64 module: `load(i64) -> i32`, `store(i64, i32)`, `size() -> i64`, memory `mem`
    /// (1 page, at most 3, i64 addresses).
    static let memory64Module: [UInt8] = [
        0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0F, 0x03, 0x60, 0x01, 0x7E, 0x01, 0x7F, 0x60, 0x02,
        0x7E, 0x7F, 0x00, 0x60, 0x00, 0x01, 0x7E, 0x03, 0x04, 0x03, 0x00, 0x01, 0x02, 0x05, 0x04, 0x01, 0x05, 0x01,
        0x03, 0x07, 0x1D, 0x04, 0x04, 0x6C, 0x6F, 0x61, 0x64, 0x00, 0x00, 0x05, 0x73, 0x74, 0x6F, 0x72, 0x65, 0x00,
        0x01, 0x04, 0x73, 0x69, 0x7A, 0x65, 0x00, 0x02, 0x03, 0x6D, 0x65, 0x6D, 0x02, 0x00, 0x0A, 0x18, 0x03, 0x07,
        0x00, 0x20, 0x00, 0x28, 0x02, 0x00, 0x0B, 0x09, 0x00, 0x20, 0x00, 0x20, 0x01, 0x36, 0x02, 0x00, 0x0B, 0x04,
        0x00, 0x3F, 0x00, 0x0B,
    ]

    /// `spin wasm run --invoke` passes i64 addresses and prints i64 results; `-W memory64=n`
    /// refuses the module naming the feature; `spin wasm inspect` shows the 64-bit memory.
    @Test func wasmRunAndInspectMemory64() throws {
        let path = NSTemporaryDirectory() + "spin-memory64-\(getpid()).wasm"
        try Data(Self.memory64Module).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let size = spin(["wasm", "run", "--invoke", "size", path])
        #expect(size.status == 0 && size.out == "1\n", "\(size)")
        #expect(spin(["wasm", "run", "--invoke", "load", path, "65532"]).out == "0\n")
        let beyond = spin(["wasm", "run", "--invoke", "load", path, "18446744073709551615"])
        #expect(beyond.status == 134 && beyond.err.contains("out of bounds memory access"), "\(beyond)")
        let off = spin(["wasm", "run", "-W", "memory64=n", "--invoke", "size", path])
        #expect(off.status == 1 && off.err.contains("memory64 support is not enabled (at byte offset"), "\(off)")
        let inspect = spin(["wasm", "inspect", path])
        #expect(inspect.status == 0 && inspect.out.contains("i64, min 1 pages, max 3"), "\(inspect.out)")
    }

    @Test func wasmInspect() throws {
        let fixture = packageRoot + "/Fixtures/http/wagi-exit.wasm"
        // Function 8, the second defined one (7 are imported).
        let a = spin(["wasm", "inspect", "--ir=8", fixture])
        let b = spin(["wasm", "inspect", "--ir", "8", fixture])
        #expect(a.status == 0, "\(a.err)")
        #expect(!a.out.isEmpty)
        #expect(a == b)
        let summary = spin(["wasm", "inspect", fixture])
        #expect(summary.status == 0)
        #expect(summary.out.hasPrefix("wagi-exit.wasm: "))
        #expect(
            spin(["wasm", "inspect", "--ir", "x", fixture]).err.hasPrefix(
                "error: invalid value 'x' for --ir <FUNCTION_INDEX>: expected a whole number of at least 0\n"))
    }

    /// A component's summary: its structure, then its imports and exports as WIT.
    @Test func wasmInspectComponent() {
        let fixture = packageRoot + "/Fixtures/components/c-zig-stdio.wasm"
        let r = spin(["wasm", "inspect", fixture])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.hasPrefix("c-zig-stdio.wasm: "))
        #expect(r.out.contains("WebAssembly component (binary version 0x0d, layer 1)"))
        #expect(r.out.contains("\n   1  core module "))
        #expect(r.out.contains("= canon lower func "))
        #expect(r.out.contains("\nNested component 0 ("))
        #expect(r.out.contains("\n    import wasi:filesystem/preopens@0.2.0;\n"))
        #expect(r.out.contains("\n    export wasi:http/incoming-handler@0.2.0;\n"))
        #expect(r.out.contains("\n  interface wasi:cli/stderr@0.2.0 {\n"))
        // A malformed component: the decode error and its offset, exit status 1.
        let bad = spin(["wasm", "inspect", packageRoot + "/Fixtures/components/README.md"])
        #expect(bad.status == 1)
    }

    @Test func wasmSpectest() throws {
        // spectest has flags only; its PATHs may come between them.
        let o = try SpecTestCLI.parse(["a.json", "--verbose", "b", "--lazy"]).get()
        #expect(o.paths == ["a.json", "b"] && o.verbose && o.lazy)
        let r = spin(["wasm", "spectest"])
        #expect(r.status == 2)
        #expect(r.err.hasPrefix("error: missing <PATH>...\n"))
    }
}
