import Foundation
import WasmComponents
import WasmCore

/// Runs wast2json scripts (the WebAssembly spec tests converted to JSON + binary modules)
/// against WasmCore.
///
/// Error kinds expected per command:
/// * `assert_malformed` (binary): `Module(bytes:)` throws `DecodeError`;
/// * `assert_invalid`: `Module(bytes:)` throws `ValidationError`;
/// * `assert_unlinkable`: the module loads, `Store.instantiate` throws `LinkError`;
/// * `assert_uninstantiable`: the module loads, `Store.instantiate` throws a `Trap` whose message
///   starts like the expected text (or the text starts like the message);
/// * `assert_trap`: the action throws a `Trap`, messages compared the same way;
/// * `assert_exhaustion`: the action throws `Trap(.callStackExhausted)`.
///
/// For malformed / invalid / unlinkable only the kind of error decides; a message that differs
/// from the script's text is recorded as a note on the passed result.
///
/// Component binaries (layer 1 in the preamble, as in the Component Model's reference tests)
/// are decoded and validated with WasmComponents: `module` passes when the component is valid,
/// `assert_malformed` wants a `ComponentDecodeError`, `assert_invalid` a
/// `ComponentValidationError` (messages compared by containment, as wasmtime's `wast` does).
/// Components are instantiated with a `ComponentLinker` holding the functions of registered
/// component instances (`register` makes them importable as an instance); `invoke`, `assert_return` and
/// `assert_trap` call their exports with component values (converted with the function's
/// type; traps compared by containment, a leading "wasm trap: " ignored). A component whose
/// imports the script cannot provide, or that uses what does not run, passes as "validated;
/// not instantiated (why)" and commands on it are skipped with that reason.
/// Each instantiation and invocation runs inside `do`/`catch`; no command can stop the run
/// (short of the engine crashing the process).
public final class SpecTestRunner {
    public struct Options: Sendable {
        /// Also accept a `ValidationError` for `assert_malformed` and a `DecodeError` for
        /// `assert_invalid` (the pass then carries a note). Off by default: the kind must be right.
        public var looseErrorKinds: Bool
        /// Commands not to run, by `.wast` line, each with the reason. A skipped `module`
        /// leaves no current module (commands using it then fail).
        public var skippedLines: [Int: String]
        /// The engine configuration of each script's store.
        public var configuration: EngineConfiguration
        /// How modules are compiled. With `.lazy`, every function body is translated on its
        /// first call, and `assert_invalid`/`assert_malformed` translate all bodies
        /// (`Module.translateAll()`) to find the error the spec expects at load.
        public var compilation: CompilationMode
        /// false: modules get the reference translation (`Module(bytes:optimize: false)`).
        public var optimize: Bool

        public init(
            looseErrorKinds: Bool = false, skippedLines: [Int: String] = [:],
            configuration: EngineConfiguration = EngineConfiguration(), compilation: CompilationMode = .eager,
            optimize: Bool = true
        ) {
            self.optimize = optimize
            self.looseErrorKinds = looseErrorKinds
            self.skippedLines = skippedLines
            self.configuration = configuration
            self.compilation = compilation
        }
    }

    public let options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Runs the script at `path` (a `.json` file); module files are resolved relative to its folder.
    /// An unreadable or unparsable script gives a single failed result at line 0.
    public func run(file path: String) -> SpecFileResult {
        let url = URL(fileURLWithPath: path)
        let fileName = url.lastPathComponent
        let script: SpecScript
        switch SpecTestRunner.load(path) {
        case .success(let s): script = s
        case .failure(let error):
            return SpecFileResult(
                fileName: fileName, sourceFilename: fileName,
                results: [SpecCommandResult(line: 0, type: "script", outcome: .failed(error.message))])
        }
        return run(script: script, fileName: fileName, directory: url.deletingLastPathComponent().path)
    }

    /// Runs an already parsed script whose module files are in `directory`.
    public func run(script: SpecScript, fileName: String, directory: String) -> SpecFileResult {
        let state = ScriptState(directory: directory, options: options)
        var results: [SpecCommandResult] = []
        results.reserveCapacity(script.commands.count)
        for command in script.commands {
            let outcome: SpecOutcome
            if let reason = options.skippedLines[command.line] {
                state.skip(command, reason: reason)
                outcome = .skipped(reason)
            } else {
                outcome = state.execute(command)
            }
            results.append(SpecCommandResult(line: command.line, type: command.type, outcome: outcome))
        }
        return SpecFileResult(fileName: fileName, sourceFilename: script.sourceFilename, results: results)
    }

    /// A result that marks every command of the script at `path` as skipped for `reason`
    /// without running anything (e.g. SIMD scripts).
    public static func skippedResult(file path: String, reason: String) -> SpecFileResult {
        let fileName = URL(fileURLWithPath: path).lastPathComponent
        switch load(path) {
        case .success(let script):
            return SpecFileResult(
                fileName: fileName, sourceFilename: script.sourceFilename,
                results: script.commands.map {
                    SpecCommandResult(line: $0.line, type: $0.type, outcome: .skipped(reason))
                })
        case .failure(let error):
            return SpecFileResult(
                fileName: fileName, sourceFilename: fileName,
                results: [SpecCommandResult(line: 0, type: "script", outcome: .failed(error.message))])
        }
    }

    static func load(_ path: String) -> Result<SpecScript, SpecParseError> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(SpecParseError("cannot read \(path)"))
        }
        do {
            return .success(try SpecScript.parse(data: data))
        } catch {
            return .failure(SpecParseError("\(path): \(error.message)"))
        }
    }

    /// The `spectest` host module of the spec's reference interpreter, made of fresh objects:
    /// `print*` functions that do nothing, immutable globals `global_i32` = 666,
    /// `global_i64` = 666, `global_f32` = 666.6, `global_f64` = 666.6, `table` (funcref, 10..20)
    /// `table64` (funcref, 10..20, i64 indices) and `memory` (1..2 pages).
    public static func spectestImports() throws -> Imports {
        var imports = Imports()
        let module = "spectest"
        let printers: [(String, [ValueType])] = [
            ("print", []), ("print_i32", [.i32]), ("print_i64", [.i64]), ("print_f32", [.f32]),
            ("print_f64", [.f64]), ("print_i32_f32", [.i32, .f32]), ("print_f64_f64", [.f64, .f64]),
        ]
        for (name, parameters) in printers {
            let f = Function(type: FunctionType(parameters: parameters, results: [])) { _, _ in [] }
            imports.define(module: module, name: name, .function(f))
        }
        let globals: [(String, Value)] = [
            ("global_i32", .i32(666)), ("global_i64", .i64(666)),
            ("global_f32", .f32(0x4426_a666)), ("global_f64", .f64(0x4084_d4cc_cccc_cccd)),
        ]
        for (name, value) in globals {
            let g = Global(type: GlobalType(valueType: value.type, isMutable: false), value: value)
            imports.define(module: module, name: name, .global(g))
        }
        let table = try Table(type: TableType(elementType: .funcref, limits: Limits(min: 10, max: 20)))
        imports.define(module: module, name: "table", .table(table))
        // Wasm 3.0 (memory64): a table with i64 indices.
        let table64 = try Table(type: TableType(elementType: .funcref, limits: Limits(min: 10, max: 20), is64: true))
        imports.define(module: module, name: "table64", .table(table64))
        let memory = try Memory(type: MemoryType(limits: Limits(min: 1, max: 2)))
        imports.define(module: module, name: "memory", .memory(memory))
        // The threads proposal's spectest module also exports a shared memory.
        let sharedMemory = try Memory(type: MemoryType(limits: Limits(min: 1, max: 2), isShared: true))
        imports.define(module: module, name: "shared_memory", .memory(sharedMemory))
        return imports
    }

    /// Why component commands the runner does not run (`assert_unlinkable` and
    /// `assert_uninstantiable` of a component, registering one that was not instantiated) are
    /// skipped.
    public static let componentSkipReason = "link-failure assertions of components are not supported"

    /// Whether a component error's message agrees with a script's expected text: the text is
    /// contained in it (wasmtime's rule for the Component Model's tests); empty matches anything.
    public static func componentMessageMatches(_ actual: String, expected: String) -> Bool {
        expected.isEmpty || actual.contains(expected)
    }

    /// Whether a trap message and a script's expected text agree: either is a prefix of the other
    /// (so "uninitialized element" matches "uninitialized element 2"); an empty text matches anything.
    public static func messageMatches(_ actual: String, expected: String) -> Bool {
        if expected.isEmpty { return true }
        if actual.isEmpty { return false }
        return expected.hasPrefix(actual) || actual.hasPrefix(expected)
    }

    /// A readable description of an error the engine threw, naming its kind.
    public static func describe(_ error: any Error) -> String {
        switch error {
        case let e as DecodeError: "malformed (DecodeError): \(e)"
        case let e as ValidationError: "invalid (ValidationError): \(e)"
        case let e as LinkError: "unlinkable (LinkError): \(e)"
        case let e as Trap: "trap: \(e)"
        case let e as RunnerError: e.message
        case let e as ComponentDecodeError: "malformed (ComponentDecodeError): \(e)"
        case let e as ComponentValidationError: "invalid (ComponentValidationError): \(e)"
        default: "\(type(of: error)): \(error)"
        }
    }
}

/// A problem of the script or the runner itself (no such module or export, unsupported value).
struct RunnerError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// The state of one script: its store, registry, current and named modules.
private final class ScriptState {
    /// A module slot: an instance, or why there is none.
    enum Target {
        case instance(Instance)
        case missing(String)
        /// A component instance.
        case component(ComponentInstance)
        /// A validated component that could not be instantiated (imports the script does not
        /// provide, features that do not run): anything needing its instance is skipped.
        case componentNotInstantiated(String)
    }

    let directory: String
    let options: SpecTestRunner.Options
    let store: Store
    var imports: Imports
    /// Why the `spectest` module could not be created, if it could not.
    var setupError: String?
    var current: Target = .missing("no module has been loaded yet")
    var named: [String: Target] = [:]
    var definitions: [String: Result<Module, RunnerError>] = [:]
    /// Component definitions, by name.
    var componentDefinitions: [String: Component] = [:]
    /// What components import: the functions of registered component instances.
    var componentLinker = ComponentLinker()

    init(directory: String, options: SpecTestRunner.Options) {
        self.directory = directory
        self.options = options
        self.store = Store(configuration: options.configuration)
        do {
            imports = try SpecTestRunner.spectestImports()
        } catch {
            imports = Imports()
            setupError = "cannot create the spectest module: \(SpecTestRunner.describe(error))"
        }
    }

    // MARK: Commands

    /// Keeps the module state right when a command is skipped.
    func skip(_ command: SpecCommand, reason: String) {
        switch command.kind {
        case .module(let name, _, let definition):
            let target = Target.missing("the module at line \(command.line) was skipped (\(reason))")
            if definition {
                if let name {
                    definitions[name] = .failure(
                        RunnerError("the module definition at line \(command.line) was skipped"))
                }
            } else {
                current = target
                if let name { named[name] = target }
            }
        case .instance(let name, _):
            let target = Target.missing("the instance at line \(command.line) was skipped (\(reason))")
            current = target
            if let name { named[name] = target }
        default:
            break
        }
    }

    func execute(_ command: SpecCommand) -> SpecOutcome {
        let line = command.line
        switch command.kind {
        case .module(let name, let filename, let definition):
            if filename.hasSuffix(".wat") {
                let reason = "text-format module \(filename) (no text parser)"
                skip(command, reason: reason)
                return .skipped(reason)
            }
            if let bytes = try? readFile(filename), Self.isComponent(bytes) {
                let component: Component
                do {
                    component = try Component(bytes: bytes)
                } catch {
                    let reason = "component \(filename): \(SpecTestRunner.describe(error))"
                    if definition {
                        definitions[name ?? ""] = .failure(
                            RunnerError("the component definition at line \(line) failed: \(reason)"))
                    } else {
                        setCurrent(.missing("the component at line \(line) failed to load: \(reason)"), name: name)
                    }
                    return .failed(reason)
                }
                if definition {
                    componentDefinitions[name ?? ""] = component
                    return .passed()
                }
                return instantiateComponent(component, name: name, line: line)
            }
            if definition {
                let key = name ?? ""
                do {
                    definitions[key] = .success(try loadModule(filename))
                    return .passed()
                } catch {
                    let reason = "module definition \(filename): \(SpecTestRunner.describe(error))"
                    definitions[key] = .failure(RunnerError("the module definition at line \(line) failed: \(reason)"))
                    return .failed(reason)
                }
            }
            do {
                let module = try loadModule(filename)
                let instance = try instantiate(module)
                setCurrent(.instance(instance), name: name)
                return .passed()
            } catch {
                let reason = "module \(filename): \(SpecTestRunner.describe(error))"
                setCurrent(.missing("the module at line \(line) failed to load: \(reason)"), name: name)
                return .failed(reason)
            }

        case .instance(let name, let definition) where componentDefinitions[definition] != nil:
            return instantiateComponent(componentDefinitions[definition]!, name: name, line: line)

        case .instance(let name, let definition):
            do {
                guard let loaded = definitions[definition] else {
                    throw RunnerError("no module definition named \(definition)")
                }
                let instance = try instantiate(try loaded.get())
                setCurrent(.instance(instance), name: name)
                return .passed()
            } catch {
                let reason = "instance of \(definition): \(SpecTestRunner.describe(error))"
                setCurrent(.missing("the instance at line \(line) failed: \(reason)"), name: name)
                return .failed(reason)
            }

        case .register(let name, let registeredName):
            switch target(name) {
            case .instance(let instance):
                imports.removeModule(registeredName)
                imports.define(module: registeredName, instance: instance)
                return .passed()
            case .missing(let why):
                return .failed("cannot register \(name ?? "the current module") as \"\(registeredName)\": \(why)")
            case .component(let instance):
                // Later components may import the instance's functions as `registeredName`.
                for export in instance.exportNames {
                    guard let f = instance.function(interface: nil, name: export) else { continue }
                    componentLinker.defineFunction(interface: registeredName, name: export) { _, arguments in
                        try f.call(arguments)
                    }
                }
                return .passed()
            case .componentNotInstantiated:
                return .skipped(SpecTestRunner.componentSkipReason)
            }

        case .action(let action) where isComponentTarget(action.module),
            .assertReturn(let action, _) where isComponentTarget(action.module),
            .assertTrap(let action, _) where isComponentTarget(action.module),
            .assertExhaustion(let action, _) where isComponentTarget(action.module),
            .assertException(let action) where isComponentTarget(action.module):
            return executeComponent(command.kind, action)

        case .action(let action):
            do {
                _ = try perform(action)
                return .passed()
            } catch {
                return .failed("\(describe(action)): \(SpecTestRunner.describe(error))")
            }

        case .assertReturn(let action, let alternatives):
            for expected in alternatives.joined() {
                switch expected {
                case .v128(let laneType, let lanes):
                    // Lane count and numbers must make a vector (NaN patterns stand for any number).
                    let numbers = lanes.map { NaNPattern(rawValue: $0) == nil ? $0 : "0" }
                    if SpecValue.vector(laneType: laneType, lanes: numbers) == nil {
                        return .failed("malformed v128 expectation \(expected)")
                    }
                case .unsupported(let type, _):
                    return .failed("\(type) results are not supported")
                default:
                    break
                }
            }
            let results: [Value]
            do {
                results = try perform(action)
            } catch {
                return .failed("\(describe(action)): \(SpecTestRunner.describe(error))")
            }
            for expected in alternatives where expected.count == results.count {
                if zip(expected, results).allSatisfy({ $0.matches($1) }) { return .passed() }
            }
            let got = "[" + results.map(SpecValue.describe).joined(separator: ", ") + "]"
            let want = alternatives.map { "[" + $0.map(\.description).joined(separator: ", ") + "]" }
            let wantText = want.count == 1 ? want[0] : "one of " + want.joined(separator: " | ")
            return .failed("\(describe(action)): expected \(wantText), got \(got)")

        case .assertTrap(let action, let text):
            do {
                let results = try perform(action)
                return .failed(
                    "\(describe(action)): expected trap \"\(text)\", got results \(results.map(SpecValue.describe))")
            } catch let trap as Trap {
                if SpecTestRunner.messageMatches(trap.message, expected: text) { return .passed() }
                return .failed("\(describe(action)): trapped with \"\(trap.message)\", expected \"\(text)\"")
            } catch {
                return .failed("\(describe(action)): expected trap \"\(text)\", got \(SpecTestRunner.describe(error))")
            }

        case .assertExhaustion(let action, let text):
            do {
                let results = try perform(action)
                return .failed(
                    "\(describe(action)): expected \"\(text)\", got results \(results.map(SpecValue.describe))")
            } catch let trap as Trap {
                if trap.reason == .callStackExhausted { return .passed() }
                return .failed(
                    "\(describe(action)): trapped with \"\(trap.message)\", expected \"\(text)\" (.callStackExhausted)")
            } catch {
                return .failed("\(describe(action)): expected \"\(text)\", got \(SpecTestRunner.describe(error))")
            }

        case .assertException(let action):
            do {
                let results = try perform(action)
                return .failed(
                    "\(describe(action)): expected an exception, got results \(results.map(SpecValue.describe))")
            } catch is WasmCore.Exception {
                return .passed()
            } catch {
                return .failed("\(describe(action)): expected an exception, got \(SpecTestRunner.describe(error))")
            }

        case .assertMalformed(let file):
            if file.moduleType == .text { return .skipped("text-format module \(file.filename) (no text parser)") }
            return expectLoadFailure(file, wantDecodeError: true)

        case .assertInvalid(let file):
            if file.moduleType == .text { return .skipped("text-format module \(file.filename) (no text parser)") }
            return expectLoadFailure(file, wantDecodeError: false)

        case .assertUnlinkable(let file), .assertUninstantiable(let file):
            if file.moduleType == .binary, let bytes = try? readFile(file.filename), Self.isComponent(bytes) {
                return .skipped(SpecTestRunner.componentSkipReason)
            }
            return expectInstantiationFailure(command.kind, file)

        case .unsupported(let type):
            return .skipped("command kind \(type) is not supported by this runner")
        }
    }

    private func isComponentTarget(_ name: String?) -> Bool {
        switch target(name) {
        case .component, .componentNotInstantiated: return true
        default: return false
        }
    }

    // MARK: Components

    /// Links a component against an empty host and instantiates it. Imports the script
    /// cannot provide and features that do not run leave it validated but not instantiated.
    private func instantiateComponent(_ component: Component, name: String?, line: Int) -> SpecOutcome {
        let linked: LinkedComponent
        do {
            linked = try componentLinker.link(component)
        } catch {
            let reason = "validated; not instantiated (\(SpecTestRunner.describe(error)))"
            setCurrent(.componentNotInstantiated(reason), name: name)
            return .passed(note: reason)
        }
        do {
            setCurrent(.component(try linked.instantiate(in: store)), name: name)
            return .passed()
        } catch let error as ComponentUnsupportedError {
            let reason = "validated; not instantiated (\(error))"
            setCurrent(.componentNotInstantiated(reason), name: name)
            return .passed(note: reason)
        } catch {
            let reason = "component instantiation: \(SpecTestRunner.describe(error))"
            setCurrent(.missing("the component at line \(line) failed to instantiate: \(reason)"), name: name)
            return .failed(reason)
        }
    }

    /// Calls a component export with the script's arguments.
    private func invokeComponent(_ action: SpecAction) throws -> (ComponentFunction, ComponentValue?) {
        let instance: ComponentInstance
        switch target(action.module) {
        case .component(let i): instance = i
        case .componentNotInstantiated(let why): throw RunnerError(why)
        case .missing(let why): throw RunnerError(why)
        case .instance: throw RunnerError("not a component")
        }
        guard action.kind == .invoke, let f = instance.function(interface: nil, name: action.field) else {
            throw RunnerError("no exported component function \"\(action.field)\"")
        }
        let convert = ComponentSpecValues(types: f.types)
        guard action.arguments.count == f.type.parameters.count else {
            throw RunnerError("\(action.arguments.count) arguments for \(f.type.parameters.count) parameters")
        }
        let arguments = try zip(action.arguments, f.type.parameters).map { try convert.value($0, $1.type) }
        return (f, try f.call(arguments))
    }

    private func executeComponent(_ kind: SpecCommand.Kind, _ action: SpecAction) -> SpecOutcome {
        if case .componentNotInstantiated(let why) = target(action.module) { return .skipped(why) }
        switch kind {
        case .action:
            do {
                _ = try invokeComponent(action)
                return .passed()
            } catch {
                return .failed("\(describe(action)): \(SpecTestRunner.describe(error))")
            }
        case .assertReturn(_, let alternatives):
            do {
                let (f, result) = try invokeComponent(action)
                let convert = ComponentSpecValues(types: f.types)
                for expected in alternatives {
                    if expected.isEmpty, result == nil { return .passed() }
                    if expected.count == 1, let t = f.type.result {
                        let want = try convert.value(expected[0], t)
                        if ComponentSpecValues.same(want, result) { return .passed() }
                    }
                }
                let want = alternatives.map { "[" + $0.map(\.description).joined(separator: ", ") + "]" }
                return .failed(
                    "\(describe(action)): expected \(want.joined(separator: " | ")), got \(result.map { "\($0)" } ?? "nothing")")
            } catch {
                return .failed("\(describe(action)): \(SpecTestRunner.describe(error))")
            }
        case .assertTrap(_, let text):
            var expected = text
            if expected.hasPrefix("wasm trap: ") { expected.removeFirst("wasm trap: ".count) }
            do {
                let (_, result) = try invokeComponent(action)
                return .failed("\(describe(action)): expected trap \"\(text)\", got \(result.map { "\($0)" } ?? "nothing")")
            } catch let trap as Trap {
                if SpecTestRunner.componentMessageMatches(trap.message, expected: expected) { return .passed() }
                return .failed("\(describe(action)): trapped with \"\(trap.message)\", expected \"\(text)\"")
            } catch {
                return .failed("\(describe(action)): expected trap \"\(text)\", got \(SpecTestRunner.describe(error))")
            }
        default:
            return .failed("\(describe(action)): this assertion is not supported for components")
        }
    }

    /// Whether a binary is a component (layer 1), not a core module (layer 0). Binaries too
    /// short to tell, or with another layer, go to the component decoder unless they say
    /// layer 0 (whose malformed headers the core decoder reports).
    static func isComponent(_ bytes: [UInt8]) -> Bool {
        if bytes.count >= 8 { return !(bytes[6] == 0 && bytes[7] == 0) }
        return false
    }

    /// `assert_unlinkable` / `assert_uninstantiable` of a core module.
    private func expectInstantiationFailure(_ kind: SpecCommand.Kind, _ file: SpecModuleFile) -> SpecOutcome {
        switch kind {
        case .assertUnlinkable:
            if file.moduleType == .text { return .skipped("text-format module \(file.filename) (no text parser)") }
            let module: Module
            do { module = try loadModule(file.filename) } catch {
                return .failed("\(file.filename) should load and fail to link: \(SpecTestRunner.describe(error))")
            }
            do {
                _ = try instantiate(module)
                return .failed("\(file.filename) instantiated; expected unlinkable \"\(file.text)\"")
            } catch let error as LinkError {
                return .passed(note: messageNote(error.message, file.text))
            } catch {
                return .failed(
                    "\(file.filename): expected unlinkable \"\(file.text)\", got \(SpecTestRunner.describe(error))")
            }

        default:
            if file.moduleType == .text { return .skipped("text-format module \(file.filename) (no text parser)") }
            let module: Module
            do { module = try loadModule(file.filename) } catch {
                return .failed(
                    "\(file.filename) should load and trap while instantiating: \(SpecTestRunner.describe(error))")
            }
            do {
                _ = try instantiate(module)
                return .failed("\(file.filename) instantiated; expected trap \"\(file.text)\"")
            } catch let trap as Trap {
                if SpecTestRunner.messageMatches(trap.message, expected: file.text) { return .passed() }
                return .failed("\(file.filename): trapped with \"\(trap.message)\", expected \"\(file.text)\"")
            } catch {
                return .failed(
                    "\(file.filename): expected trap \"\(file.text)\", got \(SpecTestRunner.describe(error))")
            }
        }
    }

    /// `assert_malformed` (`wantDecodeError`) or `assert_invalid`.
    private func expectLoadFailure(_ file: SpecModuleFile, wantDecodeError: Bool) -> SpecOutcome {
        let bytes: [UInt8]
        do { bytes = try readFile(file.filename) } catch { return .failed(error.message) }
        let want = wantDecodeError ? "malformed" : "invalid"
        if Self.isComponent(bytes) { return expectComponentFailure(file, bytes, wantDecodeError: wantDecodeError) }
        do {
            try Module(
                bytes: bytes, compilation: options.compilation, optimize: options.optimize,
                features: options.configuration.features
            ).translateAll()
            return .failed("\(file.filename) loaded; expected \(want) \"\(file.text)\"")
        } catch let error as DecodeError {
            if wantDecodeError { return .passed(note: messageNote(error.message, file.text)) }
            if options.looseErrorKinds {
                return .passed(note: "loose: DecodeError \"\(error.message)\" for invalid \"\(file.text)\"")
            }
            return .failed(
                "\(file.filename): expected invalid \"\(file.text)\" (ValidationError), got malformed (DecodeError): \(error)"
            )
        } catch let error as ValidationError {
            if !wantDecodeError { return .passed(note: messageNote(error.message, file.text)) }
            if options.looseErrorKinds {
                return .passed(note: "loose: ValidationError \"\(error.message)\" for malformed \"\(file.text)\"")
            }
            return .failed(
                "\(file.filename): expected malformed \"\(file.text)\" (DecodeError), got invalid (ValidationError): \(error)"
            )
        } catch {
            return .failed("\(file.filename): expected \(want) \"\(file.text)\", got \(SpecTestRunner.describe(error))")
        }
    }

    /// `assert_malformed` / `assert_invalid` of a component.
    private func expectComponentFailure(_ file: SpecModuleFile, _ bytes: [UInt8], wantDecodeError: Bool) -> SpecOutcome {
        let want = wantDecodeError ? "malformed" : "invalid"
        func note(_ actual: String) -> String? {
            SpecTestRunner.componentMessageMatches(actual, expected: file.text)
                ? nil : "message \"\(actual)\" does not contain expected \"\(file.text)\""
        }
        do {
            _ = try Component(bytes: bytes)
            return .failed("\(file.filename) loaded; expected \(want) \"\(file.text)\"")
        } catch let error as ComponentDecodeError {
            if wantDecodeError { return .passed(note: note(error.message)) }
            if options.looseErrorKinds {
                return .passed(note: "loose: ComponentDecodeError \"\(error.message)\" for invalid \"\(file.text)\"")
            }
            return .failed("\(file.filename): expected invalid \"\(file.text)\", got \(SpecTestRunner.describe(error))")
        } catch let error as ComponentValidationError {
            if !wantDecodeError { return .passed(note: note(error.message)) }
            if options.looseErrorKinds {
                return .passed(note: "loose: ComponentValidationError \"\(error.message)\" for malformed \"\(file.text)\"")
            }
            return .failed("\(file.filename): expected malformed \"\(file.text)\", got \(SpecTestRunner.describe(error))")
        } catch {
            return .failed("\(file.filename): expected \(want) \"\(file.text)\", got \(SpecTestRunner.describe(error))")
        }
    }

    private func messageNote(_ actual: String, _ expected: String) -> String? {
        SpecTestRunner.messageMatches(actual, expected: expected)
            ? nil : "message \"\(actual)\" differs from expected \"\(expected)\""
    }

    // MARK: Helpers

    private func setCurrent(_ target: Target, name: String?) {
        current = target
        if let name { named[name] = target }
    }

    private func target(_ name: String?) -> Target {
        guard let name else { return current }
        return named[name] ?? .missing("no module named \(name)")
    }

    private func readFile(_ filename: String) throws(RunnerError) -> [UInt8] {
        let path = (directory as NSString).appendingPathComponent(filename)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RunnerError("cannot read module file \(path)")
        }
        return [UInt8](data)
    }

    private func loadModule(_ filename: String) throws -> Module {
        try Module(
            bytes: try readFile(filename), compilation: options.compilation, optimize: options.optimize,
            features: options.configuration.features)
    }

    private func instantiate(_ module: Module) throws -> Instance {
        if let setupError { throw RunnerError(setupError) }
        return try store.instantiate(module, imports: imports)
    }

    private func perform(_ action: SpecAction) throws -> [Value] {
        if let setupError { throw RunnerError(setupError) }
        let instance: Instance
        switch target(action.module) {
        case .instance(let i): instance = i
        case .missing(let why): throw RunnerError(why)
        case .component, .componentNotInstantiated: throw RunnerError(SpecTestRunner.componentSkipReason)
        }
        switch action.kind {
        case .invoke:
            var arguments: [Value] = []
            arguments.reserveCapacity(action.arguments.count)
            for a in action.arguments {
                guard let v = a.argumentValue else {
                    throw RunnerError("argument \(a) is not supported")
                }
                arguments.append(v)
            }
            guard let index = exportIndex(instance, action.field, .function), index < instance.functionCount else {
                throw RunnerError("no exported function \"\(action.field)\"")
            }
            return try store.invoke(instance.function(at: index), arguments)
        case .get:
            guard let index = exportIndex(instance, action.field, .global), index < instance.globals.count else {
                throw RunnerError("no exported global \"\(action.field)\"")
            }
            return [instance.globals[index].value]
        }
    }

    /// Export lookup by exact UTF-8 bytes, per instance. Swift `String` equality (and so a
    /// `[String: …]` dictionary) applies Unicode canonical equivalence, but Wasm names are
    /// compared byte for byte: names.wast exports "\u{C5}", "A\u{30A}" and "\u{212B}" as three
    /// different functions.
    private var exportTables: [ObjectIdentifier: [ExportKey: Int]] = [:]

    private struct ExportKey: Hashable {
        var name: [UInt8]
        var kind: ExternalKind
    }

    private func exportIndex(_ instance: Instance, _ name: String, _ kind: ExternalKind) -> Int? {
        let id = ObjectIdentifier(instance)
        if exportTables[id] == nil {
            var table: [ExportKey: Int] = [:]
            for e in instance.module.exports { table[ExportKey(name: Array(e.name.utf8), kind: e.kind)] = Int(e.index) }
            exportTables[id] = table
        }
        return exportTables[id]?[ExportKey(name: Array(name.utf8), kind: kind)]
    }

    private func describe(_ action: SpecAction) -> String {
        let module = action.module.map { "\($0)." } ?? ""
        switch action.kind {
        case .invoke:
            return "invoke \(module)\"\(action.field)\"(" + action.arguments.map(\.description).joined(separator: ", ")
                + ")"
        case .get:
            return "get \(module)\"\(action.field)\""
        }
    }
}
