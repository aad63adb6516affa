import ArgumentParsing
import Foundation
import WasmComponents
import WasmCore
import WasmWASI
import WasmWASIP2

/// `spin wasm run FILE` for a component: a `wasi:cli/command` run with WASI 0.2.
extension WasmRunCommand {
    /// Whether `bytes` is a component binary (layer 1) rather than a core module.
    static func isComponent(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 8 && bytes[0..<4] == [0x00, 0x61, 0x73, 0x6D] && bytes[4..<8] != [1, 0, 0, 0] && bytes[6] == 1
    }

    /// Runs the command component `bytes` (from `file`); returns the exit status.
    static func runComponent(_ bytes: [UInt8], file: String, options o: Options, console: Console) -> Int32 {
        if o.invoke != nil {
            console.error("\(file): --invoke calls core-module exports; a component runs `wasi:cli/run` only")
            return 1
        }
        do {
            let component = try Component(bytes: bytes)
            let wasi = try WASI(
                configuration: WASIConfiguration(
                    args: [(file as NSString).lastPathComponent] + o.arguments, environment: o.environment,
                    preopens: o.preopens, stdin: .inherit, stdout: .inherit, stderr: .inherit))
            var configuration = EngineConfiguration()
            configuration.interruptible = o.timeout != nil
            let store = Store(configuration: configuration)
            if let timeout = o.timeout {
                _ = Watchdog.shared.arm(
                    store.interruptHandle, deadline: Watchdog.now() + UInt64(min(timeout, 1e9) * 1e9))
            }
            return Int32(bitPattern: try WASIP2Command.run(component, wasi: wasi, store: store))
        } catch let trap as Trap {
            var message = "error: wasm trap: \(trap.message)"
            if let top = trap.backtrace.first { message += "\n  in function \(top)" }
            console.err(message + "\n")
            return 134
        } catch {
            console.error("\(file): \(error)")
            return 1
        }
    }
}
