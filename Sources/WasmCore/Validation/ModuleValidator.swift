/// Validates everything of a module except function bodies. (Being written.)
public enum ModuleValidator {
    public static func validate(_ info: ModuleInfo) throws(ValidationError) -> ModuleContext {
        throw ValidationError("validator not implemented yet")
    }
}
