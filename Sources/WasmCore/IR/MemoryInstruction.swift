/// What an `Op.memoryGeneral` instruction does: a memory instruction outside the memory-0 fast
/// path (a memory other than memory 0 — multi-memory — or a 64-bit memory — memory64), or the
/// index narrowing that 64-bit tables need.
///
/// Encoding, three words:
/// 1. `Op.memoryGeneral | a << 16 | b << 32 | c << 48` (frame slots, as the kind says);
/// 2. `kind | flags << 8 | memory << 16 | second memory << 40` (flags: `address64` for the first
///    memory, `secondAddress64` for the second; memory indices below 2^24);
/// 3. the static offset (64 bits), or the data segment of `memory.init`.
///
/// Memory 0 of 32-bit addresses never takes this path: its loads and stores keep their own ops
/// and the interpreter's cached base and size.
enum MemoryInstruction: UInt8 {
    // Loads: a = destination, b = address.
    case load32  // i32.load, f32.load, i64.load32_u
    case load64  // i64.load, f64.load
    case load8S32, load8U, load16S32, load16U  // i32.load8_s ... (the U forms also for i64)
    case load8S64, load16S64, load32S64
    // Stores: a = address, b = value.
    case store8, store16, store32, store64
    /// a = destination (pages).
    case size
    /// a = destination (old pages or -1), b = delta.
    case grow
    /// a = destination address, b = value, c = count.
    case fill
    /// a = destination address (first memory), b = source address (second memory), c = count.
    case copy
    /// a = destination address, b = segment offset, c = count; third word = data segment.
    case initialize
    /// Table64: a = b, saturated to 0xFFFF_FFFF (an index no table reaches), so the 32-bit table
    /// instructions see an out-of-range i64 index as out of range.
    case narrowIndex
    /// Table64: a = -1 as i64 when a is -1 as i32 (`table.grow`'s failure), else a.
    case widenGrowResult

    /// Flag bits of the second word (bits 8-15).
    static let address64: UInt64 = 1 << 8
    static let secondAddress64: UInt64 = 1 << 9

    /// The second word.
    static func word(_ kind: MemoryInstruction, memory: Int, is64: Bool, second: Int = 0, secondIs64: Bool = false)
        -> UInt64
    {
        UInt64(kind.rawValue) | (is64 ? address64 : 0) | (secondIs64 ? secondAddress64 : 0)
            | UInt64(memory) << 16 | UInt64(second) << 40
    }

    /// Bytes a load or store of this kind accesses (0 for the others).
    var width: UInt64 {
        switch self {
        case .load8S32, .load8U, .load8S64, .store8: 1
        case .load16S32, .load16U, .load16S64, .store16: 2
        case .load32, .load32S64, .store32: 4
        case .load64, .store64: 8
        default: 0
        }
    }
}
