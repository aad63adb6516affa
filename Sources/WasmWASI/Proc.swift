#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `proc_exit`, `proc_raise`, `sched_yield`.
extension WASI {
    /// Records the exit code and throws `WASIExit`, which ends the guest's run.
    public func procExit(code: UInt32) throws(WASIExit) -> Never {
        exitCode = code
        throw WASIExit(code: code)
    }

    /// Signals are not delivered to guests.
    public func procRaise(signal: UInt32) throws(Errno) {
        throw .nosys
    }

    public func schedYield() throws(Errno) {
        _ = sched_yield()
    }
}

/// `sock_*`: this host gives guests no sockets, so every descriptor is not one.
extension WASI {
    public func sockAccept(fd: UInt32, flags: UInt16) throws(Errno) -> UInt32 {
        _ = try descriptor(fd)
        throw .notsock
    }

    public func sockRecv(_ memory: GuestMemory, fd: UInt32, riData: UInt32, riDataLength: UInt32, riFlags: UInt16)
        throws(Errno) -> (length: UInt32, flags: UInt16)
    {
        _ = try descriptor(fd)
        throw .notsock
    }

    public func sockSend(_ memory: GuestMemory, fd: UInt32, siData: UInt32, siDataLength: UInt32, siFlags: UInt16)
        throws(Errno) -> UInt32
    {
        _ = try descriptor(fd)
        throw .notsock
    }

    public func sockShutdown(fd: UInt32, how: UInt8) throws(Errno) {
        _ = try descriptor(fd)
        throw .notsock
    }
}
