#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Errno {
    /// The WASI error for a host `errno` value.
    init(host code: Int32) {
        switch code {
        case EPERM: self = .perm
        case ENOENT: self = .noent
        case ESRCH: self = .srch
        case EINTR: self = .intr
        case EIO: self = .io
        case ENXIO: self = .nxio
        case E2BIG: self = .tooBig
        case ENOEXEC: self = .noexec
        case EBADF: self = .badf
        case ECHILD: self = .child
        case EAGAIN: self = .again
        case ENOMEM: self = .nomem
        case EACCES: self = .acces
        case EFAULT: self = .fault
        case EBUSY: self = .busy
        case EEXIST: self = .exist
        case EXDEV: self = .xdev
        case ENODEV: self = .nodev
        case ENOTDIR: self = .notdir
        case EISDIR: self = .isdir
        case EINVAL: self = .inval
        case ENFILE: self = .nfile
        case EMFILE: self = .mfile
        case ENOTTY: self = .notty
        case ETXTBSY: self = .txtbsy
        case EFBIG: self = .fbig
        case ENOSPC: self = .nospc
        case ESPIPE: self = .spipe
        case EROFS: self = .rofs
        case EMLINK: self = .mlink
        case EPIPE: self = .pipe
        case EDOM: self = .dom
        case ERANGE: self = .range
        case EDEADLK: self = .deadlk
        case ENAMETOOLONG: self = .nametoolong
        case ENOLCK: self = .nolck
        case ENOSYS: self = .nosys
        case ENOTEMPTY: self = .notempty
        case ELOOP: self = .loop
        case ENOMSG: self = .nomsg
        case EIDRM: self = .idrm
        case ENOLINK: self = .nolink
        case EPROTO: self = .proto
        case EMULTIHOP: self = .multihop
        case EBADMSG: self = .badmsg
        case EOVERFLOW: self = .overflow
        case EILSEQ: self = .ilseq
        case ENOTSOCK: self = .notsock
        case EDESTADDRREQ: self = .destaddrreq
        case EMSGSIZE: self = .msgsize
        case EPROTOTYPE: self = .prototype
        case ENOPROTOOPT: self = .noprotoopt
        case EPROTONOSUPPORT: self = .protonosupport
        case EOPNOTSUPP: self = .notsup
        case EAFNOSUPPORT: self = .afnosupport
        case EADDRINUSE: self = .addrinuse
        case EADDRNOTAVAIL: self = .addrnotavail
        case ENETDOWN: self = .netdown
        case ENETUNREACH: self = .netunreach
        case ENETRESET: self = .netreset
        case ECONNABORTED: self = .connaborted
        case ECONNRESET: self = .connreset
        case ENOBUFS: self = .nobufs
        case EISCONN: self = .isconn
        case ENOTCONN: self = .notconn
        case ETIMEDOUT: self = .timedout
        case ECONNREFUSED: self = .connrefused
        case EHOSTUNREACH: self = .hostunreach
        case EALREADY: self = .already
        case EINPROGRESS: self = .inprogress
        case ESTALE: self = .stale
        case EDQUOT: self = .dquot
        case ECANCELED: self = .canceled
        case EOWNERDEAD: self = .ownerdead
        case ENOTRECOVERABLE: self = .notrecoverable
        default: self = .io
        }
    }

    /// The WASI error for the current host `errno`.
    static var current: Errno { Errno(host: errno) }
}
