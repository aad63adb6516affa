/// The conversions between PostgreSQL's date and time counts (`PostgresValue.date`, `.time`,
/// `.timestamp`, `.timestamptz`: days or microseconds from 2000-01-01) and the tuples of
/// `spin:postgres` 3.x/4.x (`date(tuple<s32, u8, u8>)`, `time(tuple<u8, u8, u8, u32>)`,
/// `datetime(tuple<s32, u8, u8, u8, u8, u8, u32>)`, `timestamp(s64)` seconds since 1970), in
/// the proleptic Gregorian calendar, with the checks Spin's (chrono's) make: a date must exist,
/// a time is below 24:00 with nanoseconds below one second. Failures say what is wrong.
enum PostgresCalendar {
    /// 2000-01-01 in days since 1970-01-01.
    static let postgresEpochDays: Int64 = 10957
    static let microsecondsPerDay: Int64 = 86_400_000_000

    struct InvalidValue: Error, CustomStringConvertible {
        var description: String
    }

    /// Year, month, day of `days` since 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civil(daysSince1970 z0: Int64) -> (year: Int64, month: UInt8, day: UInt8) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), UInt8(m), UInt8(d))
    }

    /// Days since 1970-01-01 of a date that must exist (`days_from_civil`).
    static func days(year: Int32, month: UInt8, day: UInt8) throws(InvalidValue) -> Int64 {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: Int64(year)) else {
            throw InvalidValue(description: "invalid date y=\(year), m=\(month), d=\(day)")
        }
        let y = Int64(year) - (month <= 2 ? 1 : 0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysIn(month: UInt8, year: Int64) -> UInt8 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // MARK: PostgreSQL → WIT

    /// `date(tuple<s32, u8, u8>)` of a `date` (infinity has none).
    static func date(postgresDays: Int32) throws(InvalidValue) -> (year: Int32, month: UInt8, day: UInt8) {
        guard postgresDays != .max, postgresDays != .min else {
            throw InvalidValue(description: "date \(postgresDays == .max ? "infinity" : "-infinity") has no year")
        }
        let (y, m, d) = civil(daysSince1970: Int64(postgresDays) + postgresEpochDays)
        guard let year = Int32(exactly: y) else { throw InvalidValue(description: "year \(y) is out of range") }
        return (year, m, d)
    }

    /// `time(tuple<u8, u8, u8, u32>)` of a `time` (24:00:00 has none: chrono's times end before it).
    static func time(microseconds t: Int64) throws(InvalidValue) -> (
        hour: UInt8, minute: UInt8, second: UInt8, nanosecond: UInt32
    ) {
        guard t >= 0, t < microsecondsPerDay else {
            throw InvalidValue(description: "time of \(t) microseconds is not within a day")
        }
        let seconds = t / 1_000_000
        return (UInt8(seconds / 3600), UInt8(seconds / 60 % 60), UInt8(seconds % 60), UInt32(t % 1_000_000) * 1000)
    }

    /// `datetime(tuple<s32, u8, u8, u8, u8, u8, u32>)` of a `timestamp` or `timestamptz` (UTC).
    static func datetime(microseconds t: Int64) throws(InvalidValue) -> (
        year: Int32, month: UInt8, day: UInt8, hour: UInt8, minute: UInt8, second: UInt8, nanosecond: UInt32
    ) {
        guard t != .max, t != .min else {
            throw InvalidValue(description: "timestamp \(t == .max ? "infinity" : "-infinity") has no date")
        }
        var days = t / microsecondsPerDay
        var rest = t % microsecondsPerDay
        if rest < 0 {
            days -= 1
            rest += microsecondsPerDay
        }
        let (y, mo, d) = civil(daysSince1970: days + postgresEpochDays)
        guard let year = Int32(exactly: y) else { throw InvalidValue(description: "year \(y) is out of range") }
        let (h, mi, s, ns) = try time(microseconds: rest)
        return (year, mo, d, h, mi, s, ns)
    }

    // MARK: WIT → PostgreSQL

    /// A `date` parameter: days since 2000-01-01.
    static func postgresDays(year: Int32, month: UInt8, day: UInt8) throws(InvalidValue) -> Int32 {
        let days = try Self.days(year: year, month: month, day: day) - postgresEpochDays
        guard let d = Int32(exactly: days), d != .max, d != .min else {
            throw InvalidValue(description: "invalid date y=\(year), m=\(month), d=\(day)")
        }
        return d
    }

    /// A `time` parameter: microseconds since midnight (nanoseconds truncated to PostgreSQL's
    /// microseconds).
    static func microseconds(hour: UInt8, minute: UInt8, second: UInt8, nanosecond: UInt32) throws(InvalidValue)
        -> Int64
    {
        guard hour < 24, minute < 60, second < 60, nanosecond < 1_000_000_000 else {
            throw InvalidValue(description: "invalid time \(hour):\(minute):\(second):\(nanosecond)")
        }
        return ((Int64(hour) * 60 + Int64(minute)) * 60 + Int64(second)) * 1_000_000 + Int64(nanosecond / 1000)
    }

    /// A `timestamp` parameter of a date and time: microseconds since 2000-01-01 00:00.
    static func microseconds(
        year: Int32, month: UInt8, day: UInt8, hour: UInt8, minute: UInt8, second: UInt8, nanosecond: UInt32
    ) throws(InvalidValue) -> Int64 {
        let days = try Self.days(year: year, month: month, day: day) - postgresEpochDays
        let time = try microseconds(hour: hour, minute: minute, second: second, nanosecond: nanosecond)
        let (dayMicros, o1) = days.multipliedReportingOverflow(by: microsecondsPerDay)
        let (total, o2) = dayMicros.addingReportingOverflow(time)
        guard !o1, !o2, total != .max, total != .min else {
            throw InvalidValue(description: "date-time \(year)-\(month)-\(day) is out of range")
        }
        return total
    }

    /// A `timestamptz` parameter of Unix seconds: microseconds since 2000-01-01 00:00 UTC.
    static func microseconds(unixSeconds s: Int64) throws(InvalidValue) -> Int64 {
        let (shifted, o1) = s.subtractingReportingOverflow(postgresEpochDays * 86400)
        let (micros, o2) = shifted.multipliedReportingOverflow(by: 1_000_000)
        guard !o1, !o2, micros != .max, micros != .min else {
            throw InvalidValue(description: "invalid epoch timestamp \(s)")
        }
        return micros
    }
}
