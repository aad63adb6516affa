import Foundation
import Testing

@testable import SpinHost

/// Damage in the key-value log loses only the damaged record(s): replay resynchronises at the
/// next intact record, keeps the damaged file beside the log and says what was lost.
@Suite struct KeyValueRecoveryTests {
    static let keyCount = 120

    /// A log holding `keyCount` distinct keys, each written once, and the byte range of each record.
    func makeLog() throws -> (path: String, bytes: [UInt8], records: [Range<Int>]) {
        let p = HostIf.tempDir("kvrecovery") + "/kv.kvlog"
        let s = try FileKeyValueStore(path: p)
        for i in 0..<Self.keyCount {
            try s.set("key-\(i)", Array(repeating: UInt8(truncatingIfNeeded: i), count: (i * 7) % 50))
        }
        s.close()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: p)))
        var records: [Range<Int>] = []
        var off = FileKeyValueStore.magic.count
        while off < bytes.count {
            let end = off + 8 + Int(FileKeyValueStore.le32(bytes, off))
            records.append(off..<end)
            off = end
        }
        #expect(records.count == Self.keyCount)
        return (p, bytes, records)
    }

    func damagedCopies(of path: String) throws -> [String] {
        let dir = (path as NSString).deletingLastPathComponent
        return try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".damaged-") }
            .map { dir + "/" + $0 }
    }

    @Test func aFlippedByteLosesOnlyItsRecord() throws {
        let (p, original, records) = try makeLog()
        // Every byte of a few records (first, middle, last) and one byte in each of the others.
        var offsets: [Int] = []
        for r in [0, Self.keyCount / 2, Self.keyCount - 1] { offsets += Array(records[r]) }
        for r in records.indices { offsets.append(records[r].lowerBound + (r % (records[r].count))) }
        for offset in offsets {
            let index = records.firstIndex { $0.contains(offset) }!
            for copy in try damagedCopies(of: p) { try FileManager.default.removeItem(atPath: copy) }
            var bad = original
            bad[offset] ^= 0xA5
            try Data(bad).write(to: URL(fileURLWithPath: p))
            let s = try FileKeyValueStore(path: p)
            let keys = try s.keys()
            #expect(keys.count == Self.keyCount - 1, "flip at \(offset)")
            #expect(!keys.contains("key-\(index)"), "flip at \(offset) should lose record \(index)")
            for i in [0, index - 1, index + 1, Self.keyCount - 1] where i >= 0 && i < Self.keyCount && i != index {
                #expect(try s.get("key-\(i)") == Array(repeating: UInt8(truncatingIfNeeded: i), count: (i * 7) % 50))
            }
            let recovery = try #require(s.recovery, "flip at \(offset): no recovery reported")
            if recovery.damaged.isEmpty {
                // Only a last record whose length now runs past the end looks like a torn append.
                #expect(index == Self.keyCount - 1, "flip at \(offset)")
            } else {
                #expect(recovery.damaged == [records[index]], "flip at \(offset)")
                let kept = try #require(recovery.keptAt)
                #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: kept))) == bad, "the damaged log is kept as it was")
                #expect(recovery.description.contains("\(records[index].lowerBound)..<\(records[index].upperBound)"))
            }
            // The repaired log is clean and still writable.
            try s.set("after", [7])
            s.close()
            let again = try FileKeyValueStore(path: p)
            #expect(again.recovery == nil)
            #expect(try again.keys().count == Self.keyCount)
            again.close()
        }
    }

    @Test func damageInSeveralPlacesKeepsEverythingElse() throws {
        let (p, original, records) = try makeLog()
        var bad = original
        let hit = [3, 40, 41, 90]
        for r in hit { bad[records[r].lowerBound + 9] ^= 0xFF }
        try Data(bad).write(to: URL(fileURLWithPath: p))
        let s = try FileKeyValueStore(path: p)
        #expect(try s.keys().count == Self.keyCount - hit.count)
        for r in hit { #expect(throws: KeyValueError.noSuchKey) { try s.get("key-\(r)") } }
        // Records 40 and 41 are adjacent: one damaged region.
        #expect(s.recovery?.damaged == [records[3], records[40].lowerBound..<records[41].upperBound, records[90]])
        s.close()
    }

    @Test func truncationAtEveryRecordBoundaryLosesNothingBeforeIt() throws {
        let (p, original, records) = try makeLog()
        for (k, r) in records.enumerated() {
            try Data(original[0..<r.lowerBound]).write(to: URL(fileURLWithPath: p))
            let s = try FileKeyValueStore(path: p)
            #expect(try s.keys().count == k, "cut before record \(k)")
            #expect(s.recovery == nil)
            #expect(s.recoveredTruncatedBytes == 0)
            s.close()
            // Inside the record instead: a torn append, cut off and reported.
            try Data(original[0..<(r.lowerBound + r.count / 2)]).write(to: URL(fileURLWithPath: p))
            let torn = try FileKeyValueStore(path: p)
            #expect(try torn.keys().count == k)
            #expect(torn.recovery?.damaged == [])
            #expect(torn.recoveredTruncatedBytes == r.count / 2)
            torn.close()
        }
        #expect(try damagedCopies(of: p).isEmpty, "a torn append is not damage")
    }

    /// A kill during compaction leaves `<log>.compact` beside the whole log.
    @Test func aLeftoverCompactionFileIsResolved() throws {
        let (p, original, _) = try makeLog()
        try Data(original.prefix(100)).write(to: URL(fileURLWithPath: p + ".compact"))
        let s = try FileKeyValueStore(path: p)
        #expect(try s.keys().count == Self.keyCount)
        #expect(!FileManager.default.fileExists(atPath: p + ".compact"))
        #expect(s.recovery?.notes.first?.contains("interrupted compaction") == true)
        try s.compact()
        s.close()
        // A finished compaction file with the log gone: it is the data.
        try FileManager.default.moveItem(atPath: p, toPath: p + ".compact")
        let restored = try FileKeyValueStore(path: p)
        #expect(try restored.keys().count == Self.keyCount)
        restored.close()
    }
}
