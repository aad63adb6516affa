import ArgumentParsing
import Foundation
import SpinHost
import SpinTooling

/// `spin build [-f FILE|DIR] [-c ID]... [-u/--up [UP_ARGS...]]`
public enum SpinBuildCommand {
    public struct Options: Sendable {
        /// `-f/--from`: nil searches the current directory and its parents, as Spin does.
        public var from: String?
        public var components: [String] = []
        /// `--up`: the arguments for `spin up` after a successful build.
        public var up: [String]?
        public init() {}
    }

    public static let spec = CommandSpec<Options>(
        "spin build", abstract: "Build the Spin application",
        arguments: [
            .option(
                "-f", "--from", value: "APPLICATION", aliases: ["--file", "--from-file"],
                help:
                    "The application to build: spin.toml or its directory [default: spin.toml here or in a parent directory]",
                \.from),
            .option("-c", "--component-id", value: "ID", help: "Build only this component", \.components),
            .trailing(
                "-u", "--up", value: "UP_ARGS",
                help: "After building, run `spin up` with the rest of the arguments (all of them, as they are)"
            ) { $0.up = $1 },
        ])

    public static func run(arguments: [String], console: Console = .standard) -> Int32 {
        spec.run(arguments, defaults: Options(), console: console) { o in
            let app: AppManifest
            do {
                let (path, distance) = try ManifestLocator.find(o.from)
                ManifestLocator.notifyIfFromParent(path, distance: distance, console: console)
                app = try Manifest.load(path: path)
            } catch {
                console.error("\(error)")
                return 1
            }
            let status = build(app, only: o.components, console: console)
            guard status == 0, let up = o.up else { return status }
            return SpinUpCommand.run(arguments: upArguments(up, manifest: app.manifestPath), console: console)
        }
    }

    /// Builds and reports; returns the exit code (the failing command's).
    static func build(_ app: AppManifest, only: [String], console: Console) -> Int32 {
        do {
            try BuildRunner().build(app, only: only)
            return 0
        } catch let f as BuildRunner.Failure {
            console.error(f.description)
            if let hint = f.hint { console.err("\(hint)\n") }
            return f.exitCode == 0 ? 1 : f.exitCode
        } catch {
            console.error("\(error)")
            return 1
        }
    }

    /// `spin up` arguments: the user's, plus `-f <manifest>` unless they name one.
    static func upArguments(_ up: [String], manifest: String) -> [String] {
        let names = ["-f", "--from", "--file", "--from-file"]
        if up.contains(where: { a in names.contains(a) || names.contains { a.hasPrefix($0 + "=") } }) { return up }
        return ["-f", manifest] + up
    }
}
