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
            let name = "\(imp.module).\(imp.name)"
            guard let value = imports.lookup(module: imp.module, name: imp.name) else {
                throw LinkError("unknown import", importName: name)
            }
            switch (imp.descriptor, value) {
            case (.function(let t), .function(let f)):
                guard f.entity.pointee.typeID == typeIDs[Int(t)] else {
                    throw LinkError("incompatible import type", importName: name)
                }
            case (.table(let t), .table(let table)):
                guard table.type.elementType == canonical(t.elementType), table.type.is64 == t.is64,
                    Module.limitsMatch(
                        actualMin: UInt64(table.count), actualMax: table.type.limits.max, expected: t.limits)
                else { throw LinkError("incompatible import type", importName: name) }
            case (.memory(let t), .memory(let memory)):
                guard memory.type.is64 == t.is64, memory.type.isShared == t.isShared,
                    Module.limitsMatch(
                        actualMin: UInt64(memory.pageCount), actualMax: memory.type.limits.max, expected: t.limits)
                else { throw LinkError("incompatible import type", importName: name) }
            case (.global(let t), .global(let global)):
                let expected = canonical(t.valueType)
                guard global.type.isMutable == t.isMutable,
                    t.isMutable ? global.type.valueType == expected : context.isSubtype(global.type.valueType, of: expected)
                else { throw LinkError("incompatible import type", importName: name) }
            case (.tag(let t), .tag(let tag)):
                guard tag.typeID == typeIDs[Int(t)] else {
                    throw LinkError("incompatible import type", importName: name)
                }
            default:
                throw LinkError("incompatible import type", importName: name)
            }
            values.append(value)
        }
        return LinkedImports(module: self, values: values)
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
