/// The value model produced by the TOML reader.
///
/// Every key and every array element remembers where it was written
/// (`TOMLPosition`, 1-based line and column), so that consumers such as the
/// manifest loader can point at the offending line.

/// A 1-based line/column position in a TOML document. Columns count Unicode
/// scalars, not bytes. The BOM, if any, is not counted.
package struct TOMLPosition: Hashable, Sendable, CustomStringConvertible {
    package var line: Int
    package var column: Int

    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    package var description: String { "line \(line), column \(column)" }
}

/// A calendar date (TOML `local-date`, or the date part of a date-time).
package struct TOMLDate: Hashable, Sendable, CustomStringConvertible {
    package var year: Int
    package var month: Int
    package var day: Int

    package init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    package var description: String {
        pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }
}

/// A wall-clock time (TOML `local-time`, or the time part of a date-time).
/// Fractional seconds beyond nanoseconds are truncated.
package struct TOMLTime: Hashable, Sendable, CustomStringConvertible {
    package var hour: Int
    package var minute: Int
    package var second: Int
    package var nanosecond: Int
    /// Number of fractional digits written in the source (0 = no fraction).
    package var fractionDigits: Int

    package init(hour: Int, minute: Int, second: Int, nanosecond: Int = 0, fractionDigits: Int = 0) {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
        self.fractionDigits = fractionDigits
    }

    /// `HH:MM:SS[.fff…]`: the fraction is printed with as many digits as the
    /// source had (at least 3, at most 9).
    package var description: String {
        var s = pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if fractionDigits > 0 {
            let digits = min(9, max(3, fractionDigits))
            let ns = pad(nanosecond, 9)
            s += "." + ns.prefix(digits)
        }
        return s
    }
}

/// A date with a time and, for offset date-times, a UTC offset in minutes.
package struct TOMLDateTime: Hashable, Sendable, CustomStringConvertible {
    package var date: TOMLDate
    package var time: TOMLTime
    /// Offset from UTC in minutes (`nil` for a local date-time). `Z` is 0.
    package var offsetMinutes: Int?

    package init(date: TOMLDate, time: TOMLTime, offsetMinutes: Int? = nil) {
        self.date = date
        self.time = time
        self.offsetMinutes = offsetMinutes
    }

    /// RFC 3339 text: upper-case `T`, `Z` for a zero offset.
    package var description: String {
        var s = date.description + "T" + time.description
        if let off = offsetMinutes {
            if off == 0 {
                s += "Z"
            } else {
                let a = abs(off)
                s += (off < 0 ? "-" : "+") + pad(a / 60, 2) + ":" + pad(a % 60, 2)
            }
        }
        return s
    }

    /// Seconds since 0001-01-01T00:00:00Z of the instant (offset applied), and
    /// the nanosecond part. Only meaningful for offset date-times.
    package var instant: (seconds: Int64, nanosecond: Int) {
        let days = Int64(daysFromCivil(date.year, date.month, date.day))
        var secs = days * 86_400 + Int64(time.hour * 3600 + time.minute * 60 + time.second)
        secs -= Int64((offsetMinutes ?? 0) * 60)
        return (secs, time.nanosecond)
    }
}

/// An array with the source position of every element.
package struct TOMLArray: Hashable, Sendable, RandomAccessCollection {
    package var elements: [TOMLValue]
    package var positions: [TOMLPosition]
    /// Where the array starts (`[`, or the first `[[header]]`).
    package var position: TOMLPosition

    package init(
        elements: [TOMLValue] = [], positions: [TOMLPosition]? = nil,
        position: TOMLPosition = TOMLPosition(line: 0, column: 0)
    ) {
        self.elements = elements
        self.positions = positions ?? Array(repeating: position, count: elements.count)
        self.position = position
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { elements.count }
    package subscript(i: Int) -> TOMLValue { elements[i] }
}

/// A table: keys in document order, each with its value and positions.
package struct TOMLTable: Hashable, Sendable {
    package struct Entry: Hashable, Sendable {
        package var value: TOMLValue
        /// Where the (last part of the) key is written.
        package var keyPosition: TOMLPosition
        /// Where the value starts.
        package var valuePosition: TOMLPosition
    }

    /// Keys in the order they were first defined.
    package private(set) var keys: [String] = []
    package private(set) var entries: [String: Entry] = [:]
    /// Where the table was defined: its `[header]`, its `{`, the first dotted
    /// key that created it, or 1:1 for the root.
    package var position: TOMLPosition

    package init(position: TOMLPosition = TOMLPosition(line: 1, column: 1)) {
        self.position = position
    }

    package subscript(key: String) -> TOMLValue? { entries[key]?.value }

    package var count: Int { keys.count }
    package var isEmpty: Bool { keys.isEmpty }

    /// Position of the key `key`, if present.
    package func keyPosition(_ key: String) -> TOMLPosition? { entries[key]?.keyPosition }
    /// Position of the value of `key`, if present.
    package func valuePosition(_ key: String) -> TOMLPosition? { entries[key]?.valuePosition }

    /// Sets (or replaces) a key.
    package mutating func set(
        _ key: String, _ value: TOMLValue, keyPosition: TOMLPosition? = nil, valuePosition: TOMLPosition? = nil
    ) {
        let kp = keyPosition ?? position
        if entries[key] == nil { keys.append(key) }
        entries[key] = Entry(value: value, keyPosition: kp, valuePosition: valuePosition ?? kp)
    }

    /// Plain dictionary view (positions dropped).
    package var dictionary: [String: TOMLValue] { entries.mapValues(\.value) }
}

package enum TOMLValue: Hashable, Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case offsetDateTime(TOMLDateTime)
    case localDateTime(TOMLDateTime)
    case localDate(TOMLDate)
    case localTime(TOMLTime)
    case array(TOMLArray)
    case table(TOMLTable)

    /// Human-readable type name used in error messages ("string", "integer", "table", ...).
    package var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .offsetDateTime: "offset date-time"
        case .localDateTime: "local date-time"
        case .localDate: "local date"
        case .localTime: "local time"
        case .array: "array"
        case .table: "table"
        }
    }

    package var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    package var integerValue: Int64? { if case .integer(let v) = self { v } else { nil } }
    package var floatValue: Double? { if case .float(let v) = self { v } else { nil } }
    package var boolValue: Bool? { if case .boolean(let v) = self { v } else { nil } }
    package var arrayValue: TOMLArray? { if case .array(let v) = self { v } else { nil } }
    package var tableValue: TOMLTable? { if case .table(let v) = self { v } else { nil } }
}

// MARK: - helpers

@inline(__always)
func pad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// Days since 0001-01-01 (proleptic Gregorian), Howard Hinnant's algorithm.
func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (m + 9) % 12
    let doy = (153 * mp + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe
}

func isLeapYear(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

func daysInMonth(_ y: Int, _ m: Int) -> Int {
    switch m {
    case 2: isLeapYear(y) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
}
