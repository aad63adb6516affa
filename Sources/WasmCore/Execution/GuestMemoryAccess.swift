/// Loads and stores of guest memory for the interpreter loop (and its SIMD handlers), as small non-generic
/// functions that are always inlined. (The instruction-word field accessors are in IR/InstructionWord.swift.)
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
