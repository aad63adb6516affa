import Foundation
import WasmCore

let arguments = Array(CommandLine.arguments.dropFirst())
exit(SpinCommand.run(arguments))
