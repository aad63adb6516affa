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
                        return .i64(Bool.random(using: &rng) ? interesting64.randomElement(using: &rng)! : UInt64(rng.next() % 4096))
                    }
                    return .i32(Bool.random(using: &rng) ? interesting32.randomElement(using: &rng)! : UInt32(rng.next() % 70000))
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
