import ArgumentParsing
import Foundation
import SpinHost

#if canImport(Glibc)
    import Glibc
#endif

/// `spin registry push | pull | login`: Spin apps through an OCI registry, in Spin's artifact
/// layout (see `RegistryApp`).
public enum SpinRegistryCommand {
    public static let group = CommandGroup(
        "spin registry", abstract: "Commands for working with OCI registries to distribute applications",
        discussion:
            "Registries on localhost/127.0.0.1 are spoken to over plain HTTP; others over HTTPS unless --insecure.",
        subcommands: [
            .init("push", abstract: pushSpec.abstract) { push(arguments: $0, console: $1) },
            .init("pull", abstract: pullSpec.abstract) { pull(arguments: $0, console: $1) },
            .init("login", abstract: loginSpec.abstract) { login(arguments: $0, console: $1) },
        ])

    // MARK: push

    public struct PushOptions: Sendable {
        public var from = Manifest.defaultFileName
        public var reference: String?
        public var insecure = false
        public var build = false
        public var cacheDirectory: String?
        public var annotations: [String: String] = [:]
        public init() {}
    }

    public static let pushSpec = CommandSpec<PushOptions>(
        "spin registry push", abstract: "Push a Spin application to a registry",
        arguments: [
            .option(
                "-f", "--from", value: "APPLICATION", aliases: ["--file", "--from-file"],
                help: "The application to push: spin.toml or its directory [default: spin.toml]", \.from),
            .flag("-k", "--insecure", help: "Speak plain HTTP to the registry (no TLS)", \.insecure),
            .flag("--build", help: "Build the application before pushing it [env: SPIN_ALWAYS_BUILD]", \.build),
            .option(
                "--cache-dir", value: "DIR", help: "The cache for source.url downloads [default: ~/.cache/spin]",
                \.cacheDirectory),
            .option(
                "-a", "--annotation", value: "KEY=VALUE", help: "An annotation for the OCI manifest", repeatable: true,
                parse: Parse.keyValue
            ) { $0.annotations[$1.key] = $1.value },
            .positional("REFERENCE", help: "Where to push: [REGISTRY/]REPOSITORY[:TAG]", required: true, \.reference),
        ])

    public static func push(arguments: [String], console: Console = .standard) -> Int32 {
        pushSpec.run(arguments, defaults: PushOptions(), console: console) { o in
            let alwaysBuild = ProcessInfo.processInfo.environment["SPIN_ALWAYS_BUILD"].map { !$0.isEmpty } ?? false
            if o.build || alwaysBuild {
                let app: AppManifest
                do { app = try Manifest.load(path: o.from) } catch {
                    console.error("\(error)")
                    return 1
                }
                let status = SpinBuildCommand.build(app, only: [], console: console)
                guard status == 0 else { return status }
            }
            let reference = o.reference!
            console.print("Pushing app to the Registry...")
            do {
                let digest = try RegistryApp.push(
                    manifestPath: o.from, reference: reference, insecure: o.insecure, annotations: o.annotations,
                    cache: RegistryCache(root: o.cacheDirectory))
                console.print("Pushed with digest \(digest)")
                return 0
            } catch {
                return fail(error, console: console)
            }
        }
    }

    // MARK: pull

    public struct PullOptions: Sendable {
        public var reference: String?
        public var insecure = false
        public var cacheDirectory: String?
        public init() {}
    }

    public static let pullSpec = CommandSpec<PullOptions>(
        "spin registry pull", abstract: "Pull a Spin application from a registry into the local cache",
        arguments: [
            .flag("-k", "--insecure", help: "Speak plain HTTP to the registry (no TLS)", \.insecure),
            .option(
                "--cache-dir", value: "DIR",
                help: "The cache to pull into (registry/manifests, wasm, data) [default: ~/.cache/spin]",
                \.cacheDirectory),
            .positional(
                "REFERENCE", help: "What to pull: [REGISTRY/]REPOSITORY[:TAG][@DIGEST]", required: true, \.reference),
        ])

    public static func pull(arguments: [String], console: Console = .standard) -> Int32 {
        pullSpec.run(arguments, defaults: PullOptions(), console: console) { o in
            let reference = o.reference!
            console.print("Pulling \(reference)...")
            do {
                let pulled = try RegistryApp.pull(
                    reference: reference, insecure: o.insecure, cache: RegistryCache(root: o.cacheDirectory))
                console.print("Successfully pulled \(reference) (\(pulled.digest))")
                return 0
            } catch {
                return fail(error, console: console)
            }
        }
    }

    // MARK: login

    public struct LoginOptions: Sendable {
        public var server: String?
        public var username: String?
        public var password: String?
        public var passwordStdin = false
        public var insecure = false
        public init() {}
    }

    public static let loginSpec = CommandSpec<LoginOptions>(
        "spin registry login", abstract: "Log in to a registry",
        arguments: [
            .option("-u", "--username", value: "USERNAME", help: "The user name", \.username),
            .option("-p", "--password", value: "PASSWORD", help: "The password (prefer --password-stdin)", \.password),
            .flag("--password-stdin", help: "Read the password from standard input", \.passwordStdin),
            .flag("-k", "--insecure", help: "Speak plain HTTP to the registry (no TLS)", \.insecure),
            .positional("SERVER", help: "The registry, e.g. ghcr.io or 127.0.0.1:5000", required: true, \.server),
        ],
        discussion:
            "The credentials are checked against the registry, then stored in $XDG_CONFIG_HOME/fermyon/registry-auth.json (as Spin does)."
    )

    public static func login(arguments: [String], console: Console = .standard) -> Int32 {
        loginSpec.run(arguments, defaults: LoginOptions(), console: console) { o in
            let server = RegistryCredentials.serverKey(o.server!)
            guard let username = o.username, !username.isEmpty else {
                return loginSpec.fail("spin registry login needs --username", console: console)
            }
            var password = o.password
            if o.passwordStdin {
                guard o.password == nil else {
                    return loginSpec.fail("--password and --password-stdin cannot be used together", console: console)
                }
                let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                password =
                    text.hasSuffix("\r\n")
                    ? String(text.dropLast(2)) : text.hasSuffix("\n") ? String(text.dropLast()) : text
            }
            if password == nil, isatty(0) != 0, let p = getpass("Password: ") { password = String(cString: p) }
            guard let password, !password.isEmpty else {
                return loginSpec.fail("spin registry login needs --password or --password-stdin", console: console)
            }
            do {
                let credential = RegistryCredential(username: username, password: password)
                try RegistryApp.checkLogin(registry: server, credential: credential, insecure: o.insecure)
                try RegistryCredentials.store(credential, server: server)
                console.print("Successfully logged in as \(username) to registry \(server)")
                return 0
            } catch {
                return fail(error, console: console)
            }
        }
    }

    /// Prints a failed registry command's error (message, then its causes) and returns 1.
    static func fail(_ error: any Error, console: Console) -> Int32 {
        if let e = error as? RegistryError {
            console.error(e.message, causes: e.causes)
        } else {
            console.error("\(error)")
        }
        return 1
    }
}
