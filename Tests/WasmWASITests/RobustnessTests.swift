import Foundation
import Testing
import WasmCore
import WasmWASI

@Suite struct RobustnessTests {
    static let descriptorFunctions: [(String, [Value])] = [
        ("fd_advise", [.i64(0), .i64(0), .i32(0)]), ("fd_allocate", [.i64(0), .i64(1)]), ("fd_close", []),
        ("fd_datasync", []), ("fd_fdstat_get", [.i32(64)]), ("fd_fdstat_set_flags", [.i32(0)]),
        ("fd_fdstat_set_rights", [.i64(0), .i64(0)]), ("fd_filestat_get", [.i32(64)]),
        ("fd_filestat_set_size", [.i64(0)]), ("fd_filestat_set_times", [.i64(0), .i64(0), .i32(0)]),
        ("fd_pread", [.i32(64), .i32(0), .i64(0), .i32(128)]), ("fd_prestat_get", [.i32(64)]),
        ("fd_prestat_dir_name", [.i32(64), .i32(8)]), ("fd_pwrite", [.i32(64), .i32(0), .i64(0), .i32(128)]),
        ("fd_read", [.i32(64), .i32(0), .i32(128)]), ("fd_readdir", [.i32(64), .i32(64), .i64(0), .i32(128)]),
        ("fd_renumber", [.i32(1)]), ("fd_seek", [.i64(0), .i32(0), .i32(128)]), ("fd_sync", []),
        ("fd_tell", [.i32(128)]), ("fd_write", [.i32(64), .i32(0), .i32(128)]),
        ("path_create_directory", [.i32(64), .i32(1)]), ("path_filestat_get", [.i32(0), .i32(64), .i32(1), .i32(128)]),
        ("path_filestat_set_times", [.i32(0), .i32(64), .i32(1), .i64(0), .i64(0), .i32(0)]),
        ("path_open", [.i32(0), .i32(64), .i32(1), .i32(0), .i64(0), .i64(0), .i32(0), .i32(128)]),
        ("path_readlink", [.i32(64), .i32(1), .i32(256), .i32(8), .i32(128)]),
        ("path_remove_directory", [.i32(64), .i32(1)]), ("path_unlink_file", [.i32(64), .i32(1)]),
        ("sock_accept", [.i32(0), .i32(128)]), ("sock_recv", [.i32(64), .i32(0), .i32(0), .i32(128), .i32(136)]),
        ("sock_send", [.i32(64), .i32(0), .i32(0), .i32(128)]), ("sock_shutdown", [.i32(1)]),
    ]

    @Test(arguments: descriptorFunctions.map(\.0))
    func unknownDescriptorsAreEBADF(name: String) throws {
        let tree = try TempTree()
        let guest = try tree.guest()
        try guest.memory.write(Array("a".utf8), at: 64)
        let rest = Self.descriptorFunctions.first { $0.0 == name }!.1
        let results = try guest.wasi.call(name, memory: guest.memory, [.i32(99)] + rest)
        #expect(results == [.i32(UInt32(Errno.badf.rawValue))])
    }

    /// Deterministic xorshift so failures reproduce.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    @Test func arbitraryArgumentsNeverCrash() throws {
        let tree = try TempTree()
        try tree.file("f", "data")
        let guest = try Guest(
            WASIConfiguration(
                args: ["x"], environment: ["A": "B"], preopens: [.init(hostPath: tree.sandbox, guestPath: "/")],
                stdin: .bytes([1, 2, 3]), stdout: .discard, stderr: .discard))
        var rng = Generator(state: 0x9E37_79B9_7F4A_7C15)
        let interesting32: [UInt32] = [0, 1, 2, 3, 4, 8, 24, 64, 65535, 65536, 0x7FFF_FFFF, 0xFFFF_FFFF]
        let interesting64: [UInt64] = [0, 1, 2, 1 << 32, UInt64(Int64.max), UInt64.max]
        for name in WASI.functionNames {
            let type = try #require(WASI.functionType(name))
            for _ in 0..<300 {
                let args: [Value] = type.parameters.map { t in
                    if t == .i64 {
                        return .i64(
                            Bool.random(using: &rng)
                                ? interesting64.randomElement(using: &rng)! : UInt64(rng.next() % 4096))
                    }
                    return .i32(
                        Bool.random(using: &rng)
                            ? interesting32.randomElement(using: &rng)! : UInt32(rng.next() % 70000))
                }
                // Keep clock waits short: any subscription in memory has a small timeout.
                if name == "poll_oneoff" { try guest.memory.write([UInt8](repeating: 0, count: 65536), at: 0) }
                do {
                    let results = try guest.wasi.call(name, memory: guest.memory, args)
                    #expect(results.count == type.results.count)
                } catch is WASIExit {
                    #expect(name == "proc_exit")
                }
            }
        }
        #expect(tree.exists(tree.outside + "/secret.txt"))
    }
}

/// Random path operations over paths built from names that are files, directories and
/// links in and out of the sandbox must never touch anything outside the preopen.
@Suite struct SandboxFuzzTests {
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func randomPathOperationsStayInside(seed: UInt64) throws {
        let tree = try TempTree()
        try tree.file("f", "data")
        try tree.file("d/g", "g")
        try tree.symlink("l", to: "../outside")
        try tree.symlink("m", to: "d")
        try tree.symlink("s", to: "../outside/secret.txt")
        let outsideBefore = try FileManager.default.contentsOfDirectory(atPath: tree.outside)
        let outsideInodes: Set<UInt64> = Set(
            [tree.outside, tree.outside + "/secret.txt", tree.root.path].map { path in
                var st = stat()
                lstat(path, &st)
                return UInt64(st.st_ino)
            })
        let guest = try tree.guest()
        var rng = RobustnessTests.Generator(state: 0x2545_F491_4F6C_DD1D &* seed)
        func random(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        let names = ["f", "d", "g", "l", "m", "s", "x", "secret.txt", ".", "..", ""]
        /// Writes a random path at `at`; returns (pointer, length).
        func path(at: UInt32) throws -> (Value, Value) {
            var p = (0...random(4)).map { _ in names[random(names.count)] }.joined(separator: "/")
            if random(10) == 0 { p = "/" + p }
            if p.isEmpty { p = "." }
            try guest.memory.write(Array(p.utf8), at: Int(at))
            return (.i32(at), .i32(UInt32(p.utf8.count)))
        }
        var opened: [UInt32] = [3]
        var okCount: [String: Int] = [:]
        for _ in 0..<4000 {
            let fd = Value.i32(random(3) == 0 ? opened[random(opened.count)] : 3)
            let flags = Value.i32(UInt32(random(2)))
            let (a, an) = try path(at: 0), (b, bn) = try path(at: 512)
            let out = Value.i32(4096)
            let call: (String, [Value])
            switch random(11) {
            case 0: call = ("path_create_directory", [fd, a, an])
            case 1: call = ("path_filestat_get", [fd, flags, a, an, out])
            case 2: call = ("path_filestat_set_times", [fd, flags, a, an, .i64(0), .i64(0), .i32(UInt32(random(16)))])
            case 3: call = ("path_link", [fd, flags, a, an, fd, b, bn])
            case 4:
                call = (
                    "path_open",
                    [
                        fd, flags, a, an, .i32(UInt32(random(16))), .i64(Rights.all.rawValue),
                        .i64(Rights.all.rawValue), .i32(0), out,
                    ]
                )
            case 5: call = ("path_readlink", [fd, a, an, .i32(1024), .i32(64), out])
            case 6: call = ("path_remove_directory", [fd, a, an])
            case 7: call = ("path_rename", [fd, a, an, fd, b, bn])
            case 8: call = ("path_symlink", [a, an, fd, b, bn])
            case 9: call = ("path_unlink_file", [fd, a, an])
            default:
                let buf = guest.iovecs([(2048, 16)])
                call =
                    random(2) == 0
                    ? ("fd_write", [fd, .i32(buf), .i32(1), out])
                    : ("fd_readdir", [fd, .i32(2048), .i32(512), .i64(0), out])
            }
            let r = try guest.wasi.call(call.0, memory: guest.memory, call.1)
            if r == [.i32(0)] {
                okCount[call.0, default: 0] += 1
                var inode: UInt64? = nil
                if call.0 == "path_filestat_get" { inode = guest.u64(4096 + 8) }
                if call.0 == "path_open" {
                    let newFD = guest.u32(4096)
                    opened.append(newFD)
                    _ = try guest.wasi.call("fd_filestat_get", memory: guest.memory, [.i32(newFD), .i32(4096)])
                    inode = guest.u64(4096 + 8)
                }
                // Nothing outside may even be looked at.
                if let inode { #expect(!outsideInodes.contains(inode), "\(call.0) reached outside") }
            }
        }
        // The fuzz did real work.
        #expect(okCount.values.reduce(0, +) > 200)
        #expect(okCount.count >= 8)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.outside).sorted() == outsideBefore.sorted())
        #expect(try String(contentsOfFile: tree.outside + "/secret.txt", encoding: .utf8) == "secret")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.root.path).sorted() == ["outside", "sandbox"])
    }
}
