/// A module's imports resolved once, in import order: instantiating with them
/// skips every name lookup and type check (wasmtime's `InstancePre`).
///
/// Linking checks what the spec's instantiation checks: each import exists
/// ("unknown import") and matches its type ("incompatible import type").
/// Spec: https://webassembly.github.io/spec/core/exec/modules.html#instantiation
public struct LinkedImports: Sendable {
    let module: Module
    let values: [ExternalValue]
}

extension Module {
    /// Resolves this module's imports against `imports`.
    public func link(_ imports: Imports) throws(LinkError) -> LinkedImports {
        var values: [ExternalValue] = []
        values.reserveCapacity(info.imports.count)
        for imp in info.imports {
            guard let value = imports.lookup(module: imp.module, name: imp.name) else {
                throw LinkError("unknown import", importName: "\(imp.module).\(imp.name)")
            }
            guard matches(value, imp.descriptor) else {
                throw LinkError("incompatible import type", importName: "\(imp.module).\(imp.name)")
            }
            values.append(value)
        }
        return LinkedImports(module: self, values: values)
    }

    /// Links `values`, one per import in import order (`info.imports`), checking each against
    /// its import's type exactly as `link(_:)` does: for an embedder that resolved the names
    /// once (a component's inner modules are wired by position on every instantiation).
    public func link(values: [ExternalValue]) throws(LinkError) -> LinkedImports {
        guard values.count == info.imports.count else {
            throw LinkError("\(values.count) import values for \(info.imports.count) imports")
        }
        for (imp, value) in zip(info.imports, values) {
            guard matches(value, imp.descriptor) else {
                throw LinkError("incompatible import type", importName: "\(imp.module).\(imp.name)")
            }
        }
        return LinkedImports(module: self, values: values)
    }

    /// The position of the export named `name` in `info.exports` (for `Instance.export(at:)`).
    public func exportPosition(named name: String) -> Int? {
        exportPositions[ExactName(name)]
    }

    /// Whether `value` may satisfy an import described by `descriptor` (the spec's import matching).
    private func matches(_ value: ExternalValue, _ descriptor: ImportDescriptor) -> Bool {
        switch (descriptor, value) {
        case (.function(let t), .function(let f)):
            return f.entity.pointee.typeID == typeIDs[Int(t)]
        case (.table(let t), .table(let table)):
            return table.type.elementType == canonical(t.elementType) && table.type.is64 == t.is64
                && Module.limitsMatch(actualMin: UInt64(table.count), actualMax: table.type.limits.max, expected: t.limits)
        case (.memory(let t), .memory(let memory)):
            return memory.type.is64 == t.is64 && memory.type.isShared == t.isShared
                && Module.limitsMatch(
                    actualMin: UInt64(memory.pageCount), actualMax: memory.type.limits.max, expected: t.limits)
        case (.global(let t), .global(let global)):
            let expected = canonical(t.valueType)
            return global.type.isMutable == t.isMutable
                && (t.isMutable ? global.type.valueType == expected : context.isSubtype(global.type.valueType, of: expected))
        case (.tag(let t), .tag(let tag)):
            return tag.typeID == typeIDs[Int(t)]
        default:
            return false
        }
    }

    /// Import matching of limits (spec: https://webassembly.github.io/spec/core/valid/types.html#match-limits).
    static func limitsMatch(actualMin: UInt64, actualMax: UInt64?, expected: Limits) -> Bool {
        guard actualMin >= expected.min else { return false }
        if let emax = expected.max {
            guard let amax = actualMax, amax <= emax else { return false }
        }
        return true
    }
}
