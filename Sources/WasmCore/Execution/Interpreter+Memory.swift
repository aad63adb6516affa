#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Memory instructions outside the memory-0 fast path (`Op.memoryGeneral`, see
/// `MemoryInstruction`): any memory of a multi-memory module, and 64-bit memories (memory64).
/// Out of line, so the interpreter loop keeps only the cached base and size of memory 0.
///
/// Bounds checks work on 64-bit addresses without overflow: `address + offset` that wraps past
/// 2^64 is out of bounds, as is any access whose last byte is beyond the memory's size.
extension Interpreter {
    /// The address in slot value `value` of a memory with 64-bit addresses (`is64`) or 32-bit ones.
    @inline(__always)
    static func address(_ value: UInt64, is64: Bool) -> UInt64 {
        is64 ? value : UInt64(UInt32(truncatingIfNeeded: value))
    }

    /// The host address of `width` bytes at `address + offset` of `memory`, or nil when any of
    /// them is out of bounds (including when the sum overflows).
    @inline(__always)
    static func checkedAccess(
        _ memory: UnsafeMutablePointer<MemoryEntity>, address: UInt64, offset: UInt64, width: UInt64
    ) -> UnsafeMutableRawPointer? {
        let (effective, overflow) = address.addingReportingOverflow(offset)
        let size = UInt64(memory.pointee.byteCount)
        guard !overflow, effective <= size, width <= size &- effective else { return nil }
        return memory.pointee.base + Int(truncatingIfNeeded: effective)
    }

    /// Whether `start + count` lies within `size` (no overflow).
    @inline(__always)
    static func inRange(_ start: UInt64, _ count: UInt64, _ size: Int) -> Bool {
        let (end, overflow) = start.addingReportingOverflow(count)
        return !overflow && end <= UInt64(size)
    }

    /// A vector load or store in its long form (five words: the memory and the 64-bit offset in
    /// words 3 and 4, `Translator.emitSIMDMemory`): the accessed bytes, or nil when out of bounds.
    @inline(never)
    static func vectorAccess(
        pc: UnsafeMutablePointer<UInt64>, sp: UnsafeMutablePointer<UInt64>, base: Int,
        instance: UnsafeMutablePointer<InstanceEntity>, width: UInt64
    ) -> UnsafeMutableRawPointer? {
        let memoryWord = pc[3]
        let memory = instance.pointee.memories[Int(truncatingIfNeeded: memoryWord & 0xFFFF_FFFF)]
        let is64 = memoryWord &>> 32 != 0
        return checkedAccess(memory, address: address(sp[base], is64: is64), offset: pc[4], width: width)
    }

    /// Runs the `Op.memoryGeneral` instruction at `pc`; returns a trap, if any.
    @inline(never)
    static func memoryGeneral(
        pc: UnsafeMutablePointer<UInt64>, sp: UnsafeMutablePointer<UInt64>,
        instance: UnsafeMutablePointer<InstanceEntity>
    ) -> TrapReason? {
        let w = pc[0]
        let a = Int(truncatingIfNeeded: (w &>> 16) & 0xFFFF)
        let b = Int(truncatingIfNeeded: (w &>> 32) & 0xFFFF)
        let c = Int(truncatingIfNeeded: w &>> 48)
        let info = pc[1]
        let kind = MemoryInstruction(rawValue: UInt8(truncatingIfNeeded: info)).unsafelyUnwrapped
        let is64 = info & MemoryInstruction.address64 != 0
        let memoryIndex = Int(truncatingIfNeeded: (info &>> 16) & 0xFF_FFFF)
        switch kind {
        case .narrowIndex:
            sp[a] = min(sp[b], 0xFFFF_FFFF)
            return nil
        case .widenGrowResult:
            if sp[a] == 0xFFFF_FFFF { sp[a] = UInt64.max }
            return nil
        default:
            break
        }
        let memory = instance.pointee.memories[memoryIndex]
        switch kind {
        case .load32, .load64, .load8S32, .load8U, .load16S32, .load16U, .load8S64, .load16S64, .load32S64:
            guard let p = checkedAccess(memory, address: address(sp[b], is64: is64), offset: pc[2], width: kind.width)
            else { return .outOfBoundsMemoryAccess }
            switch kind {
            case .load32: sp[a] = UInt64(p.unalignedUInt32)
            case .load64: sp[a] = p.unalignedUInt64
            case .load8S32: sp[a] = UInt64(UInt32(bitPattern: Int32(p.byteInt8)))
            case .load8U: sp[a] = UInt64(p.byteUInt8)
            case .load16S32: sp[a] = UInt64(UInt32(bitPattern: Int32(p.unalignedInt16)))
            case .load16U: sp[a] = UInt64(p.unalignedUInt16)
            case .load8S64: sp[a] = UInt64(bitPattern: Int64(p.byteInt8))
            case .load16S64: sp[a] = UInt64(bitPattern: Int64(p.unalignedInt16))
            default: sp[a] = UInt64(bitPattern: Int64(p.unalignedInt32))
            }
        case .store8, .store16, .store32, .store64:
            guard let p = checkedAccess(memory, address: address(sp[a], is64: is64), offset: pc[2], width: kind.width)
            else { return .outOfBoundsMemoryAccess }
            switch kind {
            case .store8: p.storeUnaligned(UInt8(truncatingIfNeeded: sp[b]))
            case .store16: p.storeUnaligned(UInt16(truncatingIfNeeded: sp[b]))
            case .store32: p.storeUnaligned(UInt32(truncatingIfNeeded: sp[b]))
            default: p.storeUnaligned(sp[b])
            }
        case .size:
            sp[a] = UInt64(memory.pointee.byteCount / Memory.pageSize)
        case .grow:
            let delta = address(sp[b], is64: is64)
            let old = delta > UInt64(Int.max) ? nil : Memory.grow(memory, by: Int(delta))
            sp[a] = old.map { UInt64($0) } ?? (is64 ? UInt64.max : 0xFFFF_FFFF)
        case .fill:
            let d = address(sp[a], is64: is64)
            let n = address(sp[c], is64: is64)
            guard inRange(d, n, memory.pointee.byteCount) else { return .outOfBoundsMemoryAccess }
            (memory.pointee.base + Int(d)).initializeMemory(
                as: UInt8.self, repeating: UInt8(truncatingIfNeeded: sp[b]), count: Int(n))
        case .copy:
            let source = instance.pointee.memories[Int(truncatingIfNeeded: info &>> 40)]
            let sourceIs64 = info & MemoryInstruction.secondAddress64 != 0
            let d = address(sp[a], is64: is64)
            let s = address(sp[b], is64: sourceIs64)
            let n = address(sp[c], is64: is64 && sourceIs64)
            guard inRange(d, n, memory.pointee.byteCount), inRange(s, n, source.pointee.byteCount) else {
                return .outOfBoundsMemoryAccess
            }
            if n > 0 { memmove(memory.pointee.base + Int(d), source.pointee.base + Int(s), Int(n)) }
        case .initialize:
            let segment = instance.pointee.dataSegments + Int(truncatingIfNeeded: pc[2])
            let d = address(sp[a], is64: is64)
            let s = UInt64(UInt32(truncatingIfNeeded: sp[b]))
            let n = UInt64(UInt32(truncatingIfNeeded: sp[c]))
            guard inRange(d, n, memory.pointee.byteCount), inRange(s, n, segment.pointee.count) else {
                return .outOfBoundsMemoryAccess
            }
            if n > 0 {
                (memory.pointee.base + Int(d)).copyMemory(from: segment.pointee.bytes! + Int(s), byteCount: Int(n))
            }
        case .narrowIndex, .widenGrowResult:
            break
        }
        return nil
    }
}
