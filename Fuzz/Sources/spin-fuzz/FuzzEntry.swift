import Foundation
import HTTP1
import RedisClient
import TOML
import WasmCore
import WasmSpec

/// The libFuzzer entry point. One binary serves every target; `SPIN_FUZZ_TARGET`
/// (set by `Scripts/fuzz`) names the one to run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    selectedTarget(bytes)
    return 0
}

/// libFuzzer's driver, for when SwiftPM's entry point (not libFuzzer's `main`) starts the process.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM links an executable target with `main` aliased to `<module>_main`; this is it.
@_cdecl("spin_fuzz_main")
public func spinFuzzMain(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}

/// The target chosen by the environment, resolved once.
let selectedTarget: @Sendable ([UInt8]) -> Void = {
    let name = ProcessInfo.processInfo.environment["SPIN_FUZZ_TARGET"] ?? ""
    switch name {
    case "decode": return { WasmCoreFuzzTargets.decode($0) }
    case "compile": return { WasmCoreFuzzTargets.compile($0) }
    case "run": return { WasmCoreFuzzTargets.instantiateAndRun($0) }
    case "toml": return { TOMLFuzzTargets.toml($0) }
    case "http": return { HTTP1FuzzTargets.httpRequest($0) }
    case "resp": return { RedisClientFuzzTargets.resp($0) }
    case "difftest": return { DifferentialFuzzTarget.check($0) }
    default:
        FileHandle.standardError.write(
            Data("SPIN_FUZZ_TARGET must be one of decode, compile, run, difftest, toml, http, resp (got '\(name)')\n".utf8))
        exit(2)
    }
}()
