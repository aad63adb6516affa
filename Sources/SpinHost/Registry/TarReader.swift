/// The regular files of a tar archive (POSIX ustar, with GNU and pax extension headers
/// skipped): what Spin's archive layers hold. Names are not needed (files are cached by
/// digest), so only sizes and type flags are read.
package enum TarReader {
    /// Why an archive could not be read, with the byte offset of the header at fault.
    package struct Failure: Error, Equatable, CustomStringConvertible {
        package var offset: Int
        package var reason: String
        package var description: String { "tar archive invalid at byte \(offset): \(reason)" }
    }

    /// The contents of every regular file in `archive`, in order.
    package static func regularFiles(_ archive: [UInt8]) throws(Failure) -> [[UInt8]] {
        var files: [[UInt8]] = []
        var p = 0
        while p + 512 <= archive.count {
            let header = archive[p..<p + 512]
            if header.allSatisfy({ $0 == 0 }) { break }  // end of archive
            var checksum = 0
            for (i, b) in header.enumerated() { checksum += (148..<156).contains(i) ? 32 : Int(b) }
            guard let stored = octal(archive[p + 148..<p + 156]), stored == checksum else {
                throw Failure(offset: p, reason: "header checksum mismatch")
            }
            guard let size = octal(archive[p + 124..<p + 136]) else {
                throw Failure(offset: p + 124, reason: "bad size field")
            }
            let type = archive[p + 156]
            let data = p + 512
            guard data + size <= archive.count else {
                throw Failure(offset: p, reason: "entry of \(size) bytes is truncated")
            }
            if type == UInt8(ascii: "0") || type == 0 || type == UInt8(ascii: "7") {
                files.append(Array(archive[data..<data + size]))
            }
            p = data + (size + 511) / 512 * 512
        }
        return files
    }

    /// An octal field (NUL- or space-terminated, leading spaces allowed); nil when malformed.
    private static func octal(_ field: ArraySlice<UInt8>) -> Int? {
        var value = 0
        var seen = false
        for b in field {
            if b == 0 || (b == 32 && seen) { break }
            if b == 32 { continue }
            guard (48...55).contains(b) else { return nil }
            value = value * 8 + Int(b - 48)
            seen = true
        }
        return value
    }
}
