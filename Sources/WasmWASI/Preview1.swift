import WasmCore

/// The one adapter between wasm and the Swift implementation: import names,
/// wasm signatures (i32/i64 parameters, an i32 errno result), argument
/// decoding, result pointers, and `Errno` -> i32.
///
/// Errors other than `Errno` leave the host function unchanged: `WASIExit`
/// (from `proc_exit`) ends the guest's run, a `Trap` traps.
extension WASI {
    /// Every preview1 function, as `Imports` under `wasi_snapshot_preview1`.
    public func imports() -> Imports {
        var imports = Imports()
        define(into: &imports)
        return imports
    }

    /// Adds every preview1 function to `imports` under `wasi_snapshot_preview1`.
    public func define(into imports: inout Imports) {
        for (name, function) in functions() {
            imports.define(module: WASI.moduleName, name: name, .function(function))
        }
    }

    /// Every preview1 function as host functions shared by all stores: each call
    /// uses the `WASI` of the calling store (`Store.data`, a `WASIProviding`).
    /// Made once per process, so instantiating per request builds no imports.
    public static func sharedImports() -> Imports { sharedImportsOnce }

    private static let sharedImportsOnce: Imports = {
        var imports = Imports()
        for entry in WASI.preview1 {
            let type = FunctionType(parameters: entry.parameters, results: entry.returnsErrno ? [.i32] : [])
            let function = Function(type: type) { caller, arguments in
                guard let wasi = (caller.store.data as? WASIProviding)?.wasi else {
                    throw Trap(
                        .host("\(entry.name): the store has no WASI context (set Store.data to a WASIProviding)"))
                }
                return try wasi.run(entry, memory: caller.memory, arguments)
            }
            imports.define(module: WASI.moduleName, name: entry.name, .function(function))
        }
        return imports
    }()

    /// The preview1 functions as host functions bound to this instance, by import name.
    public func functions() -> [(name: String, function: Function)] {
        WASI.preview1.map { entry in
            let type = FunctionType(parameters: entry.parameters, results: entry.returnsErrno ? [.i32] : [])
            let function = Function(type: type) { [self] caller, arguments in
                try run(entry, memory: caller.memory, arguments)
            }
            return (entry.name, function)
        }
    }

    /// Calls preview1 function `name` exactly as a guest import would, with
    /// `memory` as the guest's memory (for tests, tracing and embedders).
    /// Unknown names trap.
    public func call(_ name: String, memory: Memory?, _ arguments: [Value]) throws -> [Value] {
        guard let entry = WASI.preview1.first(where: { $0.name == name }) else {
            throw Trap(.host("unknown WASI function \(name)"))
        }
        return try run(entry, memory: memory, arguments)
    }

    func run(_ entry: Preview1Entry, memory: Memory?, _ arguments: [Value]) throws -> [Value] {
        let args = try Arguments(arguments, entry)
        do {
            try entry.call(self, GuestMemory(memory), args)
        } catch let errno as Errno {
            return [.i32(UInt32(errno.rawValue))]
        }
        return entry.returnsErrno ? [.i32(0)] : []
    }

    /// The import names of all 46 preview1 functions.
    public static var functionNames: [String] { preview1.map(\.name) }

    /// The wasm type of preview1 function `name`.
    public static func functionType(_ name: String) -> FunctionType? {
        preview1.first { $0.name == name }.map {
            FunctionType(parameters: $0.parameters, results: $0.returnsErrno ? [.i32] : [])
        }
    }
}

/// What a store's `data` offers so the shared WASI functions find their context.
public protocol WASIProviding: AnyObject {
    var wasi: WASI { get }
}

extension WASI: WASIProviding {
    public var wasi: WASI { self }
}

/// Arguments of one call, checked against the signature.
struct Arguments {
    let values: [Value]

    init(_ values: [Value], _ entry: Preview1Entry) throws {
        guard values.count == entry.parameters.count, zip(values, entry.parameters).allSatisfy({ $0.type == $1 }) else {
            throw Trap(.host("\(entry.name): arguments \(values) do not match \(entry.parameters)"))
        }
        self.values = values
    }

    func u32(_ i: Int) -> UInt32 {
        if case .i32(let v) = values[i] { return v }
        return 0
    }

    func u64(_ i: Int) -> UInt64 {
        if case .i64(let v) = values[i] { return v }
        return 0
    }

    func s64(_ i: Int) -> Int64 { Int64(bitPattern: u64(i)) }

    /// An i32 carrying a u8 (`whence`, `advice`, `sdflags`): larger values are `EINVAL`.
    func u8(_ i: Int) throws(Errno) -> UInt8 {
        guard let v = UInt8(exactly: u32(i)) else { throw .inval }
        return v
    }

    /// An i32 carrying a u16 (`oflags`, `fdflags`, `fstflags`, `riflags`, ...).
    func u16(_ i: Int) throws(Errno) -> UInt16 {
        guard let v = UInt16(exactly: u32(i)) else { throw .inval }
        return v
    }
}

struct Preview1Entry: Sendable {
    let name: String
    let parameters: [ValueType]
    let returnsErrno: Bool
    let call: @Sendable (WASI, GuestMemory, Arguments) throws -> Void

    init(
        _ name: String, _ parameters: [ValueType], returnsErrno: Bool = true,
        _ call: @escaping @Sendable (WASI, GuestMemory, Arguments) throws -> Void
    ) {
        self.name = name
        self.parameters = parameters
        self.returnsErrno = returnsErrno
        self.call = call
    }
}

extension GuestMemory {
    /// Reads a (pointer, length) string argument.
    func path(_ a: Arguments, _ pointer: Int) throws(Errno) -> String {
        try string(at: a.u32(pointer), count: a.u32(pointer + 1))
    }
}

extension WASI {
    static let preview1: [Preview1Entry] = {
        let i32 = ValueType.i32
        let i64 = ValueType.i64
        return [
            // MARK: args, environ
            Preview1Entry("args_get", [i32, i32]) { w, m, a in
                try w.argsGet(m, argv: a.u32(0), argvBuf: a.u32(1))
            },
            Preview1Entry("args_sizes_get", [i32, i32]) { w, m, a in
                let (count, size) = w.argsSizesGet()
                try m.check(a.u32(1), 4)
                try m.store(count, at: a.u32(0))
                try m.store(size, at: a.u32(1))
            },
            Preview1Entry("environ_get", [i32, i32]) { w, m, a in
                try w.environGet(m, environ: a.u32(0), environBuf: a.u32(1))
            },
            Preview1Entry("environ_sizes_get", [i32, i32]) { w, m, a in
                let (count, size) = w.environSizesGet()
                try m.check(a.u32(1), 4)
                try m.store(count, at: a.u32(0))
                try m.store(size, at: a.u32(1))
            },

            // MARK: clocks
            Preview1Entry("clock_res_get", [i32, i32]) { w, m, a in
                try m.store(try w.clockResGet(id: a.u32(0)), at: a.u32(1))
            },
            Preview1Entry("clock_time_get", [i32, i64, i32]) { w, m, a in
                try m.store(try w.clockTimeGet(id: a.u32(0), precision: a.u64(1)), at: a.u32(2))
            },

            // MARK: fd
            Preview1Entry("fd_advise", [i32, i64, i64, i32]) { w, m, a in
                try w.fdAdvise(fd: a.u32(0), offset: a.u64(1), length: a.u64(2), advice: a.u8(3))
            },
            Preview1Entry("fd_allocate", [i32, i64, i64]) { w, m, a in
                try w.fdAllocate(fd: a.u32(0), offset: a.u64(1), length: a.u64(2))
            },
            Preview1Entry("fd_close", [i32]) { w, m, a in
                try w.fdClose(fd: a.u32(0))
            },
            Preview1Entry("fd_datasync", [i32]) { w, m, a in
                try w.fdDatasync(fd: a.u32(0))
            },
            Preview1Entry("fd_fdstat_get", [i32, i32]) { w, m, a in
                try w.fdFdstatGet(fd: a.u32(0)).write(to: m, at: a.u32(1))
            },
            Preview1Entry("fd_fdstat_set_flags", [i32, i32]) { w, m, a in
                try w.fdFdstatSetFlags(fd: a.u32(0), flags: a.u16(1))
            },
            Preview1Entry("fd_fdstat_set_rights", [i32, i64, i64]) { w, m, a in
                try w.fdFdstatSetRights(fd: a.u32(0), rightsBase: a.u64(1), rightsInheriting: a.u64(2))
            },
            Preview1Entry("fd_filestat_get", [i32, i32]) { w, m, a in
                try w.fdFilestatGet(fd: a.u32(0)).write(to: m, at: a.u32(1))
            },
            Preview1Entry("fd_filestat_set_size", [i32, i64]) { w, m, a in
                try w.fdFilestatSetSize(fd: a.u32(0), size: a.u64(1))
            },
            Preview1Entry("fd_filestat_set_times", [i32, i64, i64, i32]) { w, m, a in
                try w.fdFilestatSetTimes(
                    fd: a.u32(0), accessTime: a.u64(1), modificationTime: a.u64(2), flags: a.u16(3))
            },
            Preview1Entry("fd_pread", [i32, i32, i32, i64, i32]) { w, m, a in
                try m.check(a.u32(4), 4)
                let n = try w.fdPread(m, fd: a.u32(0), iovs: a.u32(1), iovsCount: a.u32(2), offset: a.u64(3))
                try m.store(n, at: a.u32(4))
            },
            Preview1Entry("fd_prestat_get", [i32, i32]) { w, m, a in
                let length = try w.fdPrestatGet(fd: a.u32(0))
                try m.check(a.u32(1), Layout.prestat)
                try m.zero(a.u32(1), Layout.prestat)
                try m.store(UInt8(0), at: a.u32(1))
                try m.store(length, at: a.u32(1) + 4)
            },
            Preview1Entry("fd_prestat_dir_name", [i32, i32, i32]) { w, m, a in
                let name = try w.fdPrestatDirName(fd: a.u32(0))
                guard name.count <= Int(a.u32(2)) else { throw Errno.nametoolong }
                try m.write(name, at: a.u32(1))
            },
            Preview1Entry("fd_pwrite", [i32, i32, i32, i64, i32]) { w, m, a in
                try m.check(a.u32(4), 4)
                let n = try w.fdPwrite(m, fd: a.u32(0), iovs: a.u32(1), iovsCount: a.u32(2), offset: a.u64(3))
                try m.store(n, at: a.u32(4))
            },
            Preview1Entry("fd_read", [i32, i32, i32, i32]) { w, m, a in
                try m.check(a.u32(3), 4)
                let n = try w.fdRead(m, fd: a.u32(0), iovs: a.u32(1), iovsCount: a.u32(2))
                try m.store(n, at: a.u32(3))
            },
            Preview1Entry("fd_readdir", [i32, i32, i32, i64, i32]) { w, m, a in
                try m.check(a.u32(4), 4)
                let n = try w.fdReaddir(m, fd: a.u32(0), buffer: a.u32(1), length: a.u32(2), cookie: a.u64(3))
                try m.store(n, at: a.u32(4))
            },
            Preview1Entry("fd_renumber", [i32, i32]) { w, m, a in
                try w.fdRenumber(fd: a.u32(0), to: a.u32(1))
            },
            Preview1Entry("fd_seek", [i32, i64, i32, i32]) { w, m, a in
                try m.check(a.u32(3), 8)
                let n = try w.fdSeek(fd: a.u32(0), offset: a.s64(1), whence: a.u8(2))
                try m.store(n, at: a.u32(3))
            },
            Preview1Entry("fd_sync", [i32]) { w, m, a in
                try w.fdSync(fd: a.u32(0))
            },
            Preview1Entry("fd_tell", [i32, i32]) { w, m, a in
                try m.check(a.u32(1), 8)
                try m.store(try w.fdTell(fd: a.u32(0)), at: a.u32(1))
            },
            Preview1Entry("fd_write", [i32, i32, i32, i32]) { w, m, a in
                try m.check(a.u32(3), 4)
                let n = try w.fdWrite(m, fd: a.u32(0), iovs: a.u32(1), iovsCount: a.u32(2))
                try m.store(n, at: a.u32(3))
            },

            // MARK: path
            Preview1Entry("path_create_directory", [i32, i32, i32]) { w, m, a in
                try w.pathCreateDirectory(fd: a.u32(0), path: m.path(a, 1))
            },
            Preview1Entry("path_filestat_get", [i32, i32, i32, i32, i32]) { w, m, a in
                try m.check(a.u32(4), FileStat.size)
                try w.pathFilestatGet(fd: a.u32(0), flags: a.u32(1), path: m.path(a, 2)).write(to: m, at: a.u32(4))
            },
            Preview1Entry("path_filestat_set_times", [i32, i32, i32, i32, i64, i64, i32]) { w, m, a in
                try w.pathFilestatSetTimes(
                    fd: a.u32(0), flags: a.u32(1), path: m.path(a, 2), accessTime: a.u64(4), modificationTime: a.u64(5),
                    fstFlags: a.u16(6))
            },
            Preview1Entry("path_link", [i32, i32, i32, i32, i32, i32, i32]) { w, m, a in
                try w.pathLink(
                    oldFD: a.u32(0), oldFlags: a.u32(1), oldPath: m.path(a, 2), newFD: a.u32(4), newPath: m.path(a, 5))
            },
            Preview1Entry("path_open", [i32, i32, i32, i32, i32, i64, i64, i32, i32]) { w, m, a in
                try m.check(a.u32(8), 4)
                let fd = try w.pathOpen(
                    fd: a.u32(0), dirflags: a.u32(1), path: m.path(a, 2), oflags: a.u16(4), rightsBase: a.u64(5),
                    rightsInheriting: a.u64(6), fdflags: a.u16(7))
                try m.store(fd, at: a.u32(8))
            },
            Preview1Entry("path_readlink", [i32, i32, i32, i32, i32, i32]) { w, m, a in
                try m.check(a.u32(3), Int(a.u32(4)))
                try m.check(a.u32(5), 4)
                let target = try w.pathReadlink(fd: a.u32(0), path: m.path(a, 1), capacity: Int(a.u32(4)))
                try m.write(target, at: a.u32(3))
                try m.store(UInt32(target.count), at: a.u32(5))
            },
            Preview1Entry("path_remove_directory", [i32, i32, i32]) { w, m, a in
                try w.pathRemoveDirectory(fd: a.u32(0), path: m.path(a, 1))
            },
            Preview1Entry("path_rename", [i32, i32, i32, i32, i32, i32]) { w, m, a in
                try w.pathRename(fd: a.u32(0), oldPath: m.path(a, 1), newFD: a.u32(3), newPath: m.path(a, 4))
            },
            Preview1Entry("path_symlink", [i32, i32, i32, i32, i32]) { w, m, a in
                try w.pathSymlink(target: m.path(a, 0), fd: a.u32(2), newPath: m.path(a, 3))
            },
            Preview1Entry("path_unlink_file", [i32, i32, i32]) { w, m, a in
                try w.pathUnlinkFile(fd: a.u32(0), path: m.path(a, 1))
            },

            // MARK: poll, proc, sched, random
            Preview1Entry("poll_oneoff", [i32, i32, i32, i32]) { w, m, a in
                try m.check(a.u32(3), 4)
                let n = try w.pollOneoff(m, in: a.u32(0), out: a.u32(1), count: a.u32(2))
                try m.store(n, at: a.u32(3))
            },
            Preview1Entry("proc_exit", [i32], returnsErrno: false) { w, m, a in
                try w.procExit(code: a.u32(0))
            },
            Preview1Entry("proc_raise", [i32]) { w, m, a in
                try w.procRaise(signal: a.u32(0))
            },
            Preview1Entry("sched_yield", []) { w, m, a in
                try w.schedYield()
            },
            Preview1Entry("random_get", [i32, i32]) { w, m, a in
                try w.randomGet(m, buffer: a.u32(0), length: a.u32(1))
            },

            // MARK: sockets
            Preview1Entry("sock_accept", [i32, i32, i32]) { w, m, a in
                try m.check(a.u32(2), 4)
                try m.store(try w.sockAccept(fd: a.u32(0), flags: a.u16(1)), at: a.u32(2))
            },
            Preview1Entry("sock_recv", [i32, i32, i32, i32, i32, i32]) { w, m, a in
                try m.check(a.u32(4), 4)
                try m.check(a.u32(5), 2)
                let (length, flags) = try w.sockRecv(
                    m, fd: a.u32(0), riData: a.u32(1), riDataLength: a.u32(2), riFlags: a.u16(3))
                try m.store(length, at: a.u32(4))
                try m.store(flags, at: a.u32(5))
            },
            Preview1Entry("sock_send", [i32, i32, i32, i32, i32]) { w, m, a in
                try m.check(a.u32(4), 4)
                let n = try w.sockSend(m, fd: a.u32(0), siData: a.u32(1), siDataLength: a.u32(2), siFlags: a.u16(3))
                try m.store(n, at: a.u32(4))
            },
            Preview1Entry("sock_shutdown", [i32, i32]) { w, m, a in
                try w.sockShutdown(fd: a.u32(0), how: a.u8(1))
            },
        ]
    }()
}
