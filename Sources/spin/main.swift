import Foundation
import SpinCommands

exit(SpinCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
