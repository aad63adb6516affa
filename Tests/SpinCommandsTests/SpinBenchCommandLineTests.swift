import Foundation
import TestSupport
import Testing

/// spin-bench is an executable; its command line is checked by running it.
@Suite(.tags(.live)) struct SpinBenchCommandLineTests {
    static let binary: String? = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return [dir.appendingPathComponent("spin-bench").path, packageRoot + "/.build/debug/spin-bench"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    func run(_ arguments: [String]) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(Self.binary))
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test(.enabled(if: binary != nil, "spin-bench is not built (swift build)"))
    func helpBadValuesAndUnknownFlags() throws {
        let help = try run(["--help"])
        #expect(help.0 == 0)
        #expect(help.1.contains("Usage: spin-bench [OPTIONS]"))
        let unknown = try run(["--no-such-flag"])
        #expect(unknown.0 == 2)
        #expect(unknown.2.hasPrefix("error: unknown option '--no-such-flag'"))
        let a = try run(["--only=engine,nope"])
        let b = try run(["--only", "engine,nope"])
        #expect(a.0 == 2)
        #expect(a.2.hasPrefix("error: invalid value 'engine,nope' for --only <SECTIONS>: unknown section nope"))
        #expect(a == b)
        #expect(try run(["instantiate", "--help"]).1.contains("Usage: spin-bench instantiate [OPTIONS] [ITERATIONS]"))
    }
}
