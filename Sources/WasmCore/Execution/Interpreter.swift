final class ExecutionStack {}
enum Interpreter {
    static func invoke(_ function: Function, _ arguments: [Value], store: Store) throws -> [Value] {
        throw Trap(.host("interpreter not implemented yet"))
    }
}
