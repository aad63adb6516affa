import WasmCore

/// Errors of the guest ABI glue.
package struct GuestABIError: Error, CustomStringConvertible, Sendable {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// The host side of the wit-bindgen 0.2 "old canonical ABI" that Spin 1.x guests use
/// (docs/spin-1x.md#canonical-abi): strings and lists passed to the guest are allocated with its
/// `canonical_abi_realloc(0, 0, align, len)`; those it returns are freed with
/// `canonical_abi_free(ptr, len, align)`.
package struct CanonicalABI {
    package let store: Store
    package let memory: Memory
    let realloc: Function
    let free: Function?

    /// Binds to an instance's `memory`, `canonical_abi_realloc` and (optionally) `canonical_abi_free`.
    package init(store: Store, instance: Instance, requireFree: Bool = true) throws(GuestABIError) {
        guard let memory = instance.memory(named: "memory") ?? instance.memories.first else {
            throw GuestABIError("the module exports no memory")
        }
        guard let realloc = instance.function(named: "canonical_abi_realloc") else {
            throw GuestABIError("failed to find function export canonical_abi_realloc")
        }
        let free = instance.function(named: "canonical_abi_free")
        if requireFree && free == nil {
            throw GuestABIError("failed to find function export canonical_abi_free")
        }
        self.store = store
        self.memory = memory
        self.realloc = realloc
        self.free = free
    }

    /// Binds to the instance that called a host function.
    package init(caller: Caller) throws(GuestABIError) {
        guard let instance = caller.instance else { throw GuestABIError("host function called without an instance") }
        try self.init(store: caller.store, instance: instance, requireFree: false)
    }

    /// `canonical_abi_realloc(0, 0, align, count)`.
    package func allocate(count: Int, align: Int) throws -> UInt32 {
        let r = try store.invoke(realloc, [.i32(0), .i32(0), .i32(UInt32(align)), .i32(UInt32(count))])
        guard case .i32(let p)? = r.first else { throw GuestABIError("canonical_abi_realloc returned no pointer") }
        if count > 0 {
            guard Int(p) + count <= memory.byteCount else {
                throw GuestABIError("canonical_abi_realloc returned an out-of-bounds pointer \(p) for \(count) bytes")
            }
        }
        return p
    }

    /// Copies `bytes` into a fresh guest allocation; returns (ptr, len).
    package func write(_ bytes: [UInt8], align: Int = 1) throws -> (UInt32, UInt32) {
        let p = try allocate(count: bytes.count, align: align)
        if !bytes.isEmpty { try memory.write(bytes, at: Int(p)) }
        return (p, UInt32(bytes.count))
    }

    package func write(_ string: String) throws -> (UInt32, UInt32) {
        try write(Array(string.utf8), align: 1)
    }

    /// Writes a list of strings as 8-byte {ptr, len} elements; returns (ptr, count).
    package func write(strings: [String]) throws -> (UInt32, UInt32) {
        let array = try allocate(count: strings.count * 8, align: 4)
        for (i, s) in strings.enumerated() {
            let (p, n) = try write(s)
            try memory.store(p, at: Int(array) + 8 * i)
            try memory.store(n, at: Int(array) + 8 * i + 4)
        }
        return (array, UInt32(strings.count))
    }

    package func read(_ ptr: UInt32, _ len: UInt32) throws -> [UInt8] {
        try memory.read(at: Int(ptr), count: Int(len))
    }

    /// Reads a UTF-8 string; invalid UTF-8 is an error.
    package func readString(_ ptr: UInt32, _ len: UInt32) throws -> String {
        let bytes = try read(ptr, len)
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw GuestABIError("string at \(ptr) (\(len) bytes) is not valid UTF-8")
        }
        return s
    }

    /// Reads a list of 8-byte {ptr, len} string elements.
    package func readStrings(_ ptr: UInt32, _ count: UInt32) throws -> [String] {
        try (0..<Int(count)).map { i in
            let p: UInt32 = try memory.load(at: Int(ptr) + 8 * i)
            let n: UInt32 = try memory.load(at: Int(ptr) + 8 * i + 4)
            return try readString(p, n)
        }
    }

    /// `canonical_abi_free(ptr, len, align)`; a guest without the export leaks (as Spin's would).
    package func free(_ ptr: UInt32, _ len: UInt32, align: Int) throws {
        guard let free else { return }
        _ = try store.invoke(free, [.i32(ptr), .i32(len), .i32(UInt32(align))])
    }

    // MARK: Result areas of imports (`retptr`)

    package func storeU8(_ v: UInt8, at p: UInt32) throws { try memory.store(v, at: Int(p)) }
    package func storeU32(_ v: UInt32, at p: UInt32) throws { try memory.store(v, at: Int(p)) }
    package func storeU64(_ v: UInt64, at p: UInt32) throws { try memory.store(v, at: Int(p)) }
}
