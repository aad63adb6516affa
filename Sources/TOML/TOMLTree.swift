/// The mutable tree used while parsing. It carries the flags that the
/// redefinition rules need and is frozen into `TOMLTable` at the end.
final class PTable {
    enum Origin {
        /// Created as a prefix of a `[header]` path (`a` in `[a.b]`); may be defined later.
        case implicit
        /// Defined by its own `[header]` (or the root).
        case header
        /// Created by a dotted key (`a.b = 1` creates `a`).
        case dotted
        /// An element of an array of tables (`[[a]]`).
        case arrayElement
        /// The table being built for an inline table `{ ... }`.
        case inline
    }

    var origin: Origin
    var position: TOMLPosition
    var keys: [String] = []
    var entries: [String: PEntry] = [:]

    init(origin: Origin, position: TOMLPosition) {
        self.origin = origin
        self.position = position
    }

    func insert(_ key: String, _ entry: PEntry) {
        keys.append(key)
        entries[key] = entry
    }

    func freeze() -> TOMLTable {
        var t = TOMLTable(position: position)
        for k in keys {
            let e = entries[k]!
            let v: TOMLValue
            switch e.node {
            case .value(let x): v = x
            case .table(let sub): v = .table(sub.freeze())
            case .tableArray(let arr):
                v = .array(
                    TOMLArray(
                        elements: arr.tables.map { .table($0.freeze()) },
                        positions: arr.tables.map(\.position),
                        position: arr.position))
            }
            t.set(k, v, keyPosition: e.keyPosition, valuePosition: e.valuePosition)
        }
        return t
    }
}

final class PTableArray {
    var tables: [PTable] = []
    let position: TOMLPosition
    init(position: TOMLPosition) { self.position = position }
}

enum PNode {
    /// A finished value: scalar, static array or inline table. Immutable.
    case value(TOMLValue)
    case table(PTable)
    case tableArray(PTableArray)
}

struct PEntry {
    var node: PNode
    var keyPosition: TOMLPosition
    var valuePosition: TOMLPosition
}
