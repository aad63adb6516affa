import Foundation
import TestSupport
import Testing

@testable import SpinHost

/// Runs python3 with `script`, `input` on stdin; its stdout.
private func python(_ script: String, input: [UInt8] = []) throws -> [UInt8] {
    let python = try #require(executableOnPath("python3"))
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python)
    p.arguments = ["-c", script]
    let stdin = Pipe()
    let stdout = Pipe()
    p.standardInput = stdin
    p.standardOutput = stdout
    try p.run()
    let writer = Thread {
        stdin.fileHandleForWriting.write(Data(input))
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    return [UInt8](out)
}

/// Spin's archive layers are gzipped tars: the decoders against Python's gzip and tarfile (run as a
/// process, hence `.live`).
@Suite(
    .tags(.live),
    .enabled(if: executableOnPath("python3") != nil, "python3 is not installed; archive-layer tests skipped"))
struct ArchiveLayerLiveTests {
    /// Inputs that exercise stored, fixed and dynamic blocks, long matches and empty data.
    static let inputs: [(String, [UInt8])] = {
        var random = SystemRandomNumberGenerator()
        let noise = (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let text = Array(
            String(repeating: "the quick brown fox jumps over the lazy dog 0123456789\n", count: 3000).utf8)
        let wasm = Array(
            (try? Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Examples/hello-world/main.wasm"))) ?? Data())
        return [
            ("empty", []), ("one byte", [42]), ("noise", noise), ("text", text), ("wasm", wasm),
            ("runs", [UInt8](repeating: 7, count: 100_000)),
        ]
    }()

    @Test(arguments: [0, 1, 6, 9])
    func gzipOfEveryLevelDecompresses(level: Int) throws {
        for (name, bytes) in Self.inputs {
            let compressed = try python(
                "import gzip,sys; sys.stdout.buffer.write(gzip.compress(sys.stdin.buffer.read(), \(level)))",
                input: bytes)
            #expect(try Gzip.decompress(compressed) == bytes, "\(name) at level \(level)")
        }
    }

    @Test func concatenatedMembersAndHeaderFieldsAreRead() throws {
        // Two members, the first with a file name and comment (FNAME, FCOMMENT).
        let compressed = try python(
            """
            import gzip,io,sys
            b=io.BytesIO()
            with gzip.GzipFile(filename='a.txt',mode='wb',fileobj=b) as f: f.write(b'first ')
            sys.stdout.buffer.write(b.getvalue()+gzip.compress(b'second'))
            """)
        #expect(try Gzip.decompress(compressed) == Array("first second".utf8))
    }

    @Test func damagedDataIsRefusedWithItsOffset() throws {
        let good = try python("import gzip,sys; sys.stdout.buffer.write(gzip.compress(b'hello hello hello'))")
        #expect(throws: Gzip.Failure(offset: 0, reason: "not gzip (no 1f 8b magic)")) {
            try Gzip.decompress([1, 2, 3])
        }
        var badCRC = good
        badCRC[good.count - 8] ^= 1
        #expect(throws: Gzip.Failure(offset: good.count - 8, reason: "CRC-32 mismatch")) { try Gzip.decompress(badCRC) }
        #expect {
            try Gzip.decompress(Array(good.prefix(good.count - 12)))
        } throws: { error in
            "\(error)".hasPrefix("gzip data invalid at byte ")
        }
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(good, limit: 5) }
    }

    @Test func tarYieldsTheRegularFilesOnly() throws {
        let archive = try python(
            """
            import io,sys,tarfile
            b=io.BytesIO()
            with tarfile.open(fileobj=b,mode='w',format=tarfile.PAX_FORMAT) as t:
                def add(name,data,kind=tarfile.REGTYPE):
                    i=tarfile.TarInfo(name); i.type=kind; i.size=len(data); t.addfile(i,io.BytesIO(data))
                add('dir',b'',tarfile.DIRTYPE)
                add('dir/a.txt',b'alpha')
                add('dir/'+'long-name-'*20+'.txt',b'x'*1000)
                add('empty.txt',b'')
                i=tarfile.TarInfo('link'); i.type=tarfile.SYMTYPE; i.linkname='dir/a.txt'; t.addfile(i)
            sys.stdout.buffer.write(b.getvalue())
            """)
        let files = try TarReader.regularFiles(archive)
        #expect(files == [Array("alpha".utf8), [UInt8](repeating: UInt8(ascii: "x"), count: 1000), []])
        var damaged = archive
        damaged[0] ^= 1
        #expect(throws: TarReader.Failure(offset: 0, reason: "header checksum mismatch")) {
            try TarReader.regularFiles(damaged)
        }
    }

    /// What push writes (a stored-block gzip of a ustar with GNU long names) reads back here and
    /// in Python's gzip and tarfile.
    @Test func archivesWrittenHereReadEverywhere() throws {
        let long = String(repeating: "deep/", count: 30) + "file.txt"
        let files: [(path: String, bytes: [UInt8])] = [
            ("a.txt", Array("alpha".utf8)), ("empty", []), (long, [UInt8](repeating: 9, count: 70_000)),
            ("sub/b.bin", (0..<1000).map { UInt8($0 % 251) }),
        ]
        let layer = Gzip.storedMember(TarWriter.archive(files))
        #expect(try TarReader.regularFiles(Gzip.decompress(layer)) == files.map(\.bytes))
        let listing = try python(
            """
            import gzip,hashlib,io,sys,tarfile
            t=tarfile.open(fileobj=io.BytesIO(gzip.decompress(sys.stdin.buffer.read())))
            for m in t.getmembers(): print(m.name, m.size, hashlib.sha256(t.extractfile(m).read()).hexdigest())
            """, input: layer)
        let expected = files.map { "\($0.path) \($0.bytes.count) \(Digest.sha256($0.bytes).dropFirst(7))" }
        #expect(String(decoding: listing, as: UTF8.self).split(separator: "\n").map(String.init) == expected)
        #expect(try Gzip.decompress(Gzip.storedMember([])) == [])
    }
}
