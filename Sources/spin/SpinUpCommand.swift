import Foundation
import SpinHost
import WasmCore

/// `spin up`: loads an app and serves its triggers until SIGINT/SIGTERM.
enum SpinUpCommand {
    static let usage = """
        Start the Spin application

        Usage: spin up [OPTIONS]

        Options:
          -f, --from <APPLICATION>      The application to run: a spin.toml file or a folder holding one [default: spin.toml]
              --listen <ADDRESS>        The address to serve on [default: 127.0.0.1:3000]
          -e, --env <KEY=VALUE>         Pass an environment variable (key=value) to all components of the application
              --follow <ID>             Print the stdout and stderr of this component (repeatable; default: all)
              --follow-all              Print the stdout and stderr of all components
          -q, --quiet                   Do not print component stdout and stderr
          -L, --log-dir <DIR>           Where component stdio log files go [default: .spin/logs next to spin.toml]
          -h, --help                    Print help
        """

    struct Options {
        var from = "spin.toml"
        var listen = "127.0.0.1:3000"
        var environment: [String: String] = [:]
        var follow: Set<String>? = nil
        var quiet = false
        var logDirectory: String?
    }

    static func parse(_ arguments: [String]) throws -> Options? {
        var o = Options()
        var i = 0
        func value(_ flag: String) throws -> String {
            i += 1
            guard i < arguments.count else { throw AppLoadError("\(flag) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            var a = arguments[i]
            var inline: String?
            if a.hasPrefix("--"), let eq = a.firstIndex(of: "=") {
                inline = String(a[a.index(after: eq)...])
                a = String(a[..<eq])
            }
            func v() throws -> String { if let inline { return inline } else { return try value(a) } }
            switch a {
            case "-f", "--from", "--file", "--from-file": o.from = try v()
            case "--listen": o.listen = try v()
            case "-e", "--env":
                let kv = try v()
                guard let eq = kv.firstIndex(of: "=") else { throw AppLoadError("--env expects KEY=VALUE, got \"\(kv)\"") }
                o.environment[String(kv[..<eq])] = String(kv[kv.index(after: eq)...])
            case "--follow":
                var set = o.follow ?? []
                set.insert(try v())
                o.follow = set
            case "--follow-all": o.follow = nil
            case "-q", "--quiet": o.quiet = true
            case "-L", "--log-dir": o.logDirectory = try v()
            case "-h", "--help": return nil
            default: throw AppLoadError("unexpected argument '\(arguments[i])' (see spin up --help)")
            }
            i += 1
        }
        return o
    }

    static func run(_ arguments: [String]) -> Int32 {
        let options: Options
        do {
            guard let o = try parse(arguments) else {
                print(usage)
                return 0
            }
            options = o
        } catch {
            printError("\(error)")
            return 2
        }
        signal(SIGPIPE, SIG_IGN)
        let log: @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        do {
            var loadOptions = AppLoadOptions()
            loadOptions.environment = options.environment
            let app = try LoadedApp.load(path: options.from, options: loadOptions)
            let logDirectory = options.logDirectory ?? (app.manifest.baseDirectory + "/.spin/logs")
            let output = GuestOutput(follow: options.follow, quiet: options.quiet, logDirectory: logDirectory)
            let host = GuestHost(output: output)
            guard !app.manifest.httpTriggers.isEmpty else {
                printError("the application has no HTTP triggers; other trigger types are not supported yet")
                return 1
            }
            let trigger = HTTPTriggerServer(app: app, host: host, listen: options.listen, log: log)
            let router = trigger.router
            for line in router.duplicateWarningLines { log(line) }
            try trigger.start()
            print("Logging component stdio to \"\(relative(logDirectory))/\"")
            print(trigger.routeListing, terminator: "")
            fflush(nil)
            let signals = trigger.stopOnSignals { _ in log("Shutting down (waiting for in-flight requests)") }
            trigger.waitUntilStopped()
            signals.cancel()
            return 0
        } catch {
            printError("\(error)")
            return 1
        }
    }

    static func relative(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
        return path
    }
}
