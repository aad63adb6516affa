import Foundation
import TestSupport
import Testing
import WasmCore
import WasmWASI

/// Guests whose output under wasmtime is recorded next to them (`Fixtures/wasi/build.sh`
/// writes `<guest>.expected`): run through our engine and WASI, they must print the same.
@Suite struct WasmtimeParityTests {
    static let guests = ["rights", "times"]

    /// The `wasmtime` executable on the PATH, if any.
    static let wasmtime: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "")
        .split(separator: ":")
        .map { "\($0)/wasmtime" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static func expected(_ guest: String) throws -> [Substring] {
        let url = GuestIntegrationTests.fixtures.appendingPathComponent("\(guest).expected")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Runs `<guest>.wasm` as the build script runs it under wasmtime: "/sandbox" an
    /// empty directory, stdin empty, stdout and stderr not terminals.
    @Test(arguments: guests) func printsWhatWasmtimePrinted(guest: String) throws {
        let tree = try TempTree()
        let out = OutputBuffer()
        let wasi = try WASI(
            configuration: WASIConfiguration(
                args: ["\(guest).wasm"], preopens: [.init(hostPath: tree.sandbox, guestPath: "/sandbox")],
                stdin: .bytes([]), stdout: .buffer(out), stderr: .buffer(out)))
        let module = try Module(bytes: GuestIntegrationTests.fixture("\(guest).wasm"))
        let store = Store()
        let instance = try store.instantiate(module, imports: wasi.imports())
        #expect(try wasi.runCommand(instance) == 0)
        let lines = out.string.split(separator: "\n", omittingEmptySubsequences: false)
        let expected = try Self.expected(guest)
        #expect(lines.count == expected.count)
        for (line, wanted) in zip(lines, expected) { #expect(line == wanted) }
    }

    /// The recorded output is still what this machine's wasmtime prints.
    @Test(.tags(.live), .enabled(if: wasmtime != nil, "wasmtime is not on the PATH"), arguments: guests)
    func recordingMatchesWasmtime(guest: String) throws {
        let sandbox = FileManager.default.temporaryDirectory.appendingPathComponent("wasmtime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: sandbox, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: sandbox) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.wasmtime))
        process.arguments = [
            "run", "--dir", "\(sandbox.path)::/sandbox",
            GuestIntegrationTests.fixtures.appendingPathComponent("\(guest).wasm").path,
        ]
        let pipe = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines == (try Self.expected(guest)))
    }
}
