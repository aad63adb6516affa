import ArgumentParsing
import Dispatch
import Foundation
import SpinHost
import SpinTooling

#if canImport(Glibc)
    import Glibc
#endif

/// `spin watch [-f FILE|DIR] [-c/--clear] [-d/--debounce MS] [--skip-build] [UP_OPTIONS] [-- UP_ARGS...]`
///
/// Builds the app, runs `spin up` as a child process, and polls the manifest,
/// each component's `build.watch` globs and its `files` mounts. A change to
/// the manifest rebuilds everything; a change to a component's watched files
/// rebuilds that component; a change to assets only restarts. After a
/// successful rebuild the child `spin up` is restarted.
public enum SpinWatchCommand {
    public struct Options: Sendable {
        /// `-f/--from`: nil searches the current directory and its parents, as Spin does.
        public var from: String?
        public var clear = false
        public var debounceMS = 100
        public var skipBuild = false
        /// Arguments for `spin up`.
        public var upArgs: [String] = []
        public init() {}
    }

    /// Watch's own options, then `spin up`'s (but `-f`, which watch has too), passed to it.
    public static let spec = CommandSpec<Options>(
        "spin watch", abstract: "Build and run the Spin application, rebuilding and restarting it when files change",
        arguments: [
            .option(
                "-f", "--from", value: "APPLICATION", aliases: ["--file"],
                help:
                    "The application to watch: spin.toml or its directory [default: spin.toml here or in a parent directory]",
                \.from),
            .flag("-c", "--clear", help: "Clear the screen before each rebuild", \.clear),
            .option(
                "-d", "--debounce", value: "MS", help: "Wait this long for changes to settle [default: 100]",
                parse: Parse.integer(in: 0...), \.debounceMS),
            .flag("--skip-build", help: "Only restart `spin up` on changes; never build", \.skipBuild),
        ]
            + SpinUpCommand.spec.arguments.filter { argument in
                !["-f", "--from-file", "--from-registry", "-c"].contains { argument.names.contains($0) }
            }.compactMap {
                $0.forwarded(to: \Options.upArgs, checkingWith: SpinUpCommand.Options())
            }
            + [
                .positionals(
                    "UP_ARGS", help: "Arguments for `spin up`: after `--`, passed as they are", \.upArgs)
            ],
        discussion: """
            `spin up`'s options (--listen, -e, --follow, -q, --runtime-config-file, the guest limits...;
            see `spin up --help`) are accepted here and passed to each `spin up` this starts, as is
            everything after `--`: `spin watch --listen 127.0.0.1:3001`, `spin watch -- --quiet`.
            A change to the manifest rebuilds everything; a change to a component's build.watch
            files rebuilds that component; a change to its `files` only restarts `spin up`.
            """)

    /// The running `spin up`, reachable from the signal handler.
    final class Child: @unchecked Sendable {
        private let lock = NSLock()
        private var process: Process?

        func start(_ arguments: [String]) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: executablePath())
            p.arguments = ["up"] + arguments
            do { try p.run() } catch {
                printError("cannot start spin up: \(error.localizedDescription)")
                return
            }
            lock.lock()
            process = p
            lock.unlock()
        }

        func stop() {
            lock.lock()
            let p = process
            process = nil
            lock.unlock()
            guard let p, p.isRunning else { return }
            p.interrupt()
            let deadline = Date().addingTimeInterval(3)
            while p.isRunning && Date() < deadline { usleep(20_000) }
            if p.isRunning {
                p.terminate()
                p.waitUntilExit()
            }
        }

        /// The exit status when the child has exited on its own.
        func exitedStatus() -> Int32? {
            lock.lock()
            defer { lock.unlock() }
            guard let p = process, !p.isRunning else { return nil }
            process = nil
            return p.terminationStatus
        }
    }

    /// Unbuffered, so it interleaves correctly with the build output.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func executablePath() -> String {
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }

    public static func run(arguments: [String], console: Console = .standard) -> Int32 {
        spec.run(arguments, defaults: Options(), console: console) { run($0, console: console) }
    }

    /// Watches until SIGINT/SIGTERM, which exit the process.
    static func run(_ o: Options, console: Console) -> Int32 {
        let manifestPath: String
        do {
            let (path, distance) = try ManifestLocator.find(o.from)
            ManifestLocator.notifyIfFromParent(path, distance: distance, console: console)
            manifestPath = path
        } catch {
            console.error("\(error)")
            return 1
        }

        let child = Child()
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler {
                child.stop()
                exit(0)
            }
            s.resume()
            sources.append(s)
        }
        defer { sources.forEach { $0.cancel() } }

        let upArgs = SpinBuildCommand.upArguments(o.upArgs, manifest: manifestPath)
        let poll: UInt32 = 250_000
        func settle() { usleep(UInt32(o.debounceMS) * 1000) }
        func clearScreen() {
            if o.clear { FileHandle.standardOutput.write(Data("\u{1B}[2J\u{1B}[H".utf8)) }
        }

        var app: AppManifest?
        var plan: WatchPlan?
        var manifestStamp = FileSnapshot()
        var buildStamps: [String: FileSnapshot] = [:]
        var assetStamp = FileSnapshot()

        func snapshotAll() {
            guard let plan else { return }
            manifestStamp = plan.manifestSnapshot()
            buildStamps = [:]
            for entry in plan.buildPatterns {
                buildStamps[entry.component] = plan.buildSnapshot(component: entry.component)
            }
            assetStamp = plan.assetSnapshot()
        }

        /// Loads the manifest, builds `only` (all when empty), (re)starts spin up.
        func reload(rebuild only: [String]?, restart: Bool) {
            clearScreen()
            do {
                let loaded = try Manifest.load(path: manifestPath)
                app = loaded
                plan = WatchPlan(app: loaded, manifestPath: manifestPath)
            } catch {
                console.error("\(error)")
                app = nil
                plan = WatchPlan(manifestPath: manifestPath)
                snapshotAll()
                return
            }
            var ok = true
            if !o.skipBuild, let app, let only {
                ok = SpinBuildCommand.build(app, only: only, console: console) == 0
            }
            snapshotAll()
            if ok && restart {
                child.stop()
                child.start(upArgs)
            } else if !ok {
                say("Build failed; waiting for changes (the previous version keeps running, if any).")
            }
        }

        reload(rebuild: [], restart: true)
        while true {
            usleep(poll)
            if let status = child.exitedStatus() {
                say("spin up exited with status \(status); waiting for changes.")
            }
            guard let plan else { continue }
            if !manifestStamp.changes(to: plan.manifestSnapshot()).isEmpty {
                settle()
                say("Manifest changed: rebuilding and restarting")
                reload(rebuild: [], restart: true)
                continue
            }
            var changed: [String] = []
            for entry in plan.buildPatterns {
                let now = plan.buildSnapshot(component: entry.component)
                if !(buildStamps[entry.component] ?? FileSnapshot()).changes(to: now).isEmpty {
                    changed.append(entry.component)
                }
            }
            if !changed.isEmpty {
                settle()
                say("Files changed in \(changed.joined(separator: ", ")): rebuilding and restarting")
                reload(rebuild: changed, restart: true)
                continue
            }
            if !assetStamp.changes(to: plan.assetSnapshot()).isEmpty {
                settle()
                say("Assets changed: restarting")
                reload(rebuild: nil, restart: true)
            }
        }
    }
}
