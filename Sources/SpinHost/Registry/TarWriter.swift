/// Writes a ustar archive of regular files (mode 0644, owner 0, time 0), with a GNU
/// `././@LongLink` entry before a name longer than 100 bytes: what Spin's archive layers hold.
package enum TarWriter {
    /// The archive of `files` (paths relative, `/`-separated), ending with two zero blocks.
    package static func archive(_ files: [(path: String, bytes: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        for file in files {
            let name = Array(file.path.utf8)
            if name.count > 100 {
                append(header(name: Array("././@LongLink".utf8), size: name.count + 1, type: "L"), &out)
                append(name + [0], &out)
            }
            append(header(name: Array(name.prefix(100)), size: file.bytes.count, type: "0"), &out)
            append(file.bytes, &out)
        }
        out += [UInt8](repeating: 0, count: 1024)
        return out
    }

    /// `bytes` padded with zeros to a multiple of 512.
    private static func append(_ bytes: [UInt8], _ out: inout [UInt8]) {
        out += bytes
        out += [UInt8](repeating: 0, count: (512 - bytes.count % 512) % 512)
    }

    private static func header(name: [UInt8], size: Int, type: Character) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ bytes: [UInt8], at offset: Int) { h.replaceSubrange(offset..<offset + bytes.count, with: bytes) }
        func octal(_ value: Int, digits: Int) -> [UInt8] {
            let text = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, digits - text.count)) + text).utf8) + [0]
        }
        put(name, at: 0)
        put(octal(0o644, digits: 7), at: 100)
        put(octal(0, digits: 7), at: 108)
        put(octal(0, digits: 7), at: 116)
        put(octal(size, digits: 11), at: 124)
        put(octal(0, digits: 11), at: 136)
        put([UInt8](repeating: 32, count: 8), at: 148)
        h[156] = type.asciiValue!
        put(Array("ustar\u{0}00".utf8), at: 257)
        let checksum = h.reduce(0) { $0 + Int($1) }
        put(octal(checksum, digits: 6) + [32], at: 148)
        return h
    }
}
