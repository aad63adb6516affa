enum Translator {
    static func translate(module: ModuleInfo, context: ModuleContext, definedIndex: Int) throws -> CompiledFunction {
        throw ValidationError("translator not implemented yet")
    }
}
