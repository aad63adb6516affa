import WasmComponents
import WasmCore
import WasmWASI

/// Runs `wasi:cli/command` components, as `wasmtime run` does.
public enum WASIP2Command {
    /// Why a component cannot be run as a command.
    public struct NotACommand: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Links `component` against WASI 0.2, instantiates it in `store` with `wasi`, and calls
    /// `run` of `wasi:cli/run@0.2.x`. Returns the exit code: 0 for `ok`, 1 for `err`, or
    /// the code passed to `wasi:cli/exit.exit`.
    ///
    /// Throws `ComponentLinkError` naming an import the host lacks, `NotACommand` without
    /// the export, and `Trap` when the guest traps.
    public static func run(_ component: Component, wasi: WASI, store: Store) throws -> UInt32 {
        var linker = ComponentLinker()
        WASIP2.definitions.define(in: &linker)
        let linked = try linker.link(component)
        let context = WASIP2Context(wasi: wasi)
        store.data = context
        defer { context.close() }
        let instance = try linked.instantiate(in: store)
        guard let run = instance.function(interface: WASICLI.run, name: "run") else {
            throw NotACommand(description: "the component does not export `wasi:cli/run@0.2.x` (a `run` function)")
        }
        do {
            let result = try run.call([])
            if case .err? = result { return 1 }
            return 0
        } catch let exit as WASIExit {
            return exit.code
        }
    }
}
