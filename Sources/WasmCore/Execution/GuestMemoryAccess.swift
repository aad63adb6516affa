/// Loads and stores of guest memory for the interpreter loop (and its SIMD handlers), as small non-generic
/// functions that are always inlined.
///
/// The loop is one very large function, and the optimizer stops inlining generic callees
/// into a caller that size: `loadUnaligned(as:)` and `storeBytes(of:as:)` stayed calls,
/// costing a call, a frame and a return on every memory access. Each wrapper here is
/// small enough for the standard library's generic to be inlined into it first, and the
/// wrapper itself is forced inline into the loop.
extension UnsafeMutableRawPointer {
    @inline(__always) var unalignedUInt64: UInt64 { loadUnaligned(as: UInt64.self) }
    @inline(__always) var unalignedUInt32: UInt32 { loadUnaligned(as: UInt32.self) }
    @inline(__always) var unalignedInt32: Int32 { loadUnaligned(as: Int32.self) }
    @inline(__always) var unalignedUInt16: UInt16 { loadUnaligned(as: UInt16.self) }
    @inline(__always) var unalignedInt16: Int16 { loadUnaligned(as: Int16.self) }
    @inline(__always) var byteUInt8: UInt8 { load(as: UInt8.self) }
    @inline(__always) var byteInt8: Int8 { load(as: Int8.self) }

    @inline(__always) func storeUnaligned(_ value: UInt64) { storeBytes(of: value, as: UInt64.self) }
    @inline(__always) func storeUnaligned(_ value: UInt32) { storeBytes(of: value, as: UInt32.self) }
    @inline(__always) func storeUnaligned(_ value: UInt16) { storeBytes(of: value, as: UInt16.self) }
    @inline(__always) func storeUnaligned(_ value: UInt8) { storeBytes(of: value, as: UInt8.self) }
}

/// The fields of an instruction word (`op | a << 16 | b << 32 | c << 48`), each read with
/// its own narrow load. Handlers that read their operands this way need no shifts and
/// masks of a loaded word (one `movzwl` per field), and the dispatch loads only the
/// opcode. (Words are little-endian, as every platform the engine runs on.)
extension UnsafeMutablePointer where Pointee == UInt64 {
    @inline(__always) var opcode: UInt16 { UnsafeRawPointer(self).load(as: UInt16.self) }
    /// Bits 16-31: usually the destination slot.
    @inline(__always) var fieldA: Int { Int(UnsafeRawPointer(self).load(fromByteOffset: 2, as: UInt16.self)) }
    /// Bits 32-47: usually the first operand slot.
    @inline(__always) var fieldB: Int { Int(UnsafeRawPointer(self).load(fromByteOffset: 4, as: UInt16.self)) }
    /// Bits 48-63: usually the second operand slot.
    @inline(__always) var fieldC: Int { Int(UnsafeRawPointer(self).load(fromByteOffset: 6, as: UInt16.self)) }
    /// Bits 32-63: an immediate or a branch offset.
    @inline(__always) var immediate32: UInt32 { UnsafeRawPointer(self).load(fromByteOffset: 4, as: UInt32.self) }
}
