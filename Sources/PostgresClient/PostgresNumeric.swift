/// PostgreSQL's binary `numeric` format and decimal text: a header of four 16-bit words
/// (digit count, weight of the first digit in powers of 10000, sign, display scale) and the
/// base-10000 digits, most significant first. Sign `0x0000` is positive, `0x4000` negative,
/// `0xC000` NaN, `0xD000`/`0xF000` plus/minus infinity.
enum PostgresNumeric {
    static let positive: UInt16 = 0x0000
    static let negative: UInt16 = 0x4000
    static let nan: UInt16 = 0xC000
    static let infinity: UInt16 = 0xD000
    static let negativeInfinity: UInt16 = 0xF000

    /// The decimal text of a binary value (`-12.50`, with `scale` fraction digits), or nil
    /// when the bytes are not a numeric value.
    static func text(_ b: [UInt8]) -> String? {
        guard b.count >= 8 else { return nil }
        func word(_ i: Int) -> UInt16 { UInt16(b[i]) << 8 | UInt16(b[i + 1]) }
        let count = Int(word(0))
        let weight = Int(Int16(bitPattern: word(2)))
        let sign = word(4)
        let scale = Int(word(6))
        guard b.count == 8 + 2 * count, scale <= 0x3FFF else { return nil }
        switch sign {
        case nan: return "NaN"
        case infinity: return "Infinity"
        case negativeInfinity: return "-Infinity"
        case positive, negative: break
        default: return nil
        }
        var digits: [Int] = []
        for i in 0..<count {
            let d = Int(word(8 + 2 * i))
            guard d < 10000 else { return nil }
            digits.append(d)
        }
        // Group k (0-based) is worth 10000^(weight - k).
        var integer = ""
        if weight >= 0 {
            for k in 0...weight {
                let d = k < digits.count ? digits[k] : 0
                integer += k == 0 ? String(d) : pad(d)
            }
        } else {
            integer = "0"
        }
        var fraction = ""
        var k = weight + 1
        while fraction.count < scale {
            let d = k >= 0 && k < digits.count ? digits[k] : 0
            fraction += pad(d)
            k += 1
        }
        fraction = String(fraction.prefix(scale))
        let isZero = digits.allSatisfy { $0 == 0 }
        let body = scale > 0 ? integer + "." + fraction : integer
        return sign == negative && !isZero ? "-" + body : body
    }

    /// The binary value of decimal text: an optional sign, digits, an optional `.` and fraction
    /// digits (at least one digit in all; no exponent), or `NaN`/`Infinity`/`-Infinity`.
    static func binary(_ text: String) -> [UInt8]? {
        func header(_ count: Int, _ weight: Int, _ sign: UInt16, _ scale: Int) -> [UInt8] {
            [UInt16(count), UInt16(bitPattern: Int16(weight)), sign, UInt16(scale)].flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        }
        switch text {
        case "NaN": return header(0, 0, nan, 0)
        case "Infinity", "+Infinity": return header(0, 0, infinity, 0)
        case "-Infinity": return header(0, 0, negativeInfinity, 0)
        default: break
        }
        var s = Substring(text)
        var sign = positive
        if s.first == "-" || s.first == "+" {
            if s.first == "-" { sign = negative }
            s = s.dropFirst()
        }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerPart = parts[0]
        let fractionPart = parts.count > 1 ? parts[1] : ""
        guard !(integerPart.isEmpty && fractionPart.isEmpty),
            (integerPart + fractionPart).allSatisfy({ $0.isASCII && $0.isNumber }),
            fractionPart.count <= 0x3FFF
        else { return nil }
        let scale = fractionPart.count
        // Pad the integer part on the left and the fraction on the right to whole groups.
        let intDigits = Array(integerPart.utf8).map { Int($0 - 48) }
        let fracDigits = Array(fractionPart.utf8).map { Int($0 - 48) }
        let intPadded = Array(repeating: 0, count: (4 - intDigits.count % 4) % 4) + intDigits
        let fracPadded = fracDigits + Array(repeating: 0, count: (4 - fracDigits.count % 4) % 4)
        func groups(_ d: [Int]) -> [Int] {
            stride(from: 0, to: d.count, by: 4).map { d[$0] * 1000 + d[$0 + 1] * 100 + d[$0 + 2] * 10 + d[$0 + 3] }
        }
        var all = groups(intPadded) + groups(fracPadded)
        var weight = intPadded.count / 4 - 1
        while let first = all.first, first == 0 {
            all.removeFirst()
            weight -= 1
        }
        while let last = all.last, last == 0 { all.removeLast() }
        if all.isEmpty {
            weight = 0
            sign = positive
        }
        guard weight >= Int(Int16.min), weight <= Int(Int16.max), all.count <= Int(UInt16.max) else { return nil }
        return header(all.count, weight, sign, scale) + all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    private static func pad(_ d: Int) -> String {
        let s = String(d)
        return String(repeating: "0", count: 4 - s.count) + s
    }
}
