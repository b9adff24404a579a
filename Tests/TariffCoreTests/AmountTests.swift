import Testing

@testable import TariffCore

@Suite("Amount")
struct AmountTests {
    /// A literal the test controls; a parse failure is a test failure, not a crash.
    static func amount(_ text: String) throws -> Amount {
        try Amount(parsing: text)
    }

    // MARK: Parsing

    @Test func deckPriceRoundTripsExactly() throws {
        let price = try Self.amount("0.06500000")
        #expect(price.units == 6_500_000)
        #expect(price.formatted() == "0.06500000")
        #expect(price.plainText == "0.065")
    }

    @Test(arguments: [
        ("12", Int64(1_200_000_000)),
        ("-0.065", -6_500_000),
        (".5", 50_000_000),
        ("+1.5", 150_000_000),
        ("0.00000001", 1),
        ("-0.00000001", -1),
        ("0", 0),
        ("-0", 0),
        ("007.10", 710_000_000),
        ("92233720368.54775807", Int64.max),
        ("-92233720368.54775807", -Int64.max),
    ])
    func parses(text: String, units: Int64) throws {
        #expect(try Self.amount(text).units == units)
    }

    @Test(arguments: ["0.06500000", "12.00000000", "-0.06500000", "0.00000001", "-3.00000000", "92233720368.54775807"])
    func formattedGivesTheEightDecimalTextBack(text: String) throws {
        #expect(try Self.amount(text).formatted() == text)
    }

    @Test(arguments: [
        ("", AmountError.empty),
        ("-", .notADecimal("-")),
        ("+", .notADecimal("+")),
        (".", .notADecimal(".")),
        ("1.2.3", .notADecimal("1.2.3")),
        ("1e5", .notADecimal("1e5")),
        ("1,5", .notADecimal("1,5")),
        ("1 000", .notADecimal("1 000")),
        (" 1", .notADecimal(" 1")),
        ("1 ", .notADecimal("1 ")),
        ("--1", .notADecimal("--1")),
        ("+-1", .notADecimal("+-1")),
        ("0x10", .notADecimal("0x10")),
        ("0.000000001", .tooManyDecimals("0.000000001", max: 8)),
        ("-1.123456789", .tooManyDecimals("-1.123456789", max: 8)),
        ("12345678901234567890", .overflow),
        ("100000000000", .overflow),
        ("92233720368.54775808", .overflow),
    ])
    func rejects(text: String, error: AmountError) {
        #expect(throws: error) { try Amount(parsing: text) }
    }

    @Test func wholeConstructor() throws {
        #expect(try Amount(whole: 12).units == 1_200_000_000)
        #expect(try Amount(whole: -3) == Self.amount("-3"))
        #expect(throws: AmountError.overflow) { try Amount(whole: 100_000_000_000) }
    }

    @Test func errorDescriptionsNameTheText() {
        #expect(AmountError.notADecimal("1e5").description.contains("'1e5'"))
        #expect(AmountError.tooManyDecimals("0.000000001", max: 8).description.contains("8 decimals"))
        #expect(AmountError.empty.description.contains("empty"))
        #expect(AmountError.overflow.description.contains("range"))
    }

    // MARK: Text

    @Test(arguments: [
        ("0.065", "0.065"),
        ("0.06500000", "0.065"),
        ("12", "12"),
        ("12.0", "12"),
        ("100", "100"),
        ("-3", "-3"),
        ("-0.5", "-0.5"),
        ("0", "0"),
        ("0.00000001", "0.00000001"),
    ])
    func plainText(text: String, expected: String) throws {
        let value = try Self.amount(text)
        #expect(value.plainText == expected)
        #expect(value.description == expected)
    }

    @Test func plainTextIsFormattedWithoutTrailingZeros() {
        var random = SplitMix64(state: 99)
        let edges: [Int64] = [0, 1, -1, 10, 100_000_000, -100_000_000, 123_456_789, .max, .min, .min + 1]
        for units in edges
            + (0..<5_000).map({ _ in Int64.random(in: Int64.min...Int64.max, using: &random) >> Int.random(in: 0...60, using: &random) })
        {
            var trimmed = Amount(units: units).formatted()
            if trimmed.contains(".") {
                while trimmed.hasSuffix("0") { trimmed.removeLast() }
                if trimmed.hasSuffix(".") { trimmed.removeLast() }
            }
            #expect(Amount(units: units).plainText == trimmed, "\(units)")
        }
    }

    @Test func formattedWithFewerDecimalsRoundsInTheNamedMode() throws {
        let price = try Self.amount("0.065")
        #expect(price.formatted(decimals: 2) == "0.06")  // half-even by default
        #expect(price.formatted(decimals: 2, mode: .halfUp) == "0.07")
        #expect(price.formatted(decimals: 3) == "0.065")
        #expect(price.formatted(decimals: 0) == "0")
        #expect(try Self.amount("12.5").formatted(decimals: 0, mode: .up) == "13")
        #expect(try Self.amount("-0.065").formatted(decimals: 2, mode: .up) == "-0.07")
        // A negative amount that rounds to zero is written without a sign.
        #expect(try Self.amount("-0.001").formatted(decimals: 2) == "0.00")
    }

    // MARK: Rounding

    struct RoundingCase: Sendable, CustomTestStringConvertible {
        let value: String
        let decimals: Int
        /// up, down, ceiling, floor, halfUp, halfEven
        let expected: [String]
        var testDescription: String { "\(value) to \(decimals) decimals" }
    }

    static let modes: [RoundingMode] = [.up, .down, .ceiling, .floor, .halfUp, .halfEven]

    @Test func modeListCoversEveryCase() {
        #expect(Set(Self.modes) == Set(RoundingMode.allCases))
    }

    @Test(arguments: [
        //            value               decimals   up           down         ceiling      floor        halfUp       halfEven
        RoundingCase(value: "0.125", decimals: 2, expected: ["0.13", "0.12", "0.13", "0.12", "0.13", "0.12"]),
        RoundingCase(value: "-0.125", decimals: 2, expected: ["-0.13", "-0.12", "-0.12", "-0.13", "-0.13", "-0.12"]),
        RoundingCase(value: "0.135", decimals: 2, expected: ["0.14", "0.13", "0.14", "0.13", "0.14", "0.14"]),
        RoundingCase(value: "-0.135", decimals: 2, expected: ["-0.14", "-0.13", "-0.13", "-0.14", "-0.14", "-0.14"]),
        RoundingCase(value: "0.126", decimals: 2, expected: ["0.13", "0.12", "0.13", "0.12", "0.13", "0.13"]),
        RoundingCase(value: "0.124", decimals: 2, expected: ["0.13", "0.12", "0.13", "0.12", "0.12", "0.12"]),
        RoundingCase(value: "-0.126", decimals: 2, expected: ["-0.13", "-0.12", "-0.12", "-0.13", "-0.13", "-0.13"]),
        RoundingCase(value: "-0.124", decimals: 2, expected: ["-0.13", "-0.12", "-0.12", "-0.13", "-0.12", "-0.12"]),
        RoundingCase(value: "2.5", decimals: 0, expected: ["3", "2", "3", "2", "3", "2"]),
        RoundingCase(value: "3.5", decimals: 0, expected: ["4", "3", "4", "3", "4", "4"]),
        RoundingCase(value: "-2.5", decimals: 0, expected: ["-3", "-2", "-2", "-3", "-3", "-2"]),
        RoundingCase(value: "-3.5", decimals: 0, expected: ["-4", "-3", "-3", "-4", "-4", "-4"]),
        RoundingCase(value: "0.4", decimals: 0, expected: ["1", "0", "1", "0", "0", "0"]),
        RoundingCase(value: "-0.4", decimals: 0, expected: ["-1", "0", "0", "-1", "0", "0"]),
        RoundingCase(value: "0.00000001", decimals: 7, expected: ["0.0000001", "0", "0.0000001", "0", "0", "0"]),
        RoundingCase(value: "-0.00000001", decimals: 7, expected: ["-0.0000001", "0", "0", "-0.0000001", "0", "0"]),
        RoundingCase(value: "0.00000005", decimals: 7, expected: ["0.0000001", "0", "0.0000001", "0", "0.0000001", "0"]),
        RoundingCase(value: "0.00000015", decimals: 7, expected: ["0.0000002", "0.0000001", "0.0000002", "0.0000001", "0.0000002", "0.0000002"]),
        RoundingCase(value: "1.23456789", decimals: 4, expected: ["1.2346", "1.2345", "1.2346", "1.2345", "1.2346", "1.2346"]),
        RoundingCase(value: "-1.23456789", decimals: 4, expected: ["-1.2346", "-1.2345", "-1.2345", "-1.2346", "-1.2346", "-1.2346"]),
        RoundingCase(value: "9.995", decimals: 2, expected: ["10", "9.99", "10", "9.99", "10", "10"]),
    ])
    func roundedInEveryMode(_ example: RoundingCase) throws {
        let value = try Self.amount(example.value)
        for (mode, expected) in zip(Self.modes, example.expected) {
            let rounded = value.rounded(Rounding(decimals: example.decimals, mode: mode))
            #expect(rounded == (try Self.amount(expected)), "\(example.value) \(mode.rawValue) to \(example.decimals) decimals")
        }
    }

    @Test(arguments: ["0.13", "-0.12", "12", "-3", "0", "0.10000000"])
    func exactValuesAreUnchangedInEveryMode(text: String) throws {
        let value = try Self.amount(text)
        for mode in RoundingMode.allCases {
            for decimals in 2...Amount.scale {
                #expect(value.rounded(Rounding(decimals: decimals, mode: mode)) == value, "\(text) \(mode) \(decimals)")
            }
        }
    }

    @Test(arguments: RoundingMode.allCases)
    func roundingToTheFullScaleNeverChangesAnything(mode: RoundingMode) throws {
        let value = try Self.amount("-1.23456789")
        #expect(value.rounded(Rounding(decimals: Amount.scale, mode: mode)) == value)
    }

    @Test func namedRoundingPoints() {
        #expect(Rounding.charge == Rounding(decimals: 8, mode: .up))
        #expect(Rounding.conversion == Rounding(decimals: 8, mode: .halfEven))
        #expect(Rounding(decimals: 2, mode: .halfUp).description == "2 decimals, half-up")
        #expect(RoundingMode(rawValue: "half-even") == .halfEven)
    }

    // MARK: Scaling

    @Test(arguments: [
        // price per minute, seconds, mode, expected
        ("0.0123", Int64(61), RoundingMode.up, "0.012505"),  // exact: 0.0123 × 61 / 60
        ("0.0123", 61, .down, "0.012505"),
        ("0.0123", 60, .up, "0.0123"),
        ("0.0123", 3600, .halfEven, "0.738"),
        ("0.0123", 0, .up, "0"),
        ("0.01", 7, .up, "0.00116667"),  // 0.07 / 60 = 0.0011666…
        ("0.01", 7, .down, "0.00116666"),
        ("0.01", 7, .halfEven, "0.00116667"),
        ("0.01", 1, .up, "0.00016667"),
        ("0.01", 59, .up, "0.00983334"),
        ("0.01", 59, .halfUp, "0.00983333"),
        ("-0.01", 7, .up, "-0.00116667"),
        ("-0.01", 7, .ceiling, "-0.00116666"),
        ("-0.01", 7, .floor, "-0.00116667"),
        ("0.00000001", 30, .halfEven, "0"),  // exactly half a unit: to even (0)
        ("0.00000003", 30, .halfEven, "0.00000002"),  // 1.5 units: to even (2)
        ("0.00000001", 30, .halfUp, "0.00000001"),
    ])
    func scaledPerMinuteBySeconds(price: String, seconds: Int64, mode: RoundingMode, expected: String) throws {
        let result = try Self.amount(price).scaled(by: seconds, over: 60, rounding: Rounding(decimals: 8, mode: mode))
        #expect(result == (try Self.amount(expected)))
    }

    @Test func scaledRoundsOnceNotPerSecond() throws {
        let price = try Self.amount("0.01")
        // Rounding the per-second price first would give 0.00016667 × 7 = 0.00116669.
        let perSecond = try price.scaled(by: 1, over: 60, rounding: .charge)
        #expect(perSecond == (try Self.amount("0.00016667")))
        let sevenSeconds = try price.scaled(by: 7, over: 60, rounding: .charge)
        #expect(sevenSeconds == (try Self.amount("0.00116667")))
        #expect(sevenSeconds != Amount(units: perSecond.units * 7))
    }

    @Test func scaledToFewerDecimals() throws {
        let price = try Self.amount("0.0123")
        #expect(try price.scaled(by: 61, over: 60, rounding: Rounding(decimals: 2, mode: .up)) == Self.amount("0.02"))
        #expect(try price.scaled(by: 61, over: 60, rounding: Rounding(decimals: 2, mode: .halfEven)) == Self.amount("0.01"))
        #expect(try price.scaled(by: 61, over: 60, rounding: Rounding(decimals: 4, mode: .halfEven)) == Self.amount("0.0125"))
        #expect(try price.scaled(by: 61, over: 60, rounding: Rounding(decimals: 4, mode: .up)) == Self.amount("0.0126"))
    }

    @Test func scaledUsesAWideIntermediate() throws {
        // max × 60 does not fit in 64 bits, but max × 60 / 60 does.
        let max = Amount(units: .max)
        #expect(try max.scaled(by: 60, over: 60, rounding: .charge) == max)
        #expect(try max.scaled(by: 1, over: 2, rounding: .charge) == Amount(units: Int64.max / 2 + 1))
    }

    // MARK: Arithmetic and overflow

    @Test func additionAndSubtractionAreExact() throws {
        #expect(try Self.amount("0.1") + Self.amount("0.2") == Self.amount("0.3"))
        #expect(try Self.amount("0.1") - Self.amount("0.3") == Self.amount("-0.2"))
        #expect(try Self.amount("-0.065") < Amount.zero)
        #expect(try Self.amount("-0.065").isNegative)
        #expect(!Amount.zero.isNegative)
    }

    @Test func overflowIsAnErrorNotATrap() throws {
        let max = Amount(units: .max)
        let min = Amount(units: .min)
        let unit = Amount(units: 1)
        #expect(throws: AmountError.overflow) { try max + unit }
        #expect(throws: AmountError.overflow) { try min - unit }
        #expect(throws: AmountError.overflow) { try min + Amount(units: -1) }
        #expect(throws: AmountError.overflow) { try Amount.zero - min }
        #expect(throws: AmountError.overflow) { try max.scaled(by: 2, over: 1, rounding: .charge) }
        #expect(throws: AmountError.overflow) { try max.scaled(by: 61, over: 60, rounding: .charge) }
        #expect(throws: AmountError.overflow) { try min.scaled(by: 3600, over: 60, rounding: .charge) }
        #expect(throws: AmountError.overflow) {
            try Amount(units: .max - 10).scaled(by: 1, over: 1, rounding: Rounding(decimals: 0, mode: .up))
        }
        #expect(try max - unit == Amount(units: .max - 1))
    }

    // MARK: RoundingMode.divide

    struct DivideCase: Sendable, CustomTestStringConvertible {
        let numerator: Int128
        let denominator: Int128
        /// up, down, ceiling, floor, halfUp, halfEven
        let expected: [Int128]
        var testDescription: String { "\(numerator) / \(denominator)" }
    }

    static let max64 = Int128(Int64.max)

    static let divideCases: [DivideCase] = [
        //                                                   up  down ceil floor halfUp halfEven
        DivideCase(numerator: 7, denominator: 2, expected: [4, 3, 4, 3, 4, 4]),  // 3.5
        DivideCase(numerator: -7, denominator: 2, expected: [-4, -3, -3, -4, -4, -4]),  // -3.5
        DivideCase(numerator: 5, denominator: 2, expected: [3, 2, 3, 2, 3, 2]),  // 2.5
        DivideCase(numerator: -5, denominator: 2, expected: [-3, -2, -2, -3, -3, -2]),  // -2.5
        DivideCase(numerator: 1, denominator: 2, expected: [1, 0, 1, 0, 1, 0]),  // 0.5
        DivideCase(numerator: -1, denominator: 2, expected: [-1, 0, 0, -1, -1, 0]),  // -0.5
        DivideCase(numerator: 7, denominator: 3, expected: [3, 2, 3, 2, 2, 2]),  // 2.33…
        DivideCase(numerator: -7, denominator: 3, expected: [-3, -2, -2, -3, -2, -2]),  // -2.33…
        DivideCase(numerator: 8, denominator: 3, expected: [3, 2, 3, 2, 3, 3]),  // 2.66…
        DivideCase(numerator: -8, denominator: 3, expected: [-3, -2, -2, -3, -3, -3]),  // -2.66…
        DivideCase(numerator: 1, denominator: 10, expected: [1, 0, 1, 0, 0, 0]),  // 0.1
        DivideCase(numerator: -1, denominator: 10, expected: [-1, 0, 0, -1, 0, 0]),  // -0.1
        DivideCase(numerator: 6, denominator: 3, expected: [2, 2, 2, 2, 2, 2]),
        DivideCase(numerator: -6, denominator: 3, expected: [-2, -2, -2, -2, -2, -2]),
        DivideCase(numerator: 0, denominator: 5, expected: [0, 0, 0, 0, 0, 0]),
        DivideCase(numerator: 49, denominator: 1, expected: [49, 49, 49, 49, 49, 49]),
        // …807.5, beyond 64 bits, odd quotient: half-even goes up
        DivideCase(
            numerator: max64 * 1000 + 500,
            denominator: 1000,
            expected: [max64 + 1, max64, max64 + 1, max64, max64 + 1, max64 + 1]
        ),
        // …806.5, even quotient: half-even stays
        DivideCase(
            numerator: (max64 - 1) * 1000 + 500,
            denominator: 1000,
            expected: [max64, max64 - 1, max64, max64 - 1, max64, max64 - 1]
        ),
    ]

    @Test(arguments: AmountTests.divideCases)
    func divideTable(_ example: DivideCase) {
        #expect(example.expected.count == Self.modes.count)
        for (mode, quotient) in zip(Self.modes, example.expected) {
            #expect(mode.divide(example.numerator, by: example.denominator) == quotient, "\(example.testDescription) \(mode)")
        }
    }

    @Test func roundingAtTheLimitDoesNotTrap() throws {
        let largest = try Amount(parsing: "92233720368.54775807")
        #expect(largest.formatted(decimals: 2) == "92233720368.54")
        #expect(Amount(units: .min).rounded(Rounding(decimals: 2, mode: .up)).units == -9_223_372_036_854_000_000)
    }

    @Test("bytes appended are formatted()'s text, at the limits too")
    func appendedIsFormatted() {
        var random = SplitMix64(state: 0xA11)
        let edges: [Int64] = [0, 1, -1, 99_999_999, 100_000_000, -100_000_000, 6_500_000, .max, .min, .max - 1, .min + 1]
        for units in edges + (0..<5000).map({ _ in Int64(bitPattern: random.next()) >> random.below(63) }) {
            var bytes: [UInt8] = [0x7C]
            Amount(units: units).appendFormatted(to: &bytes)
            #expect(String(decoding: bytes.dropFirst(), as: UTF8.self) == Amount(units: units).formatted(), "\(units)")
        }
    }
}
