import Testing

@testable import TariffCore

@Suite("Instant")
struct InstantTests {
    /// 2026-12-01T00:00:00Z
    static let december1: Int64 = 1_796_083_200

    // MARK: Parsing

    static let accepted: [(String, Int64)] = [
        ("2026-12-01", InstantTests.december1),
        ("2026-12-01T10:00:00Z", InstantTests.december1 + 36_000),
        ("2026-12-01T10:00:00z", InstantTests.december1 + 36_000),
        ("2026-12-01 10:00:00", InstantTests.december1 + 36_000),
        ("2026-12-01T10:00:00", InstantTests.december1 + 36_000),
        ("2026-12-01T10:00:00+02:00", InstantTests.december1 + 28_800),  // 08:00Z
        ("2026-12-01T10:00:00+0200", InstantTests.december1 + 28_800),
        ("2026-12-01T10:00:00+02", InstantTests.december1 + 28_800),
        ("2026-12-01T10:00:00-05:30", InstantTests.december1 + 55_800),  // 15:30Z
        ("2026-12-01T10:00:00+00:00", InstantTests.december1 + 36_000),
        ("2026-12-01T01:00:00+02:00", InstantTests.december1 - 3_600),  // the day before in UTC
        ("2026-12-01T10:00Z", InstantTests.december1 + 36_000),
        ("2026-12-01T10:00", InstantTests.december1 + 36_000),
        ("2026-12-01T10:00+01:00", InstantTests.december1 + 32_400),
        ("2026-12-01T10:00:00.5Z", InstantTests.december1 + 36_000),  // fractions are dropped, not rounded
        ("2026-12-01T10:00:59.999Z", InstantTests.december1 + 36_059),
        ("2026-12-01T10:00:00.123456+02:00", InstantTests.december1 + 28_800),
        ("2026-12-01 23:59:59", InstantTests.december1 + 86_399),
        ("1970-01-01", 0),
        ("1970-01-01T00:00:01Z", 1),
        ("1969-12-31T23:59:59Z", -1),
        ("1969-12-31", -86_400),
        ("2000-01-01", 946_684_800),
        ("1900-01-01", -2_208_988_800),
        ("0001-01-01", -62_135_596_800),
        ("9999-12-31T23:59:59Z", 253_402_300_799),
    ]

    @Test(arguments: InstantTests.accepted)
    func parses(text: String, seconds: Int64) throws {
        #expect(try Instant(parsing: text).secondsSince1970 == seconds)
    }

    @Test func distantPastIsTheFirstDay() throws {
        #expect(try Instant(parsing: "0001-01-01") == Instant.distantPast)
        #expect(Instant.distantPast.iso8601 == "0001-01-01T00:00:00Z")
    }

    @Test(arguments: [
        "2026-13-01", "2026-00-10", "2026-12-00", "2026-12-32", "2026-02-30", "2026-04-31", "2026-11-31",
        "2026-2-1", "2026-02-1", "26-12-01", "2026/12/01", "20261201", "0000-01-01",
        "yesterday", "", " 2026-12-01", "2026-12-01 ", "2026-12-01x", "2026-12-01Z",
        "2026-12-01T25:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T10:60:00Z", "2026-12-01T10:00:60Z",
        "2026-12-01T10", "2026-12-01T10:0", "2026-12-01T", "2026-12-01T1:00:00Z", "2026-12-01T10:00:0Z",
        "2026-12-01T10:00:00Zjunk", "2026-12-01T10:00:00 Z", "2026-12-01T10:00:00+2:00", "2026-12-01T10:00:00+24:00",
        "2026-12-01T10:00:00+02:60", "2026-12-01T10:00:00+02:0", "2026-12-01T10:00:00+", "2026-12-01T10:00:00UTC",
        "2026-12-01t10:00:00Z", "2026-12-01T10.00.00Z", "２０２６-12-01",
        // Offsets that carry the instant out of the years 0001 to 9999.
        "9999-12-31T23:59-23:59", "9999-12-31T23:59:00-00:01", "0001-01-01T00:00:00+00:01",
    ])
    func rejects(text: String) {
        #expect(throws: InstantParseError(text: text)) { try Instant(parsing: text) }
    }

    @Test func parseErrorExplainsTheAcceptedForms() {
        let description = InstantParseError(text: "yesterday").description
        #expect(description.contains("'yesterday'"))
        #expect(description.contains("2026-12-01"))
        #expect(description.contains("2026-12-01T10:00:00Z"))
    }

    // MARK: Calendar

    @Test(arguments: [
        (2024, true), (2026, false), (2000, true), (1900, false), (2100, false), (2400, true), (1600, true), (1, false), (4, true),
    ])
    func leapDay(year: Int, isLeap: Bool) throws {
        let text = Self.pad(year, 4) + "-02-29"
        if isLeap {
            let leapDay = try Instant(parsing: text)
            #expect(leapDay.date == text)
            let feb28 = try Instant(parsing: Self.pad(year, 4) + "-02-28")
            let march1 = try Instant(parsing: Self.pad(year, 4) + "-03-01")
            #expect(march1.secondsSince1970 - feb28.secondsSince1970 == 2 * 86_400)
        } else {
            #expect(throws: InstantParseError(text: text)) { try Instant(parsing: text) }
            #expect(Instant(year: year, month: 2, day: 29) == nil)
            let feb28 = try Instant(parsing: Self.pad(year, 4) + "-02-28")
            #expect(feb28.adding(seconds: 86_400).date == Self.pad(year, 4) + "-03-01")
        }
        #expect(CivilCalendar.isLeap(year) == isLeap)
    }

    @Test func yearLengths() throws {
        func days(_ year: Int) throws -> Int64 {
            let start = try Instant(parsing: Self.pad(year, 4) + "-01-01")
            let end = try Instant(parsing: Self.pad(year + 1, 4) + "-01-01")
            return (end.secondsSince1970 - start.secondsSince1970) / 86_400
        }
        #expect(try days(2024) == 366)
        #expect(try days(2026) == 365)
        #expect(try days(2000) == 366)
        #expect(try days(1900) == 365)
        #expect(try days(1969) == 365)
        #expect(try days(1968) == 366)
    }

    @Test func componentInitializerValidates() {
        #expect(Instant(year: 2026, month: 12, day: 1)?.secondsSince1970 == Self.december1)
        #expect(Instant(year: 2026, month: 12, day: 1, hour: 10, minute: 30, second: 15)?.secondsSince1970 == Self.december1 + 37_815)
        #expect(Instant(year: 0, month: 1, day: 1) == nil)
        #expect(Instant(year: 10_000, month: 1, day: 1) == nil)
        #expect(Instant(year: 2026, month: 6, day: 31) == nil)
        #expect(Instant(year: 2026, month: 1, day: 1, hour: 24) == nil)
        #expect(Instant(year: 2026, month: 1, day: 1, minute: -1) == nil)
    }

    // MARK: Formatting

    static let formatted: [(Int64, String, String, String)] = [
        (0, "1970-01-01T00:00:00Z", "1970-01-01", "1970-01-01 00:00:00"),
        (-1, "1969-12-31T23:59:59Z", "1969-12-31", "1969-12-31 23:59:59"),
        (-86_400, "1969-12-31T00:00:00Z", "1969-12-31", "1969-12-31 00:00:00"),
        (-86_401, "1969-12-30T23:59:59Z", "1969-12-30", "1969-12-30 23:59:59"),
        (InstantTests.december1 + 36_000, "2026-12-01T10:00:00Z", "2026-12-01", "2026-12-01 10:00:00"),
        (InstantTests.december1 - 1, "2026-11-30T23:59:59Z", "2026-11-30", "2026-11-30 23:59:59"),
        (951_782_400, "2000-02-29T00:00:00Z", "2000-02-29", "2000-02-29 00:00:00"),
        (-2_208_988_800, "1900-01-01T00:00:00Z", "1900-01-01", "1900-01-01 00:00:00"),
        (253_402_300_799, "9999-12-31T23:59:59Z", "9999-12-31", "9999-12-31 23:59:59"),
    ]

    @Test(arguments: InstantTests.formatted)
    func formats(seconds: Int64, iso: String, date: String, spaced: String) {
        let instant = Instant(secondsSince1970: seconds)
        #expect(instant.iso8601 == iso)
        #expect(instant.description == iso)
        #expect(instant.date == date)
        #expect(instant.spaceSeparated == spaced)
    }

    /// Instants from year 1 to year 9999, in irregular steps so that every time of day and
    /// month appears, with the edges around 1970 and midnight included.
    static let sample: [Int64] = {
        var values: [Int64] = [0, -1, 1, -86_399, -86_400, -86_401, 86_399, 86_400, Instant.distantPast.secondsSince1970, 253_402_300_799]
        var value = Instant.distantPast.secondsSince1970
        while value <= 253_402_300_799 {
            values.append(value)
            value += 86_400 * 3_331 + 7_919  // ~9 years and a bit over 2 hours
        }
        for offset in stride(from: Int64(-3 * 366 * 86_400), through: 3 * 366 * 86_400, by: 86_400 * 11 + 3_607) {
            values.append(offset)
        }
        return values
    }()

    @Test func formatsRoundTripThroughTheParser() throws {
        #expect(Self.sample.count > 1_000)
        for seconds in Self.sample {
            let instant = Instant(secondsSince1970: seconds)
            #expect(try Instant(parsing: instant.iso8601) == instant, "\(seconds)")
            #expect(try Instant(parsing: instant.spaceSeparated) == instant, "\(seconds)")
            let midnight = try Instant(parsing: instant.date)
            #expect(midnight <= instant && instant.secondsSince1970 - midnight.secondsSince1970 < 86_400, "\(seconds)")
            #expect(midnight.iso8601 == instant.date + "T00:00:00Z", "\(seconds)")
            let c = instant.components
            #expect(Instant(year: c.year, month: c.month, day: c.day, hour: c.hour, minute: c.minute, second: c.second) == instant, "\(seconds)")
        }
    }

    @Test func everyDayFrom1600To2500ConvertsBothWays() {
        var mismatches: [String] = []
        var previous: Int64?
        for year in 1600...2500 {
            for month in 1...12 {
                for day in 1...CivilCalendar.daysIn(month: month, year: year) {
                    let days = CivilCalendar.daysSince1970(year: year, month: month, day: day)
                    let back = CivilCalendar.civil(fromDaysSince1970: days)
                    if back != (year, month, day) || (previous.map { days != $0 + 1 } ?? false) {
                        mismatches.append("\(year)-\(month)-\(day) → \(days) → \(back)")
                    }
                    previous = days
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func comparesAndAdds() throws {
        let earlier = try Instant(parsing: "2026-12-01T10:00:00+02:00")
        let later = try Instant(parsing: "2026-12-01T09:00:00Z")
        #expect(earlier < later)
        #expect(earlier.adding(seconds: 3_600) == later)
        #expect(later.adding(seconds: -3_600) == earlier)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
