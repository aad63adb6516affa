/// The RESP fuzz target: what `Scripts/fuzz resp` runs under libFuzzer and what the replay
/// test runs on every file of `Fixtures/fuzz/{crashes,seeds}`, so that a replayed finding
/// takes exactly the path that was fuzzed.
///
/// It accepts any bytes; a rejected input is the expected outcome. Besides crashes, it
/// checks properties the decoder promises (a prefix of a complete value needs more bytes;
/// encode + decode is the identity) and stops the process with a message naming the
/// broken property.
public enum RedisClientFuzzTargets {
    /// Decodes `bytes` as RESP2 replies one after another. For every complete value, a
    /// shorter prefix of its bytes must need more, and re-encoding it must decode to itself.
    public static func resp(_ bytes: [UInt8]) {
        var rest = bytes[...]
        while !rest.isEmpty {
            guard case .value(let value, let consumed)? = try? RESPDecoder.decode(rest) else { return }
            guard consumed > 0, consumed <= rest.count else { fatalError("RESP decoder: consumed \(consumed) bytes") }
            for cut in Set([consumed - 1, consumed / 2, 1]) where cut < consumed {
                let prefix = rest.prefix(cut)
                guard case .needMore? = try? RESPDecoder.decode(prefix) else {
                    fatalError("RESP decoder: a \(cut)-byte prefix of a \(consumed)-byte value is not `needMore`")
                }
            }
            let encoded = RESPEncoder.encode(value)
            guard case .value(value, encoded.count)? = try? RESPDecoder.decode(encoded) else {
                fatalError("RESP decoder: \(value) does not survive encode + decode")
            }
            rest = rest.dropFirst(consumed)
        }
    }
}
