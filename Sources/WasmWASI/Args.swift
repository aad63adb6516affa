/// `args_*` and `environ_*`: NUL-terminated strings packed in a buffer, plus a pointer array.
extension WASI {
    var environStrings: [String] {
        configuration.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }

    /// (count, buffer size including the NULs).
    public func argsSizesGet() -> (count: UInt32, bufferSize: UInt32) {
        WASI.sizes(configuration.args)
    }

    public func argsGet(_ memory: GuestMemory, argv: UInt32, argvBuf: UInt32) throws(Errno) {
        try WASI.pack(configuration.args, memory, pointers: argv, buffer: argvBuf)
    }

    public func environSizesGet() -> (count: UInt32, bufferSize: UInt32) {
        WASI.sizes(environStrings)
    }

    public func environGet(_ memory: GuestMemory, environ: UInt32, environBuf: UInt32) throws(Errno) {
        try WASI.pack(environStrings, memory, pointers: environ, buffer: environBuf)
    }

    static func sizes(_ strings: [String]) -> (count: UInt32, bufferSize: UInt32) {
        (UInt32(strings.count), UInt32(strings.reduce(0) { $0 + $1.utf8.count + 1 }))
    }

    static func pack(_ strings: [String], _ memory: GuestMemory, pointers: UInt32, buffer: UInt32) throws(Errno) {
        let (count, size) = sizes(strings)
        try memory.check(pointers, Int(count) * 4)
        try memory.check(buffer, Int(size))
        var offset = buffer
        for (i, s) in strings.enumerated() {
            try memory.store(offset, at: pointers + UInt32(i) * 4)
            var bytes = Array(s.utf8)
            bytes.append(0)
            try memory.write(bytes, at: offset)
            offset += UInt32(bytes.count)
        }
    }
}
