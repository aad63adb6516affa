/// The HTTP fuzz target: what `Scripts/fuzz http` runs under libFuzzer and what the replay
/// test runs on every file of `Fixtures/fuzz/{crashes,seeds}/http`, so that a replayed
/// finding takes exactly the path that was fuzzed.
///
/// It accepts any bytes; a rejected input is the expected outcome. Besides crashes, it
/// checks a property the request parser promises (the same events however the bytes are
/// split) and stops the process with a message naming the broken property.
public enum HTTP1FuzzTargets {
    /// Small limits, so that the 413/431/chunk-line paths are reachable from short inputs.
    package static let httpFuzzLimits = HTTPLimits(maxHeaderBytes: 2048, maxBodyBytes: 8192, maxChunkLineBytes: 64)

    /// Parses `bytes` as a stream of pipelined HTTP/1.1 requests, once fed in one piece and
    /// once in pieces of 1 to 7 bytes; the two event streams must be the same.
    public static func httpRequest(_ bytes: [UInt8]) {
        let whole = httpEvents(bytes, stride: bytes.count)
        let stride = 1 + bytes.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xFFFF } % 7
        let pieces = httpEvents(bytes, stride: stride)
        guard whole == pieces else {
            fatalError("HTTP parser: events differ when fed in \(stride)-byte pieces:\n\(whole)\n---\n\(pieces)")
        }
    }

    /// The parser's events for `bytes` fed `stride` bytes at a time, each body coalesced
    /// (how bodies are split into events depends on how the bytes arrived).
    static func httpEvents(_ bytes: [UInt8], stride: Int) -> [String] {
        var parser = HTTPRequestParser(limits: httpFuzzLimits)
        var events: [String] = []
        var body: [UInt8] = []
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + max(stride, 1))
            parser.feed(bytes[offset..<end])
            offset = end
            while true {
                let event: HTTPParserEvent?
                do {
                    event = try parser.next()
                } catch {
                    events.append("error \(error)")
                    return events
                }
                guard let event else { break }
                switch event {
                case .head(let head, let framing, let expectContinue):
                    let fields = head.headers.map { "\($0.name): \($0.value)" }.joined(separator: "|")
                    events.append(
                        "head \(head.method) \(head.target) \(head.version) [\(fields)] \(framing) \(expectContinue)")
                case .body(let bytes):
                    body += bytes
                    if body.count > httpFuzzLimits.maxBodyBytes { fatalError("HTTP parser: body beyond the limit") }
                case .end(let trailers):
                    let fields = trailers.map { "\($0.name): \($0.value)" }.joined(separator: "|")
                    events.append("body \(body.count) \(body.hashValue) end [\(fields)]")
                    body = []
                }
                if events.count > bytes.count + 2 { fatalError("HTTP parser: more events than input bytes") }
            }
        } while offset < bytes.count
        events.append("needs more: \(body.count) body bytes pending, inside message \(parser.isInsideMessage)")
        return events
    }
}
