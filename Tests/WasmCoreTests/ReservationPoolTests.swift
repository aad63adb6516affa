import Foundation
import Testing

@testable import WasmCore

/// `ReservationPool`: a mapping given back with `dirtyBytes` reads as zeros for its next user,
/// whichever of its pages were written. The zeroing scans mincore's residency vector eight pages
/// at a time; these cases cover every position in a word and the tail after the last whole word,
/// page counts on both sides of a multiple of 8, and both sides of the keep-resident limit
/// (up to 1 MiB of touched pages is cleared in place, more is released to the kernel).
@Suite struct ReservationPoolTests {
    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Writes a non-zero byte at the start and end of each page in `touched`, gives the mapping
    /// back, takes it again from the same (private) pool and checks every byte of it is zero.
    static func check(pages: Int, touched: [Int]) throws {
        let pool = ReservationPool()
        let size = pages * pageSize
        let p = try #require(pool.acquire(size: size))
        for page in touched {
            p.storeBytes(of: 0xA5, toByteOffset: page * pageSize, as: UInt8.self)
            p.storeBytes(of: 0x5A, toByteOffset: page * pageSize + pageSize - 1, as: UInt8.self)
        }
        pool.release(p, size: size, dirtyBytes: size)
        let q = try #require(pool.acquire(size: size))
        #expect(q == p, "the pool did not hand back the same mapping")
        let bytes = UnsafeRawBufferPointer(start: q, count: size)
        let firstNonZero = bytes.firstIndex { $0 != 0 }
        #expect(firstNonZero == nil, "\(pages) pages, touched \(touched.count): byte \(firstNonZero ?? 0) is not zero")
        pool.release(q, size: size, dirtyBytes: 0)
    }

    @Test(arguments: [1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 4113])
    func everyTouchedPageReadsZeroForTheNextUser(pages: Int) throws {
        // Each position of a word and the tail, alone.
        for page in Set([0, 1, 6, 7, 8, 9, pages / 2, pages - 2, pages - 1]) where page >= 0 && page < pages {
            try Self.check(pages: pages, touched: [page])
        }
        // All of them; and pseudo-random subsets (a fixed seed: the same pages every run).
        try Self.check(pages: pages, touched: Array(0..<min(pages, 256)))
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(pages)
        for _ in 0..<8 {
            var subset: [Int] = []
            for page in 0..<pages {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                if seed >> 61 == 0 { subset.append(page) }  // about one page in eight
            }
            try Self.check(pages: pages, touched: Array(subset.prefix(300)))
        }
    }

    /// 256 touched pages (1 MiB at 4 KiB pages) are cleared in place; 257 are released.
    @Test func bothSidesOfTheKeepResidentLimit() throws {
        let limit = (1 << 20) / Self.pageSize
        try Self.check(pages: 4113, touched: Array(0..<limit))
        try Self.check(pages: 4113, touched: Array(0...limit))
        try Self.check(pages: 4113, touched: Array(stride(from: 0, to: 4113, by: 3)))
    }
}
