// swift-tools-version:6.0
// The fuzz targets, kept out of the main package's build: `Scripts/fuzz` builds this
// package with `-sanitize=fuzzer` (libFuzzer supplies `main`). The entry logic lives in
// the libraries (`WasmCoreFuzzTargets`, `TOMLFuzzTargets`, `HTTP1FuzzTargets`,
// `RedisClientFuzzTargets`) so that the replay tests run exactly what was fuzzed.
import Foundation
import PackageDescription

/// A path dependency's identity is its directory name (`main`, a worktree's name, ...).
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

let package = Package(
    name: "spin-swift-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "spin-fuzz",
            dependencies: [
                .product(name: "WasmCore", package: rootIdentity),
                .product(name: "TOML", package: rootIdentity),
                .product(name: "HTTP1", package: rootIdentity),
                .product(name: "RedisClient", package: rootIdentity),
                .product(name: "WasmSpec", package: rootIdentity),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    ],
    swiftLanguageModes: [.v6]
)
