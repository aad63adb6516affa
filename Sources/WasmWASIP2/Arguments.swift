import WasmComponents
import WasmCore

/// Typed access to the arguments of a host function. A value of the wrong shape traps naming
/// the argument: the canonical ABI lifted it from the function's type, so it is a host bug.
extension Array where Element == ComponentValue {
    @inline(__always)
    public func at(_ i: Int) throws -> ComponentValue {
        guard i < count else { throw Trap(.host("missing argument \(i)")) }
        return self[i]
    }

    public func mismatch(_ i: Int, _ expected: String) -> Trap {
        Trap(.host("argument \(i): expected \(expected), got \(i < count ? "\(self[i])" : "nothing")"))
    }

    /// The rep of an `own` or `borrow` argument.
    public func resource(_ i: Int) throws -> UInt32 {
        switch try at(i) {
        case .own(let r), .borrow(let r): return r
        default: throw mismatch(i, "a resource")
        }
    }

    public func u64(_ i: Int) throws -> UInt64 {
        guard case .u64(let v) = try at(i) else { throw mismatch(i, "u64") }
        return v
    }

    public func u32(_ i: Int) throws -> UInt32 {
        guard case .u32(let v) = try at(i) else { throw mismatch(i, "u32") }
        return v
    }

    public func u16(_ i: Int) throws -> UInt16 {
        guard case .u16(let v) = try at(i) else { throw mismatch(i, "u16") }
        return v
    }

    public func u8(_ i: Int) throws -> UInt8 {
        guard case .u8(let v) = try at(i) else { throw mismatch(i, "u8") }
        return v
    }

    public func bool(_ i: Int) throws -> Bool {
        guard case .bool(let v) = try at(i) else { throw mismatch(i, "bool") }
        return v
    }

    public func string(_ i: Int) throws -> String {
        guard case .string(let v) = try at(i) else { throw mismatch(i, "string") }
        return v
    }

    /// A `list<u8>` argument (also accepted as a list of `u8` values).
    public func bytes(_ i: Int) throws -> [UInt8] {
        switch try at(i) {
        case .bytes(let b): return b
        case .list(let l):
            var out: [UInt8] = []
            out.reserveCapacity(l.count)
            for v in l {
                guard case .u8(let b) = v else { throw mismatch(i, "list<u8>") }
                out.append(b)
            }
            return out
        default: throw mismatch(i, "list<u8>")
        }
    }

    public func list(_ i: Int) throws -> [ComponentValue] {
        switch try at(i) {
        case .list(let l): return l
        case .bytes(let b): return b.map { .u8($0) }
        default: throw mismatch(i, "list")
        }
    }

    /// An `option<T>` argument: nil for `none`.
    public func option(_ i: Int) throws -> ComponentValue? {
        guard case .option(let v) = try at(i) else { throw mismatch(i, "option") }
        return v
    }

    public func enumeration(_ i: Int) throws -> Int {
        guard case .enumeration(let v) = try at(i) else { throw mismatch(i, "enum") }
        return v
    }

    public func flags(_ i: Int) throws -> Set<Int> {
        guard case .flags(let v) = try at(i) else { throw mismatch(i, "flags") }
        return v
    }

    public func variant(_ i: Int) throws -> (index: Int, payload: ComponentValue?) {
        guard case .variant(let c, let p) = try at(i) else { throw mismatch(i, "variant") }
        return (c, p)
    }
}

extension ComponentValue {
    /// `result<_, E>`'s `ok` with no payload.
    public static let unitOK = ComponentValue.ok(nil)
}
