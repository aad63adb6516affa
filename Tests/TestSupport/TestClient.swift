import Foundation
import Sockets

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking test client over a real socket, with a receive timeout so nothing hangs.
/// (Unchecked: send and receive may run on two threads; each touches only its side.)
package final class TestClient: @unchecked Sendable {
    package let fd: Int32
    private var pending: [UInt8] = []

    package init(port: Int, timeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket") }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr)
        let rc = withUnsafePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            close(fd)
            throw SocketError("connect failed: \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }

    package var localPort: Int {
        SocketAddress.local(of: fd)?.port ?? -1
    }

    package func send(_ text: String) { send(Array(text.utf8)) }

    package func send(_ bytes: [UInt8]) {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + off, bytes.count - off, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { return }
            off += n
        }
    }

    /// Reads more bytes into `pending`; false on EOF, error or timeout.
    private func fill() -> Bool {
        var buf = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &buf, buf.count, 0)
        if n <= 0 { return false }
        pending += buf[0..<n]
        return true
    }

    package struct Response {
        package var status: Int
        package var statusLine: String
        package var headers: [(String, String)]
        package var body: [UInt8]
        package var text: String { String(decoding: body, as: UTF8.self) }
        package func header(_ name: String) -> String? { headers.first { $0.0 == name.lowercased() }?.1 }
    }

    /// Reads one response (Content-Length or chunked framing; `head` true for HEAD requests).
    package func readResponse(head: Bool = false) -> Response? {
        var headerEnd: Int?
        while true {
            if let r = find(Array("\r\n\r\n".utf8), in: pending) { headerEnd = r; break }
            if !fill() { return nil }
        }
        let headText = String(decoding: pending[0..<headerEnd!], as: UTF8.self)
        pending.removeFirst(headerEnd! + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        let headers = lines.map { line -> (String, String) in
            let i = line.firstIndex(of: ":")!
            return (line[..<i].lowercased(), line[line.index(after: i)...].trimmingCharacters(in: .whitespaces))
        }
        var response = Response(status: status, statusLine: statusLine, headers: headers, body: [])
        if !head, status >= 200, status != 204, status != 304,
            response.header("transfer-encoding")?.lowercased().contains("chunked") == true
        {
            guard let body = readChunkedBody() else { return nil }
            response.body = body
            return response
        }
        let length = head || status < 200 ? 0 : Int(response.header("content-length") ?? "0") ?? 0
        while pending.count < length {
            if !fill() { return nil }
        }
        response.body = Array(pending[0..<length])
        pending.removeFirst(length)
        return response
    }

    /// One CRLF-terminated line from the stream, without the CRLF.
    private func readLine() -> String? {
        while true {
            if let end = find([0x0D, 0x0A], in: pending) {
                let line = String(decoding: pending[0..<end], as: UTF8.self)
                pending.removeFirst(end + 2)
                return line
            }
            if !fill() { return nil }
        }
    }

    /// A chunked body, decoded (trailers are read and dropped).
    private func readChunkedBody() -> [UInt8]? {
        var body: [UInt8] = []
        while true {
            guard let line = readLine(),
                let size = Int(line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? "", radix: 16)
            else { return nil }
            if size == 0 {
                while let trailer = readLine() {
                    if trailer.isEmpty { return body }
                }
                return nil
            }
            while pending.count < size + 2 {
                if !fill() { return nil }
            }
            body += pending[0..<size]
            pending.removeFirst(size + 2)
        }
    }

    /// True when the server closed the connection (EOF or reset) before the timeout.
    package func waitForClose() -> Bool {
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buf, buf.count, 0)
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
        }
    }

    private func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] {
            if Array(hay[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}
