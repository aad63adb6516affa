import Foundation
import SpinHost
import SpinTooling

/// `spin build [-f FILE|DIR] [-c ID]... [-u/--up [UP_ARGS...]]`
enum SpinBuildCommand {
    static let usage = """
        Build the Spin application

        Usage: spin build [OPTIONS] [--up [UP_ARGS...]]

        Options:
          -f, --from <APPLICATION>     The application to build: spin.toml or its directory [default: spin.toml]
          -c, --component-id <ID>      Build only this component (repeatable)
          -u, --up [UP_ARGS...]        After building, run `spin up` with the rest of the arguments
          -h, --help                   Print help
        """

    struct Options {
        var from = Manifest.defaultFileName
        var fromGiven = false
        var components: [String] = []
        var up: [String]?
    }

    static func parse(_ args: [String]) throws(TemplateError) -> Options? {
        var o = Options()
        var i = 0
        while i < args.count {
            var a = args[i]
            var inline: String?
            if a.hasPrefix("--"), let eq = a.firstIndex(of: "=") {
                inline = String(a[a.index(after: eq)...])
                a = String(a[..<eq])
            }
            func value() throws(TemplateError) -> String {
                if let inline { return inline }
                i += 1
                guard i < args.count else { throw TemplateError("\(a) needs a value") }
                return args[i]
            }
            switch a {
            case "-f", "--from", "--file", "--from-file":
                o.from = try value()
                o.fromGiven = true
            case "-c", "--component-id": o.components.append(try value())
            case "-u", "--up":
                o.up = Array(args[(i + 1)...])
                return o
            case "-h", "--help": return nil
            default: throw TemplateError("unexpected argument '\(args[i])' (see spin build --help)")
            }
            i += 1
        }
        return o
    }

    static func run(_ arguments: [String]) -> Int32 {
        let o: Options
        do {
            guard let parsed = try parse(arguments) else {
                print(usage)
                return 0
            }
            o = parsed
        } catch {
            printError("\(error)")
            return 2
        }
        let app: AppManifest
        do { app = try Manifest.load(path: o.from) } catch {
            printError("\(error)")
            return 1
        }
        let status = build(app, only: o.components)
        guard status == 0, let up = o.up else { return status }
        return SpinUpCommand.run(upArguments(up, manifest: app.manifestPath))
    }

    /// Builds and reports; returns the exit code (the failing command's).
    static func build(_ app: AppManifest, only: [String]) -> Int32 {
        do {
            try BuildRunner().build(app, only: only)
            return 0
        } catch let f as BuildRunner.Failure {
            printError(f.description)
            if let hint = f.hint { FileHandle.standardError.write(Data("\(hint)\n".utf8)) }
            return f.exitCode == 0 ? 1 : f.exitCode
        } catch {
            printError("\(error)")
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
