// swift-tools-version:6.0
import PackageDescription

/// `spin` links the Swift runtime and Foundation statically: a dynamically linked Foundation
/// program spends ~4 ms of every start in the loader and runtime set-up. The modules are compiled
/// as usual, so the static archives' own dependencies are listed here, grouped so that their
/// order does not matter.
let staticFoundation =
    ["-static-stdlib", "-Xlinker", "--start-group"]
    + [
        "Foundation", "CoreFoundation", "FoundationEssentials", "FoundationInternationalization", "_FoundationICU",
        "_FoundationCShims", "_FoundationCollections",
    ].flatMap { ["-Xlinker", "-l\($0)"] } + ["-Xlinker", "--end-group"]

let package = Package(
    name: "spin-swift",
    products: [
        .executable(name: "spin", targets: ["spin"]),
        .library(name: "WasmCore", targets: ["WasmCore"]),
        .library(name: "WasmWASI", targets: ["WasmWASI"]),
        .library(name: "WasmComponents", targets: ["WasmComponents"]),
        .library(name: "WasmWASIP2", targets: ["WasmWASIP2"]),
        .library(name: "SpinHost", targets: ["SpinHost"]),
        // For the fuzz package's `difftest` target (Fuzz/), which runs WasmSpec's differential checks.
        .library(name: "WasmSpec", targets: ["WasmSpec"]),
        .library(name: "TOML", targets: ["TOML"]),
        .library(name: "HTTP1", targets: ["HTTP1"]),
        .library(name: "RedisClient", targets: ["RedisClient"]),
    ],
    targets: [
        .target(name: "WasmCore"),
        .target(name: "WasmWASI", dependencies: ["WasmCore"]),
        // Components (the Component Model): decoding and validation, later instantiation.
        .target(name: "WasmComponents", dependencies: ["WasmCore"]),
        // WASI 0.2 (preview 2) host interfaces for components, over WasmWASI's sandbox.
        .target(name: "WasmWASIP2", dependencies: ["WasmCore", "WasmWASI", "WasmComponents"]),
        .target(name: "WasmSpec", dependencies: ["WasmCore", "WasmComponents", "ArgumentParsing"]),
        // The command-line parser every command and tool declares its options with.
        .target(name: "ArgumentParsing"),
        .target(name: "SpinTLSWire"),
        // Protocol libraries: they know nothing of Wasm.
        .target(name: "Sockets"),
        .target(name: "TOML"),
        .target(name: "HTTP1", dependencies: ["Sockets"]),
        .target(name: "RedisClient", dependencies: ["Sockets"]),
        // SHA-256, HMAC, PBKDF2, MD5: PostgreSQL authentication, OCI and `source.url` digests.
        .target(name: "Crypto"),
        .target(name: "PostgresClient", dependencies: ["Sockets", "Crypto"]),
        // The Spin runtime, then the tooling on top of it.
        .target(
            name: "SpinHost",
            dependencies: [
                "WasmCore", "WasmWASI", "WasmComponents", "WasmWASIP2", "SpinTLSWire", "TOML", "HTTP1", "RedisClient",
                "PostgresClient", "Crypto",
            ],
            // SQLite compiled to Wasm (SQLite/guest/build.sh): the resource bundle sits next to
            // the executable; SQLiteGuest also finds it in the source tree.
            exclude: ["SQLite/guest", "SQLite/sqlite_host.PROVENANCE"],
            resources: [.copy("SQLite/sqlite_host.wasm")]),
        // Its built-in templates (EmbeddedTemplates.swift) are generated at build time from
        // Templates/ and SDK/ by the EmbedTemplates plugin, which runs `embed-templates`.
        .target(name: "SpinTooling", dependencies: ["SpinHost", "TOML"], plugins: ["EmbedTemplates"]),
        .executableTarget(name: "embed-templates"),
        .plugin(name: "EmbedTemplates", capability: .buildTool(), dependencies: ["embed-templates"]),
        // The `spin` commands, as a library so tests can run them in-process.
        .target(
            name: "SpinCommands",
            dependencies: [
                "ArgumentParsing", "WasmCore", "WasmComponents", "WasmWASI", "WasmWASIP2", "WasmSpec", "SpinHost",
                "SpinTooling", "HTTP1",
            ]),
        // `spin` links no FoundationNetworking (libcurl and ~40 libraries would cost every start
        // ~4 ms): outbound https runs in the `spin-tls` helper, built with it.
        .executableTarget(
            name: "spin", dependencies: ["SpinCommands", "spin-tls"],
            linkerSettings: [.unsafeFlags(staticFoundation)]),
        .executableTarget(name: "spin-tls", dependencies: ["SpinTLSWire"]),
        .executableTarget(
            name: "spin-bench", dependencies: ["ArgumentParsing", "WasmCore", "WasmComponents", "WasmWASI", "WasmWASIP2", "SpinHost", "HTTP1"]),
        .testTarget(name: "WasmCoreTests", dependencies: ["WasmCore", "WasmSpec", "TestSupport"]),
        .testTarget(name: "WasmWASITests", dependencies: ["WasmCore", "WasmWASI", "TestSupport"]),
        .testTarget(
            name: "WasmWASIP2Tests", dependencies: ["WasmWASIP2", "WasmComponents", "WasmWASI", "WasmCore", "TestSupport"]),
        .testTarget(name: "WasmComponentsTests", dependencies: ["WasmComponents", "WasmCore", "WasmSpec"]),
        .testTarget(name: "SpinCommandsTests", dependencies: ["ArgumentParsing", "SpinCommands", "WasmSpec", "TestSupport"]),
        // Helpers the test targets share: free ports, `spin up` processes, a raw HTTP client,
        // ../shared, the fuzz fixtures, and the Redis and PostgreSQL servers the live tests start.
        .target(name: "TestSupport", dependencies: ["Sockets", "RedisClient"], path: "Tests/TestSupport"),
        .testTarget(name: "TOMLTests", dependencies: ["TOML", "TestSupport"]),
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1", "Sockets", "TestSupport"]),
        .testTarget(name: "RedisClientTests", dependencies: ["RedisClient", "TestSupport"]),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient", "Crypto"]),
        .testTarget(
            name: "SpinHostTests",
            dependencies: [
                "SpinHost", "WasmCore", "WasmWASI", "WasmComponents", "WasmWASIP2", "SpinTLSWire", "Sockets", "HTTP1", "RedisClient", "PostgresClient",
                "TestSupport",
            ]),
        .testTarget(name: "SpinToolingTests", dependencies: ["SpinTooling", "SpinHost", "WasmCore", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
