import Foundation
import SpinCommands

exit(SpinCommand.run(Array(CommandLine.arguments.dropFirst())))
