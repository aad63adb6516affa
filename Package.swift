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
        .library(name: "SpinHost", targets: ["SpinHost"]),
        // For the fuzz package's `difftest` target (Fuzz/), which runs WasmSpec's differential checks.
        .library(name: "WasmSpec", targets: ["WasmSpec"]),
    ],
    targets: [
        .target(name: "WasmCore"),
        .target(name: "WasmWASI", dependencies: ["WasmCore"]),
        // Components (the Component Model): decoding and validation, later instantiation.
        .target(name: "WasmComponents", dependencies: ["WasmCore"]),
        .target(name: "WasmSpec", dependencies: ["WasmCore", "WasmComponents", "ArgumentParsing"]),
        // The command-line parser every command and tool declares its options with.
        .target(name: "ArgumentParsing"),
        .target(name: "SpinTLSWire"),
        .target(name: "SpinHost", dependencies: ["WasmCore", "WasmWASI", "SpinTLSWire"]),
        // The `spin` commands, as a library so tests can run them in-process.
        .target(
            name: "SpinCommands",
            dependencies: ["ArgumentParsing", "WasmCore", "WasmComponents", "WasmWASI", "WasmSpec", "SpinHost"]),
        // `spin` links no FoundationNetworking (libcurl and ~40 libraries would cost every start
        // ~4 ms): outbound https runs in the `spin-tls` helper, built with it.
        .executableTarget(
            name: "spin", dependencies: ["SpinCommands", "spin-tls"],
            linkerSettings: [.unsafeFlags(staticFoundation)]),
        .executableTarget(name: "spin-tls", dependencies: ["SpinTLSWire"]),
        .executableTarget(name: "spin-bench", dependencies: ["ArgumentParsing", "WasmCore", "WasmWASI", "SpinHost"]),
        .testTarget(name: "WasmCoreTests", dependencies: ["WasmCore", "WasmSpec"]),
        .testTarget(name: "WasmWASITests", dependencies: ["WasmCore", "WasmWASI"]),
        .testTarget(name: "WasmComponentsTests", dependencies: ["WasmComponents", "WasmCore", "WasmSpec"]),
        .testTarget(name: "SpinCommandsTests", dependencies: ["ArgumentParsing", "SpinCommands", "WasmSpec"]),
        .testTarget(name: "SpinHostTests", dependencies: ["SpinHost", "WasmCore", "WasmWASI", "SpinTLSWire"]),
    ],
    swiftLanguageModes: [.v6]
)
