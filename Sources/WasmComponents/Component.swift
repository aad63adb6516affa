import WasmCore

/// A decoded and validated component: immutable and `Sendable`, ready to be linked
/// (`ComponentLinker.link`) and instantiated any number of times.
///
/// Spec: WebAssembly/component-model `design/mvp/Explainer.md` and `Binary.md`.
///
/// The definitions stay in binary order (`sections`): instantiation walks them, building
/// index spaces like the ones `indexSpaces` describes (the type of every entry). Nested core
/// modules are validated WasmCore `Module`s (`modules`, in definition order), nested
/// components are `Component`s (`components`), and every type lives in `types`.
public final class Component: Sendable {
    /// The outermost binary (nested components share it).
    public let bytes: [UInt8]
    /// This component's sections, in binary order.
    public let syntax: ComponentSyntax
    /// The type of every entry of every index space, in index order.
    public let indexSpaces: ComponentIndexSpaces
    /// This component's type: its imports and exports.
    public let typeID: TypeID
    /// Every type of the component tree.
    public let types: ComponentTypes
    /// The core modules this component defines (not imported ones), in definition order.
    public let modules: [Module]
    /// The components this component defines, in definition order.
    public let components: [Component]
    /// What this component (not its nested components) uses beyond the synchronous ABI (the
    /// async ABI, threads, start functions with values). Linking refuses start functions;
    /// async lifts and lowers run when the callee completes without waiting, and the other
    /// built-ins trap when called.
    public let unsupportedFeatures: [ComponentUnsupportedError]

    /// Decodes and validates a component binary.
    ///
    /// Throws `ComponentDecodeError` when the binary is malformed and
    /// `ComponentValidationError` when it is invalid.
    public convenience init(bytes: [UInt8], options: ComponentValidationOptions = ComponentValidationOptions()) throws {
        let syntax = try ComponentDecoder.decode(bytes)
        try self.init(bytes: bytes, syntax: syntax, options: options)
    }

    /// Validates an already decoded component.
    public convenience init(bytes: [UInt8], syntax: ComponentSyntax, options: ComponentValidationOptions) throws {
        let validator = ComponentValidator(options: options)
        let info = try validator.validateComponent(syntax)
        self.init(bytes: bytes, info: info, types: validator.types)
    }

    init(bytes: [UInt8], info: ComponentInfo, types: ComponentTypes) {
        self.bytes = bytes
        self.syntax = info.syntax
        self.indexSpaces = info.spaces
        self.typeID = info.type
        self.types = types
        self.modules = info.modules
        self.components = info.nested.map { Component(bytes: bytes, info: $0, types: types) }
        self.unsupportedFeatures = info.unsupported
    }

    /// The component's type.
    public var type: ComponentType { types.component(typeID)! }

    /// Imports, in order, with their types.
    public var imports: OrderedMap<ComponentEntityType> { type.imports }

    /// Exports, in order, with their types.
    public var exports: OrderedMap<ComponentEntityType> { type.exports }

    /// Throws the first feature this component or a nested one uses beyond the synchronous
    /// ABI (for hosts that want to refuse such components up front).
    public func checkSupported() throws(ComponentUnsupportedError) {
        if let first = unsupportedFeatures.first { throw first }
        for c in components { try c.checkSupported() }
    }
}
