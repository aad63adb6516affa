// swift-tools-version:6.0
import PackageDescription

/// The engine's hot loop is written against raw pointers; exclusivity checks
/// on its few class fields would only cost time, so they are off for WasmCore.
let engineSettings: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"])
]

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
        .library(name: "SpinHost", targets: ["SpinHost"]),
        .library(name: "TOML", targets: ["TOML"]),
        .library(name: "HTTP1", targets: ["HTTP1"]),
        .library(name: "RedisClient", targets: ["RedisClient"]),
    ],
    targets: [
        .target(name: "WasmCore", swiftSettings: engineSettings),
        .target(name: "WasmWASI", dependencies: ["WasmCore"]),
        .target(name: "WasmSpec", dependencies: ["WasmCore"]),
        .target(name: "SpinTLSWire"),
        // Protocol libraries: they know nothing of Wasm.
        .target(name: "Sockets"),
        .target(name: "TOML"),
        .target(name: "HTTP1", dependencies: ["Sockets"]),
        .target(name: "RedisClient", dependencies: ["Sockets"]),
        .target(name: "PostgresClient", dependencies: ["Sockets"]),
        .target(
            name: "SpinHost",
            dependencies: ["WasmCore", "WasmWASI", "SpinTLSWire", "TOML", "HTTP1", "RedisClient", "PostgresClient"]),
        .target(name: "SpinTooling", dependencies: ["SpinHost", "TOML"]),
        // `spin` links no FoundationNetworking (libcurl and ~40 libraries would cost every start
        // ~4 ms): outbound https runs in the `spin-tls` helper, built with it.
        .executableTarget(
            name: "spin",
            dependencies: ["WasmCore", "WasmWASI", "WasmSpec", "SpinHost", "SpinTooling", "HTTP1", "spin-tls"],
            linkerSettings: [.unsafeFlags(staticFoundation)]),
        .executableTarget(name: "spin-tls", dependencies: ["SpinTLSWire"]),
        .executableTarget(name: "spin-bench", dependencies: ["WasmCore", "WasmWASI", "SpinHost", "HTTP1"]),
        .testTarget(name: "WasmCoreTests", dependencies: ["WasmCore", "WasmSpec"]),
        .testTarget(name: "WasmWASITests", dependencies: ["WasmCore", "WasmWASI"]),
        // Helpers the test targets share: free ports, `spin up` processes, a raw HTTP client,
        // ../shared, the fuzz fixtures, and the Redis and PostgreSQL servers the live tests start.
        .target(name: "TestSupport", dependencies: ["Sockets", "RedisClient"], path: "Tests/TestSupport"),
        .testTarget(name: "TOMLTests", dependencies: ["TOML", "TestSupport"]),
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1", "Sockets", "TestSupport"]),
        .testTarget(name: "RedisClientTests", dependencies: ["RedisClient", "TestSupport"]),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient"]),
        .testTarget(
            name: "SpinHostTests",
            dependencies: [
                "SpinHost", "WasmCore", "SpinTLSWire", "Sockets", "HTTP1", "RedisClient", "PostgresClient",
                "TestSupport",
            ]),
        .testTarget(name: "SpinToolingTests", dependencies: ["SpinTooling", "SpinHost", "WasmCore", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
