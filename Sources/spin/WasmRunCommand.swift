import Foundation
import WasmCore

/// `spin wasm run`: runs a module's `_start` or an exported function.
enum WasmRunCommand {
    static func run(_ arguments: [String]) -> Int32 {
        var invoke: String?
        var index = 0
        var file: String?
        var rest: [String] = []
        while index < arguments.count {
            let a = arguments[index]
            if file != nil {
                rest.append(a)
            } else if a == "--invoke", index + 1 < arguments.count {
                invoke = arguments[index + 1]
                index += 1
            } else {
                file = a
            }
            index += 1
        }
        guard let file else {
            printError("missing FILE.wasm")
            return 2
        }
        do {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
            let module = try Module(bytes: bytes)
            let store = Store()
            let instance = try store.instantiate(module)
            let name = invoke ?? "_start"
            guard let function = instance.function(named: name) else {
                printError("\(file) has no exported function '\(name)'")
                return 1
            }
            var args: [Value] = []
            for (t, text) in zip(function.type.parameters, rest) {
                switch t {
                case .i32: args.append(.i32(UInt32(truncatingIfNeeded: Int64(text) ?? 0)))
                case .i64: args.append(.i64(UInt64(bitPattern: Int64(text) ?? 0)))
                case .f32: args.append(.float(Float(text) ?? 0))
                case .f64: args.append(.double(Double(text) ?? 0))
                default: args.append(.zero(t))
                }
            }
            let results = try instance.invoke(name, args)
            for r in results {
                switch r {
                case .i32(let v): print(Int32(bitPattern: v))
                case .i64(let v): print(Int64(bitPattern: v))
                case .f32(let v): print(Float(bitPattern: v))
                case .f64(let v): print(Double(bitPattern: v))
                default: print(r)
                }
            }
            return 0
        } catch let trap as Trap {
            printError("trap: \(trap)")
            return 134
        } catch {
            printError("\(error)")
            return 1
        }
    }
}
