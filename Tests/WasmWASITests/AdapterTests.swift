import Testing
import WasmCore
import WasmWASI

@Suite struct AdapterTests {
    static let witxNames: Set<String> = [
        "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get", "clock_time_get",
        "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
        "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
        "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek",
        "fd_sync", "fd_tell", "fd_write", "path_create_directory", "path_filestat_get", "path_filestat_set_times",
        "path_link", "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
        "path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise", "sched_yield", "random_get", "sock_accept",
        "sock_recv", "sock_send", "sock_shutdown",
    ]

    @Test func allFortySixFunctionsAreDefined() throws {
        #expect(WASI.functionNames.count == 46)
        #expect(Set(WASI.functionNames) == Self.witxNames)
        let imports = try WASI(configuration: WASIConfiguration()).imports()
        #expect(imports.names(inModule: WASI.moduleName).count == 46)
        for name in Self.witxNames {
            guard case .function(let f)? = imports.lookup(module: "wasi_snapshot_preview1", name: name) else {
                Issue.record("missing \(name)")
                continue
            }
            #expect(f.type == WASI.functionType(name))
        }
    }

    @Test func signaturesFollowTheWitx() {
        let i32 = ValueType.i32, i64 = ValueType.i64
        #expect(WASI.functionType("fd_write") == FunctionType(parameters: [i32, i32, i32, i32], results: [i32]))
        #expect(WASI.functionType("proc_exit") == FunctionType(parameters: [i32], results: []))
        #expect(WASI.functionType("sched_yield") == FunctionType(parameters: [], results: [i32]))
        #expect(WASI.functionType("clock_time_get") == FunctionType(parameters: [i32, i64, i32], results: [i32]))
        #expect(
            WASI.functionType("path_open")
                == FunctionType(parameters: [i32, i32, i32, i32, i32, i64, i64, i32, i32], results: [i32]))
        #expect(WASI.functionType("fd_seek") == FunctionType(parameters: [i32, i64, i32, i32], results: [i32]))
        #expect(
            WASI.functionType("path_filestat_set_times")
                == FunctionType(parameters: [i32, i32, i32, i32, i64, i64, i32], results: [i32]))
        #expect(WASI.functionType("fd_readdir") == FunctionType(parameters: [i32, i32, i32, i64, i32], results: [i32]))
        #expect(WASI.functionType("poll_oneoff") == FunctionType(parameters: [i32, i32, i32, i32], results: [i32]))
    }

    @Test func defineIntoKeepsOtherImports() throws {
        var imports = Imports()
        let g = Global(type: GlobalType(valueType: .i32, isMutable: false), value: .i32(1))
        imports.define(module: "env", name: "g", .global(g))
        try WASI(configuration: WASIConfiguration()).define(into: &imports)
        #expect(imports.lookup(module: "env", name: "g") != nil)
        #expect(imports.lookup(module: WASI.moduleName, name: "fd_write") != nil)
    }

    @Test func wrongArgumentTypesTrap() throws {
        let guest = try Guest()
        #expect(throws: Trap.self) { try guest.call("fd_close", .i64(1)) }
        #expect(throws: Trap.self) { try guest.call("fd_close") }
        #expect(throws: Trap.self) { try guest.wasi.call("no_such_function", memory: guest.memory, []) }
    }

    @Test func noMemoryIsEFAULTNotACrash() throws {
        let wasi = try WASI(configuration: WASIConfiguration(args: ["a"]))
        #expect(
            try wasi.call("args_sizes_get", memory: nil, [.i32(0), .i32(4)]) == [.i32(UInt32(Errno.fault.rawValue))])
        #expect(try wasi.call("sched_yield", memory: nil, []) == [.i32(0)])
    }

    @Test func narrowIntegerArgumentsAreRangeChecked() throws {
        let guest = try Guest()
        #expect(try guest.call("fd_seek", .i32(0), .i64(0), .i32(0x100), .i32(64)) == .inval)
        #expect(try guest.call("fd_fdstat_set_flags", .i32(1), .i32(0x1_0000)) == .inval)
    }

    @Test func errnoNumberingAndNames() {
        #expect(Errno.success.rawValue == 0)
        #expect(Errno.tooBig.rawValue == 1)
        #expect(Errno.badf.rawValue == 8)
        #expect(Errno.fault.rawValue == 21)
        #expect(Errno.inval.rawValue == 28)
        #expect(Errno.noent.rawValue == 44)
        #expect(Errno.nosys.rawValue == 52)
        #expect(Errno.notsup.rawValue == 58)
        #expect(Errno.rofs.rawValue == 69)
        #expect(Errno.notcapable.rawValue == 76)
        #expect(Errno.allCases.count == 77)
        #expect(Errno.badf.description == "EBADF")
        #expect(Errno.tooBig.description == "E2BIG")
        #expect(Errno.notcapable.name == "notcapable")
    }
}
