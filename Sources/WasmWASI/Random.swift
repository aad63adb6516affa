/// `random_get`: bytes from the system's cryptographic generator.
extension WASI {
    public func randomGet(_ memory: GuestMemory, buffer: UInt32, length: UInt32) throws(Errno) {
        try memory.withBytes(at: buffer, count: length) { bytes in
            var rng = SystemRandomNumberGenerator()
            var i = 0
            while i < bytes.count {
                let word = rng.next()
                let n = min(8, bytes.count - i)
                withUnsafeBytes(of: word) { w in
                    for k in 0..<n { bytes[i + k] = w[k] }
                }
                i += n
            }
        }
    }
}
