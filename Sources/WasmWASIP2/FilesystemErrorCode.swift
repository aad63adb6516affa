import WasmComponents
import WasmWASI

/// `error-code` of `wasi:filesystem/types` 0.2, in declaration order (the raw value is the
/// enum index the canonical ABI passes).
public enum FilesystemErrorCode: Int, Sendable, CaseIterable {
    case access, wouldBlock, already, badDescriptor, busy, deadlock, quota, exist, fileTooLarge
    case illegalByteSequence, inProgress, interrupted, invalid, io, isDirectory, loop, tooManyLinks
    case messageSize, nameTooLong, noDevice, noEntry, noLock, insufficientMemory, insufficientSpace
    case notDirectory, notEmpty, notRecoverable, unsupported, noTty, noSuchDevice, overflow
    case notPermitted, pipe, readOnly, invalidSeek, textFileBusy, crossDevice

    /// The code for a preview1 error, as wasmtime maps host errors. A path that would leave
    /// its preopen (preview1 `notcapable`) is `not-permitted`.
    public init(_ errno: Errno) {
        switch errno {
        case .acces: self = .access
        case .again: self = .wouldBlock
        case .already: self = .already
        case .badf: self = .badDescriptor
        case .busy: self = .busy
        case .deadlk: self = .deadlock
        case .dquot: self = .quota
        case .exist: self = .exist
        case .fbig: self = .fileTooLarge
        case .ilseq: self = .illegalByteSequence
        case .inprogress: self = .inProgress
        case .intr: self = .interrupted
        case .inval: self = .invalid
        case .isdir: self = .isDirectory
        case .loop: self = .loop
        case .mlink: self = .tooManyLinks
        case .msgsize: self = .messageSize
        case .nametoolong: self = .nameTooLong
        case .nodev: self = .noDevice
        case .noent: self = .noEntry
        case .nolck: self = .noLock
        case .nomem: self = .insufficientMemory
        case .nospc: self = .insufficientSpace
        case .notdir: self = .notDirectory
        case .notempty: self = .notEmpty
        case .notrecoverable: self = .notRecoverable
        case .notsup, .nosys: self = .unsupported
        case .notty: self = .noTty
        case .nxio: self = .noSuchDevice
        case .overflow: self = .overflow
        case .perm, .notcapable: self = .notPermitted
        case .pipe: self = .pipe
        case .rofs: self = .readOnly
        case .spipe: self = .invalidSeek
        case .txtbsy: self = .textFileBusy
        case .xdev: self = .crossDevice
        default: self = .io
        }
    }

}

extension ComponentValue {
    /// `error-code` of `wasi:filesystem/types`.
    public static func filesystemError(_ code: FilesystemErrorCode) -> ComponentValue { .enumeration(code.rawValue) }
}
