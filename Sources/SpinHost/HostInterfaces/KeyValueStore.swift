import Foundation
import Glibc
import Synchronization

/// Errors of a key-value store back-end (they become `error::io(message)` for
/// the guest, except `noSuchKey`).
public enum KeyValueError: Error, Equatable, Sendable, CustomStringConvertible {
    case noSuchKey
    case io(String)

    public var description: String {
        switch self {
        case .noSuchKey: "no such key"
        case .io(let m): m
        }
    }
}

/// What `FileKeyValueStore` repaired when it opened a log.
package struct KeyValueRecovery: Sendable, Equatable, CustomStringConvertible {
    /// The log.
    package var path: String
    /// Byte ranges of the log that held no intact record; every intact record outside them was kept.
    package var damaged: [Range<Int>]
    /// Where the damaged log was kept, unchanged (nil when nothing was damaged).
    package var keptAt: String?
    /// Other repairs: a torn last record cut off, a leftover compaction file resolved.
    package var notes: [String]

    package var description: String {
        var parts: [String] = []
        if !damaged.isEmpty {
            let lost = damaged.reduce(0) { $0 + $1.count }
            let where_ = damaged.prefix(10).map { "\($0.lowerBound)..<\($0.upperBound)" }.joined(separator: ", ")
            parts.append(
                "\(damaged.count) damaged region(s) of \(lost) bytes skipped (byte offsets \(where_)"
                    + (damaged.count > 10 ? ", ..." : "") + "); the records in them are lost, every intact record "
                    + "before and after them was kept; the damaged log was kept at \(keptAt ?? "?")")
        }
        parts += notes
        return "key-value store \(path): " + parts.joined(separator: "; ")
    }
}

/// A key-value store back-end shared by every instance of an app.
/// Implementations must be safe to call from several threads at once.
public protocol KeyValueStore: AnyObject, Sendable {
    /// The value of `key`; throws `KeyValueError.noSuchKey` when absent.
    func get(_ key: String) throws(KeyValueError) -> [UInt8]
    func set(_ key: String, _ value: [UInt8]) throws(KeyValueError)
    /// Deleting an absent key is not an error (as in Spin).
    func delete(_ key: String) throws(KeyValueError)
    func exists(_ key: String) throws(KeyValueError) -> Bool
    func keys() throws(KeyValueError) -> [String]
    /// Adds `delta` to the counter at `key` and returns the new value, as one atomic step (a
    /// missing key counts as 0). How the counter is kept is the back-end's: the built-in stores
    /// keep an 8-byte little-endian integer (as Spin's default store), Redis its `INCRBY` integer.
    /// A value that is not such a counter, or an overflow, is an `io` error.
    func increment(_ key: String, by delta: Int64) throws(KeyValueError) -> Int64
    /// Sets `key` to `value` only if its value is still `expected` (nil: only if `key` is still
    /// absent), as one atomic step; returns whether it did.
    func compareAndSwap(_ key: String, expected: [UInt8]?, value: [UInt8]) throws(KeyValueError) -> Bool
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as zlib's `crc32`.
package enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    package static func checksum<C: Collection>(_ bytes: C, seed: UInt32 = 0) -> UInt32 where C.Element == UInt8 {
        var c = ~seed
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return ~c
    }
}

/// The built-in store: a pure-Swift, crash-safe, append-only log file.
///
/// File format: an 8-byte header `SPINKV1\n`, then records
///
///     u32 LE payload length | u32 LE CRC-32 of the payload | payload
///     payload = u8 op (1 = set, 2 = delete) | u32 LE key length | key | value
///
/// Every write appends one record and `fsync`s before returning, so an
/// acknowledged write survives a crash. On open the log is replayed:
/// - an incomplete last record (a crash mid-append, never acknowledged) is cut off;
/// - a record that fails its CRC (or is malformed) anywhere else is *damage*: replay
///   resynchronises at the next intact record and keeps every one after it, the damaged
///   file is kept beside the log (`<log>.damaged-<time>`, never deleted), the log is
///   rewritten from what was recovered, and `recovery` says which byte ranges were lost
///   (`spin up` logs it);
/// - a `<log>.compact` left by a crash during compaction is removed (the log it would have
///   replaced is still whole), or renamed into place if the log itself is missing.
/// When the
/// log has grown to more than twice the live data (and past `compactionThreshold`
/// bytes) it is rewritten to a temporary file, fsynced and renamed over the
/// old one (atomic on POSIX), then the directory is fsynced. The log is
/// `flock`ed: a second store (or a second process) on the same file is refused.
package final class FileKeyValueStore: KeyValueStore, @unchecked Sendable {
    package static let magic: [UInt8] = Array("SPINKV1\n".utf8)
    static let opSet: UInt8 = 1
    static let opDelete: UInt8 = 2
    /// Largest record accepted on replay (guards against a corrupt length).
    static let maxRecord = 1 << 30

    package let path: String
    package let compactionThreshold: Int
    private let lock = Mutex<Void>(())
    private var fd: Int32 = -1
    private var data: [String: [UInt8]] = [:]
    private var fileSize = 0
    private var liveBytes = 0
    /// Bytes dropped from the log when it was opened (a torn tail and damaged records).
    package private(set) var recoveredTruncatedBytes = 0
    /// What opening the log had to repair, when it had to (nil for a clean log).
    package private(set) var recovery: KeyValueRecovery?

    /// Opens (creating if needed, with parent directories) the log at `path`.
    package init(path: String, compactionThreshold: Int = 1 << 20) throws(KeyValueError) {
        self.path = path
        self.compactionThreshold = compactionThreshold
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw .io("cannot create directory \(dir): \(error.localizedDescription)")
            }
        }
        try openAndReplay()
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// Closes the log (and releases its lock); later writes fail with `io`.
    package func close() {
        lock.withLock { _ in
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
        }
    }

    /// Number of live keys.
    package var count: Int { lock.withLock { _ in data.count } }

    private func openAndReplay() throws(KeyValueError) {
        var notes: [String] = []
        let leftover = path + ".compact"
        if access(leftover, F_OK) == 0 {
            // A crash during compaction: the rename never happened, so the log is whole and the
            // leftover holds only a copy of its live data. Without a log, the copy is all there is.
            if access(path, F_OK) == 0 {
                unlink(leftover)
                notes.append("removed \(leftover), left by an interrupted compaction (the log itself is whole)")
            } else if rename(leftover, path) == 0 {
                notes.append("the log was missing; restored it from \(leftover) (a finished compaction's copy)")
            }
        }
        let f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard f >= 0 else { throw .io("cannot open \(path): \(String(cString: strerror(errno)))") }
        fd = f
        // One writer per log: a second `spin up` on the same state dir would interleave appends.
        // A child process forked elsewhere in this process holds a copy of a just-closed log's
        // descriptor (and its lock) until it execs: give such a copy a moment to go away.
        var locked = flock(f, LOCK_EX | LOCK_NB) == 0
        var waits = 0
        while !locked && errno == EWOULDBLOCK && waits < 50 {
            usleep(10_000)
            waits += 1
            locked = flock(f, LOCK_EX | LOCK_NB) == 0
        }
        guard locked else {
            throw .io("key-value store \(path) is in use by another process (or another open store in this one)")
        }
        var st = stat()
        guard fstat(f, &st) == 0 else { throw .io("cannot stat \(path)") }
        let size = Int(st.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var got = 0
        while got < size {
            let n = bytes.withUnsafeMutableBytes { pread(f, $0.baseAddress! + got, size - got, off_t(got)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .io("cannot read \(path)") }
            got += n
        }
        if size < Self.magic.count || Array(bytes[0..<Self.magic.count]) != Self.magic {
            // Empty, or a crash while writing the header of a new file.
            if size > 0 && size >= Self.magic.count {
                if size >= 16 && Array(bytes[0..<16]) == Array("SQLite format 3\0".utf8) {
                    throw .io(
                        "\(path) is an SQLite database (Spin's key-value store); this host keeps its own format and cannot read it: give this store another `path`"
                    )
                }
                throw .io("\(path) is not a key-value log (bad header)")
            }
            try truncateAndWrite(Self.magic, at: 0)
            fileSize = Self.magic.count
            return
        }
        var off = Self.magic.count
        var damaged: [Range<Int>] = []
        var tornTail = 0
        while off < size {
            if let end = replayRecord(bytes, at: off, size: size) {
                off = end
                continue
            }
            // Not a record: resynchronise at the next offset where an intact one starts.
            var next = off + 1
            while next < size, Self.parseRecord(bytes, at: next, size: size) == nil { next += 1 }
            if next >= size && Self.isIncompleteTail(bytes, at: off, size: size) {
                tornTail = size - off  // a crash mid-append: that write was never acknowledged
            } else {
                damaged.append(off..<next)
            }
            off = next
        }
        recoveredTruncatedBytes = tornTail + damaged.reduce(0) { $0 + $1.count }
        fileSize = size - tornTail
        if damaged.isEmpty {
            if tornTail > 0 {
                guard ftruncate(f, off_t(fileSize)) == 0, fsync(f) == 0 else {
                    throw .io("cannot truncate torn tail of \(path)")
                }
                notes.append("cut off an incomplete last record (\(tornTail) bytes, a write interrupted by a crash)")
            }
            if !notes.isEmpty { recovery = KeyValueRecovery(path: path, damaged: [], keptAt: nil, notes: notes) }
            return
        }
        // Keep the damaged file as it is, then rewrite the log from what replay recovered.
        let stem = path + ".damaged-" + Self.timestamp()
        var aside = stem
        var attempt = 1
        while !copyFile(bytes, to: aside) {
            guard errno == EEXIST, attempt < 1000 else {
                throw .io("cannot keep a copy of damaged \(path) at \(aside): \(String(cString: strerror(errno)))")
            }
            aside = stem + "-\(attempt)"
            attempt += 1
        }
        if tornTail > 0 { notes.append("cut off an incomplete last record (\(tornTail) bytes)") }
        try compactLocked()
        recovery = KeyValueRecovery(path: path, damaged: damaged, keptAt: aside, notes: notes)
    }

    /// Applies the record at `offset` if it is intact; returns where the next one starts.
    private func replayRecord(_ bytes: [UInt8], at offset: Int, size: Int) -> Int? {
        guard let r = Self.parseRecord(bytes, at: offset, size: size) else { return nil }
        apply(r.key, r.op == Self.opSet ? r.value : nil)
        return r.end
    }

    /// The intact record at `offset`: length in range, CRC matching, a known op and a UTF-8 key.
    static func parseRecord(_ bytes: [UInt8], at off: Int, size: Int) -> (
        op: UInt8, key: String, value: [UInt8], end: Int
    )? {
        guard off + 13 <= size else { return nil }
        let len = Int(le32(bytes, off))
        guard len >= 5, len <= maxRecord, off + 8 + len <= size else { return nil }
        let op = bytes[off + 8]
        guard op == opSet || op == opDelete else { return nil }
        let klen = Int(le32(bytes, off + 9))
        guard klen <= len - 5, CRC32.checksum(bytes[(off + 8)..<(off + 8 + len)]) == le32(bytes, off + 4),
            let key = String(validating: bytes[(off + 13)..<(off + 13 + klen)], as: UTF8.self)
        else { return nil }
        return (op, key, Array(bytes[(off + 13 + klen)..<(off + 8 + len)]), off + 8 + len)
    }

    /// Whether the bytes from `off` to the end are the start of a record that was never
    /// finished: too short for a header, or a header whose length runs past the end.
    static func isIncompleteTail(_ bytes: [UInt8], at off: Int, size: Int) -> Bool {
        guard off + 8 <= size else { return true }
        let len = Int(le32(bytes, off))
        return len >= 5 && len <= maxRecord && off + 8 + len > size
    }

    static func timestamp() -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// Writes `bytes` to a new file at `target` and fsyncs it; false if that fails.
    private func copyFile(_ bytes: [UInt8], to target: String) -> Bool {
        let t = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard t >= 0 else { return false }
        defer { Glibc.close(t) }
        do { try writeAll(bytes, at: 0, fd: t) } catch { return false }
        return fsync(t) == 0
    }

    private func apply(_ key: String, _ value: [UInt8]?) {
        if let old = data[key] { liveBytes -= Self.recordSize(key: key, value: old) }
        if let value {
            data[key] = value
            liveBytes += Self.recordSize(key: key, value: value)
        } else {
            data[key] = nil
        }
    }

    static func recordSize(key: String, value: [UInt8]) -> Int { 13 + key.utf8.count + value.count }

    static func le32(_ b: [UInt8], _ o: Int) -> UInt32 {
        UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
    }

    static func record(op: UInt8, key: String, value: [UInt8]) -> [UInt8] {
        var payload: [UInt8] = [op]
        let k = Array(key.utf8)
        appendLE32(&payload, UInt32(k.count))
        payload += k
        payload += value
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 8)
        appendLE32(&out, UInt32(payload.count))
        appendLE32(&out, CRC32.checksum(payload))
        out += payload
        return out
    }

    static func appendLE32(_ a: inout [UInt8], _ v: UInt32) {
        a += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)]
    }

    private func writeAll(_ bytes: [UInt8], at offset: Int, fd f: Int32) throws(KeyValueError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes {
                pwrite(f, $0.baseAddress! + done, bytes.count - done, off_t(offset + done))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .io("write to \(path) failed: \(String(cString: strerror(errno)))") }
            done += n
        }
    }

    private func truncateAndWrite(_ bytes: [UInt8], at offset: Int) throws(KeyValueError) {
        guard ftruncate(fd, off_t(offset)) == 0 else { throw .io("cannot truncate \(path)") }
        try writeAll(bytes, at: offset, fd: fd)
        guard fsync(fd) == 0 else { throw .io("fsync of \(path) failed") }
    }

    private func append(op: UInt8, key: String, value: [UInt8]) throws(KeyValueError) {
        guard fd >= 0 else { throw .io("key-value store \(path) is closed") }
        let rec = Self.record(op: op, key: key, value: value)
        guard rec.count - 8 <= Self.maxRecord else { throw .io("value too large") }
        do throws(KeyValueError) {
            try writeAll(rec, at: fileSize, fd: fd)
            guard fsync(fd) == 0 else { throw KeyValueError.io("fsync of \(path) failed") }
        } catch {
            // Leave no partial record behind for the next append to follow.
            _ = ftruncate(fd, off_t(fileSize))
            throw error
        }
        fileSize += rec.count
    }

    private func compactIfNeeded() throws(KeyValueError) {
        guard fileSize > compactionThreshold, fileSize > 2 * (liveBytes + Self.magic.count) else { return }
        try compactLocked()
    }

    /// Rewrites the log with only the live records.
    package func compact() throws(KeyValueError) {
        try lock.withLock { _ throws(KeyValueError) in try compactLocked() }
    }

    private func compactLocked() throws(KeyValueError) {
        let tmp = path + ".compact"
        let t = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard t >= 0 else { throw .io("cannot create \(tmp)") }
        var out = Self.magic
        for key in data.keys.sorted() { out += Self.record(op: Self.opSet, key: key, value: data[key]!) }
        do throws(KeyValueError) {
            try writeAll(out, at: 0, fd: t)
            guard fsync(t) == 0 else { throw KeyValueError.io("fsync of \(tmp) failed") }
        } catch {
            Glibc.close(t)
            unlink(tmp)
            throw error
        }
        guard rename(tmp, path) == 0 else {
            Glibc.close(t)
            unlink(tmp)
            throw .io("cannot replace \(path)")
        }
        let dir = (path as NSString).deletingLastPathComponent
        let d = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if d >= 0 { _ = fsync(d); Glibc.close(d) }
        _ = flock(t, LOCK_EX | LOCK_NB)
        Glibc.close(fd)
        fd = t
        fileSize = out.count
    }

    /// Current size of the log file in bytes.
    package var logSize: Int { lock.withLock { _ in fileSize } }

    package func get(_ key: String) throws(KeyValueError) -> [UInt8] {
        let v = lock.withLock { _ in data[key] }
        guard let v else { throw .noSuchKey }
        return v
    }

    package func set(_ key: String, _ value: [UInt8]) throws(KeyValueError) {
        try lock.withLock { _ throws(KeyValueError) in
            try append(op: Self.opSet, key: key, value: value)
            apply(key, value)
            try compactIfNeeded()
        }
    }

    package func delete(_ key: String) throws(KeyValueError) {
        try lock.withLock { _ throws(KeyValueError) in
            guard data[key] != nil else { return }
            try append(op: Self.opDelete, key: key, value: [])
            apply(key, nil)
            try compactIfNeeded()
        }
    }

    package func exists(_ key: String) throws(KeyValueError) -> Bool {
        lock.withLock { _ in data[key] != nil }
    }

    package func keys() throws(KeyValueError) -> [String] {
        lock.withLock { _ in data.keys.sorted() }
    }

    package func increment(_ key: String, by delta: Int64) throws(KeyValueError) -> Int64 {
        try lock.withLock { _ throws(KeyValueError) in
            let next = try KeyValueCounter.add(delta, to: data[key], key: key)
            let value = KeyValueCounter.bytes(next)
            try append(op: Self.opSet, key: key, value: value)
            apply(key, value)
            try compactIfNeeded()
            return next
        }
    }

    package func compareAndSwap(_ key: String, expected: [UInt8]?, value: [UInt8]) throws(KeyValueError) -> Bool {
        try lock.withLock { _ throws(KeyValueError) in
            guard data[key] == expected else { return false }
            try append(op: Self.opSet, key: key, value: value)
            apply(key, value)
            try compactIfNeeded()
            return true
        }
    }
}
