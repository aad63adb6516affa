import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a connection's raw bytes as they arrive, noting when each part came, for tests of
/// streamed responses (the first bytes must arrive before the last are written).
package final class RawReader: @unchecked Sendable {
    package let fd: Int32
    /// Everything received so far.
    package private(set) var received: [UInt8] = []
    /// Whether the peer closed (EOF or reset) or the read timed out.
    package private(set) var closed = false

    /// `fd` should have a receive timeout (TestClient sets one).
    package init(fd: Int32) { self.fd = fd }

    package var text: String { String(decoding: received, as: UTF8.self) }

    /// Reads until `received` contains `needle`; returns when it was seen (nil on close/timeout).
    @discardableResult
    package func read(until needle: String) -> ContinuousClock.Instant? {
        let bytes = Array(needle.utf8)
        while !contains(bytes) {
            guard fill() else { return nil }
        }
        return ContinuousClock.now
    }

    /// Reads until the peer closes or the read times out.
    package func readToClose() {
        while fill() {}
    }

    private func fill() -> Bool {
        var buf = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &buf, buf.count, 0)
        if n <= 0 {
            closed = true
            return false
        }
        received += buf[0..<n]
        return true
    }

    private func contains(_ needle: [UInt8]) -> Bool {
        guard received.count >= needle.count else { return false }
        for i in 0...(received.count - needle.count) where received[i] == needle[0] {
            if Array(received[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }
}
