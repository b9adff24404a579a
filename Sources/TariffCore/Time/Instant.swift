/// A point in time: whole seconds since 1970-01-01T00:00:00Z.
///
/// Effective dates and billing periods need exact, comparable, storable instants (an SQLite
/// INTEGER, a PostgreSQL BIGINT); sub-second precision has no meaning for a price list.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var secondsSince1970: Int64

    public init(secondsSince1970: Int64) { self.secondsSince1970 = secondsSince1970 }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.secondsSince1970 < rhs.secondsSince1970 }

    /// Earlier than any effective date: "since always".
    public static let distantPast = Instant(secondsSince1970: -62_135_596_800)  // 0001-01-01

    public var description: String { iso8601 }
}

/// Why a date text was not accepted.
public struct InstantParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public let text: String
    public var description: String {
        "'\(text)' is not an ISO 8601 date (2026-12-01) or date-time (2026-12-01T10:00:00Z)"
    }
}

extension Instant {
    /// Midnight UTC of a calendar day.
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CivilCalendar.daysIn(month: month, year: year)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        let days = CivilCalendar.daysSince1970(year: year, month: month, day: day)
        secondsSince1970 = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// Accepts `2026-12-01` (midnight UTC), `2026-12-01T10:00:00Z`, `2026-12-01 10:00:00` (UTC),
    /// `2026-12-01T10:00:00+02:00` and `2026-12-01T10:00Z`; fractional seconds are dropped.
    public init(parsing text: some StringProtocol) throws(InstantParseError) {
        let original = String(text)
        let bytes = Array(original.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for i in range {
                let b = bytes[i]
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10)
        else { throw InstantParseError(text: original) }
        var hour = 0
        var minute = 0
        var second = 0
        var offset = 0
        var i = 10
        if i < bytes.count {
            guard bytes[i] == UInt8(ascii: "T") || bytes[i] == UInt8(ascii: " "),
                let h = number(i + 1..<i + 3), i + 3 < bytes.count, bytes[i + 3] == UInt8(ascii: ":"),
                let m = number(i + 4..<i + 6)
            else { throw InstantParseError(text: original) }
            hour = h
            minute = m
            i += 6
            if i < bytes.count, bytes[i] == UInt8(ascii: ":") {
                guard let s = number(i + 1..<i + 3) else { throw InstantParseError(text: original) }
                second = s
                i += 3
                if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                    i += 1
                    while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
                }
            }
            if i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                    i += 1
                case UInt8(ascii: "+"), UInt8(ascii: "-"):
                    let sign = bytes[i] == UInt8(ascii: "-") ? -1 : 1
                    guard let oh = number(i + 1..<i + 3) else { throw InstantParseError(text: original) }
                    var om = 0
                    var end = i + 3
                    if end < bytes.count, bytes[end] == UInt8(ascii: ":") {
                        guard let m = number(end + 1..<end + 3) else { throw InstantParseError(text: original) }
                        om = m
                        end += 3
                    } else if let m = number(end..<end + 2) {
                        om = m
                        end += 2
                    }
                    guard oh <= 23, om <= 59 else { throw InstantParseError(text: original) }
                    offset = sign * (oh * 3600 + om * 60)
                    i = end
                default:
                    throw InstantParseError(text: original)
                }
            }
            guard i == bytes.count else { throw InstantParseError(text: original) }
        }
        guard let local = Instant(year: year, month: month, day: day, hour: hour, minute: minute, second: second) else {
            throw InstantParseError(text: original)
        }
        let instant = Instant(secondsSince1970: local.secondsSince1970 - Int64(offset))
        // An offset may carry a date past the years the text form has (0001 to 9999).
        guard (1...9999).contains(instant.components.year) else { throw InstantParseError(text: original) }
        self = instant
    }

    /// The civil date and time in UTC.
    public var components: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let days = secondsSince1970 >= 0 ? secondsSince1970 / 86_400 : (secondsSince1970 - 86_399) / 86_400
        let secondsOfDay = Int(secondsSince1970 - days * 86_400)
        let (y, m, d) = CivilCalendar.civil(fromDaysSince1970: days)
        return (y, m, d, secondsOfDay / 3600, secondsOfDay % 3600 / 60, secondsOfDay % 60)
    }

    /// `2026-12-01T00:00:00Z`.
    public var iso8601: String {
        let c = components
        guard (0...9999).contains(c.year) else {
            return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))Z"
        }
        // Every charge's explanation writes a few of these: digits straight into the string.
        return String(unsafeUninitializedCapacity: 20) { text in
            var at = 0
            func put(_ value: Int, width: Int, then separator: UInt8) {
                var rest = value
                for position in stride(from: at + width - 1, through: at, by: -1) {
                    text[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                text[at + width] = separator
                at += width + 1
            }
            put(c.year, width: 4, then: UInt8(ascii: "-"))
            put(c.month, width: 2, then: UInt8(ascii: "-"))
            put(c.day, width: 2, then: UInt8(ascii: "T"))
            put(c.hour, width: 2, then: UInt8(ascii: ":"))
            put(c.minute, width: 2, then: UInt8(ascii: ":"))
            put(c.second, width: 2, then: UInt8(ascii: "Z"))
            return at
        }
    }

    /// `2026-12-01`.
    public var date: String {
        let c = components
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))"
    }

    /// `2026-12-01 10:00:00`, the Voximplant wire form.
    public var spaceSeparated: String {
        let c = components
        return "\(date) \(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))"
    }

    public func adding(seconds: Int64) -> Instant { Instant(secondsSince1970: secondsSince1970 + seconds) }
}

private func pad(_ value: Int, _ width: Int = 2) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}

/// Proleptic Gregorian calendar arithmetic on day counts (Howard Hinnant's public-domain algorithms).
enum CivilCalendar {
    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func daysSince1970(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDaysSince1970 days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}
