import ArgumentParsing
import Testing

/// The parser on its own, with a made-up command.
@Suite struct ArgumentParsingTests {
    struct Options: Equatable {
        var from = "spin.toml"
        var quiet = false
        var count = 1
        var environment: [String] = []
        var name: String?
        var files: [String] = []
    }

    static let spec = CommandSpec<Options>(
        "demo", abstract: "A command to test the parser with",
        arguments: [
            .option("-f", "--from", value: "APPLICATION", aliases: ["--file"], help: "Where the app is", \.from),
            .flag("-q", "--quiet", help: "Say less", \.quiet),
            .option("--count", value: "N", help: "How many\n(at least one)", parse: Parse.integer(in: 1...), \.count),
            .option("-e", "--env", value: "KEY=VALUE", help: "A variable", \.environment),
            .positional("NAME", help: "A name", \.name),
            .positionals("FILE", help: "Files", \.files),
        ],
        discussion: "More words.")

    func parse(_ words: [String]) throws(UsageError) -> Options? {
        try Self.spec.parse(words, into: Options())
    }

    func error(_ words: [String]) -> String? {
        do {
            _ = try parse(words)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func bothValueSyntaxesShortNamesAndAliasesAreTheSame() throws {
        for words in [["--from", "x"], ["--from=x"], ["-f", "x"], ["-f=x"], ["--file", "x"], ["--file=x"]] {
            #expect(try parse(words)?.from == "x", "\(words)")
        }
        #expect(try parse(["--from=a=b"])?.from == "a=b")
        #expect(try parse(["--from="])?.from == "")
        #expect(try parse(["--count=3"]) == parse(["--count", "3"]))
    }

    @Test func repeatableOptionsCollectAndOthersMayBeGivenOnce() throws {
        #expect(try parse(["-e", "A=1", "--env=B=2", "--env", "C="])?.environment == ["A=1", "B=2", "C="])
        #expect(error(["-f", "a", "--from", "b"]) == "--from was given more than once")
        #expect(error(["-q", "--quiet"]) == "--quiet was given more than once")
    }

    @Test func missingValues() {
        #expect(error(["--from"]) == "--from needs a value <APPLICATION>")
        #expect(error(["-f"]) == "-f needs a value <APPLICATION>")
        // The next word is an option of this command, or the end of options: not a value.
        #expect(error(["--from", "--quiet"]) == "--from needs a value <APPLICATION>")
        #expect(error(["--from", "--count=2"]) == "--from needs a value <APPLICATION>")
        #expect(error(["--from", "--"]) == "--from needs a value <APPLICATION>")
        #expect(error(["--from", "-h"]) == "--from needs a value <APPLICATION>")
    }

    @Test func unknownAndInapplicableOptions() {
        #expect(error(["--bogus"]) == "unknown option '--bogus'")
        #expect(error(["--bogus=1"]) == "unknown option '--bogus'")
        #expect(error(["-x"]) == "unknown option '-x'")
        #expect(error(["-qf"]) == "unknown option '-qf'")
        #expect(error(["--quiet=yes"]) == "--quiet takes no value (got '--quiet=yes')")
    }

    @Test func badValuesNameTheOption() {
        #expect(
            error(["--count", "many"]) == "invalid value 'many' for --count <N>: expected a whole number of at least 1")
        #expect(error(["--count=0"]) == "invalid value '0' for --count <N>: expected a whole number of at least 1")
    }

    @Test func doubleDashEndsOptions() throws {
        let o = try #require(try parse(["--", "--quiet", "-h"]))
        #expect(o.name == "--quiet")
        #expect(o.files == ["-h"])
        #expect(!o.quiet)
        #expect(try parse(["-", "-q"]) == Options(quiet: true, name: "-"))
    }

    @Test func positionalsFillInOrderBetweenOptions() throws {
        #expect(try parse(["a", "-q", "b", "c"]) == Options(quiet: true, name: "a", files: ["b", "c"]))
        #expect(try parse([]) == Options())

        struct One { var file: String? }
        let one = CommandSpec<One>(
            "one", abstract: "", arguments: [.positional("FILE", help: "", required: true, \.file)])
        #expect(throws: UsageError("unexpected argument 'b'")) { try one.parse(["a", "b"], into: One()) }
        #expect(throws: UsageError("missing <FILE>")) { try one.parse([], into: One()) }
    }

    @Test func aRemainderTakesTheRestVerbatim() throws {
        struct Run { var quiet = false, file: String?, arguments: [String] = [] }
        let spec = CommandSpec<Run>(
            "run", abstract: "",
            arguments: [
                .flag("-q", help: "", \.quiet), .positional("FILE", help: "", required: true, \.file),
                .remainder("ARGS", help: "", \.arguments),
            ])
        let r = try #require(try spec.parse(["-q", "m.wasm", "-q", "--x", "--", "-h"], into: Run()))
        #expect(r.quiet && r.file == "m.wasm")
        #expect(r.arguments == ["-q", "--x", "--", "-h"])
        #expect(try spec.parse(["--", "-m.wasm", "a"], into: Run())?.arguments == ["a"])
        #expect(spec.usage == "Usage: run [OPTIONS] <FILE> [ARGS]...")
    }

    @Test func aTrailingOptionTakesTheRestVerbatim() throws {
        struct Build { var from = "", up: [String]? }
        let spec = CommandSpec<Build>(
            "build", abstract: "",
            arguments: [
                .option("-f", value: "F", help: "", \.from),
                .trailing("-u", "--up", value: "UP_ARGS", help: "Then run up") { $0.up = $1 },
            ])
        #expect(try spec.parse(["-f", "a"], into: Build())?.up == nil)
        let b = try #require(try spec.parse(["-f", "a", "--up", "--listen", "x", "-f", "b"], into: Build()))
        #expect(b.from == "a" && b.up == ["--listen", "x", "-f", "b"])
        #expect(try spec.parse(["-u"], into: Build())?.up == [])
        #expect(spec.usage == "Usage: build [OPTIONS] [--up [UP_ARGS]...]")
    }

    @Test func forwardedOptionsAreCheckedAndPassedOnAsText() throws {
        struct Watch { var clear = false, upArgs: [String] = [] }
        let spec = CommandSpec<Watch>(
            "watch", abstract: "",
            arguments: [.flag("-c", help: "", \.clear)]
                + Self.spec.arguments.compactMap { $0.forwarded(to: \Watch.upArgs, checkingWith: Options()) })
        let w = try #require(try spec.parse(["-q", "-c", "--count=2", "-e", "K=V"], into: Watch()))
        #expect(w.clear)
        #expect(w.upArgs == ["--quiet", "--count", "2", "--env", "K=V"])
        #expect(throws: UsageError("invalid value 'x' for --count <N>: expected a whole number of at least 1")) {
            try spec.parse(["--count", "x"], into: Watch())
        }
        #expect(!spec.help.contains("--count"))
    }

    @Test func helpIsAskedForAnywhereBeforeDoubleDash() throws {
        #expect(try parse(["--help"]) == nil)
        #expect(try parse(["-q", "x", "-h"]) == nil)
        #expect(try parse(["--", "--help"])?.name == "--help")
    }

    @Test func helpTextComesFromTheDeclarations() {
        #expect(
            Self.spec.help == """
                A command to test the parser with

                Usage: demo [OPTIONS] [NAME] [FILE]...

                Arguments:
                  [NAME]     A name
                  [FILE]...  Files

                Options:
                  -f, --from <APPLICATION>  Where the app is
                  -q, --quiet               Say less
                      --count <N>           How many
                                            (at least one)
                  -e, --env <KEY=VALUE>     A variable (repeatable)
                  -h, --help                Print help

                More words.

                """)
    }

    @Test func runPrintsHelpOrTheErrorWithTheUsage() {
        let help = CapturedConsole.run { Self.spec.run(["-h"], defaults: Options(), console: $0) { _ in 7 } }
        #expect(help.status == 0)
        #expect(help.out == Self.spec.help)
        #expect(help.err.isEmpty)

        let bad = CapturedConsole.run { Self.spec.run(["--bogus"], defaults: Options(), console: $0) { _ in 7 } }
        #expect(bad.status == 2)
        #expect(bad.out.isEmpty)
        #expect(
            bad.err == """
                error: unknown option '--bogus'

                Usage: demo [OPTIONS] [NAME] [FILE]...

                For more information, try 'demo --help'.

                """)

        let ok = CapturedConsole.run { Self.spec.run(["-q"], defaults: Options(), console: $0) { $0.quiet ? 7 : 8 } }
        #expect(ok.status == 7)
    }

    @Test func groupsDispatchAndListTheirSubcommands() {
        let group = CommandGroup(
            "tool", abstract: "A tool", version: "tool 1.0",
            subcommands: [
                .init("echo", abstract: "Print the arguments") { args, console in
                    console.print(args.joined(separator: " "))
                    return 0
                }
            ])
        #expect(CapturedConsole.run { group.run(["echo", "a", "-b"], console: $0) } == (0, "a -b\n", ""))
        #expect(CapturedConsole.run { group.run(["help", "echo"], console: $0) } == (0, "--help\n", ""))
        #expect(CapturedConsole.run { group.run(["-V"], console: $0) } == (0, "tool 1.0\n", ""))
        let help = CapturedConsole.run { group.run(["--help"], console: $0) }
        #expect(help.status == 0)
        #expect(
            help.out == """
                A tool

                Usage: tool <COMMAND>

                Commands:
                  echo  Print the arguments
                  help  Print the help of the given subcommand

                Options:
                  -h, --help     Print help
                  -V, --version  Print version

                """)
        let none = CapturedConsole.run { group.run([], console: $0) }
        #expect(none.status == 2 && none.err == help.out)
        let unknown = CapturedConsole.run { group.run(["ehco"], console: $0) }
        #expect(unknown.status == 2)
        #expect(unknown.err.hasPrefix("error: unknown command 'tool ehco' (commands: echo)\n"))
        #expect(
            CapturedConsole.run { group.run(["--bogus"], console: $0) }.err.hasPrefix("error: unknown option '--bogus'")
        )
    }
}
