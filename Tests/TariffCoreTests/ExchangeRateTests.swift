import Testing

@testable import TariffCore

@Suite("ExchangeRate")
struct ExchangeRateTests {
    static let GBP = CurrencyCode("GBP")!
    static let JPY = CurrencyCode("JPY")!
    static let CHF = CurrencyCode("CHF")!

    static func day(_ text: String) throws -> Instant { try Instant(parsing: text) }

    static func amount(_ text: String) throws -> Amount { try Amount(parsing: text) }

    static func rate(_ base: CurrencyCode, _ quote: CurrencyCode, _ value: String, on date: String) throws -> ExchangeRate {
        ExchangeRate(date: try day(date), base: base, quote: quote, rate: try RateValue(parsing: value), source: "ECB")
    }

    /// ECB reference rates of one day: 1 EUR = x.
    static func ecb(on date: String = "2026-01-02") throws -> [ExchangeRate] {
        [
            try rate(.EUR, .USD, "1.0524", on: date),
            try rate(.EUR, GBP, "0.8575", on: date),
            try rate(.EUR, JPY, "161.25", on: date),
        ]
    }

    static func money(_ text: String, _ currency: CurrencyCode) throws -> Money {
        Money(try amount(text), currency)
    }

    // MARK: RateValue

    @Test(arguments: [
        ("1.0524", Int64(10524), 4),
        ("161.25", 16125, 2),
        ("0.8575", 8575, 4),
        ("1", 1, 0),
        ("1.50", 150, 2),
        ("0.000000000001", 1, 12),
        ("9223372036854775807", Int64.max, 0),
    ])
    func rateValueKeepsTheTextAsWritten(text: String, significand: Int64, decimals: Int) throws {
        let value = try RateValue(parsing: text)
        #expect(value.significand == significand)
        #expect(value.decimals == decimals)
        #expect(value.description == text)
        #expect(try RateValue(parsing: value.description) == value)
    }

    @Test func rateValueWithoutALeadingDigitIsWrittenWithOne() throws {
        #expect(try RateValue(parsing: ".5").description == "0.5")
        #expect(try RateValue(parsing: "0.05").description == "0.05")
    }

    @Test(arguments: [
        ("", RateValueError.notADecimal("")),
        (".", .notADecimal(".")),
        ("-1.05", .notADecimal("-1.05")),
        ("+1.05", .notADecimal("+1.05")),
        ("1.2.3", .notADecimal("1.2.3")),
        ("1,05", .notADecimal("1,05")),
        ("1e3", .notADecimal("1e3")),
        (" 1.05", .notADecimal(" 1.05")),
        ("1.05 ", .notADecimal("1.05 ")),
        ("N/A", .notADecimal("N/A")),
        ("0", .notPositive("0")),
        ("0.0000", .notPositive("0.0000")),
        ("0.0000000000001", .tooManyDecimals("0.0000000000001")),
        ("99999999999999999999", .outOfRange("99999999999999999999")),
    ])
    func rateValueRejects(text: String, error: RateValueError) {
        #expect(throws: error) { try RateValue(parsing: text) }
    }

    @Test func rateValueErrorsNameTheText() {
        #expect(RateValueError.notPositive("0").description.contains("'0'"))
        #expect(RateValueError.tooManyDecimals("1.0000000000001").description.contains("12 decimals"))
    }

    // MARK: Conversion

    @Test func directRate() throws {
        let table = ExchangeRateTable(rates: try Self.ecb())
        let result = try table.convert(try Self.money("100", .EUR), to: .USD)
        #expect(result == (try Self.money("105.24", .USD)))
        #expect(try table.convert(try Self.money("0.065", .EUR), to: Self.JPY) == Self.money("10.48125", Self.JPY))
    }

    @Test func inverseRate() throws {
        let table = ExchangeRateTable(rates: try Self.ecb())
        // 100 / 1.0524 = 95.020904599011782592… → half-even at 8 decimals
        #expect(try table.convert(try Self.money("100", .USD), to: .EUR) == Self.money("95.02090460", .EUR))
        // 105.24 USD is exactly 100 EUR
        #expect(try table.convert(try Self.money("105.24", .USD), to: .EUR) == Self.money("100", .EUR))
    }

    @Test func crossRateIsExactThenRoundedOnce() throws {
        let table = ExchangeRateTable(rates: try Self.ecb())
        // 100 × 0.8575 / 1.0524 = 81.480425693652603572…
        let gbp = try table.convert(try Self.money("100", .USD), to: Self.GBP)
        #expect(gbp == (try Self.money("81.48042569", Self.GBP)))
        // Converting to a rounded EUR amount first and then to GBP would be off by one unit for 250 USD:
        // exact 250 × 0.8575 / 1.0524 = 203.701064234131508…, via EUR 237.55226150 × 0.8575 = 203.70106423625 → …24.
        let viaEUR = try table.convert(try table.convert(try Self.money("250", .USD), to: .EUR), to: Self.GBP)
        #expect(viaEUR == (try Self.money("203.70106424", Self.GBP)))
        #expect(try table.convert(try Self.money("250", .USD), to: Self.GBP) == Self.money("203.70106423", Self.GBP))
        // JPY → GBP through EUR: 1000 × 0.8575 / 161.25 = 5.31782945736434108…
        #expect(try table.convert(try Self.money("1000", Self.JPY), to: Self.GBP) == Self.money("5.31782946", Self.GBP))
    }

    @Test func crossRateThroughANonEuroPivot() throws {
        // Quoted against USD only: CHF → JPY goes through USD.
        let rates = [
            try Self.rate(.USD, Self.CHF, "0.8", on: "2026-01-02"),
            try Self.rate(.USD, Self.JPY, "150", on: "2026-01-02"),
        ]
        let table = ExchangeRateTable(rates: rates)
        #expect(try table.convert(try Self.money("2", Self.CHF), to: Self.JPY) == Self.money("375", Self.JPY))
        #expect(table.rate(from: Self.JPY, to: Self.CHF) == (try Self.amount("0.00533333")))
    }

    @Test func conversionRoundingModeDecidesTheLastDigit() throws {
        let table = ExchangeRateTable(rates: try Self.ecb())
        let usd = try Self.money("100", .USD)
        // 95.020904599011… : half-even and up give …60, down gives …59
        #expect(try table.convert(usd, to: .EUR, rounding: .conversion).amount == Self.amount("95.02090460"))
        #expect(try table.convert(usd, to: .EUR, rounding: Rounding(decimals: 8, mode: .up)).amount == Self.amount("95.02090460"))
        #expect(try table.convert(usd, to: .EUR, rounding: Rounding(decimals: 8, mode: .down)).amount == Self.amount("95.02090459"))
        // 81.480425693652… : half-even and down give …69, up gives …70
        #expect(try table.convert(usd, to: Self.GBP, rounding: Rounding(decimals: 8, mode: .halfEven)).amount == Self.amount("81.48042569"))
        #expect(try table.convert(usd, to: Self.GBP, rounding: Rounding(decimals: 8, mode: .down)).amount == Self.amount("81.48042569"))
        #expect(try table.convert(usd, to: Self.GBP, rounding: Rounding(decimals: 8, mode: .up)).amount == Self.amount("81.48042570"))
        #expect(try table.convert(usd, to: Self.GBP, rounding: Rounding(decimals: 2, mode: .halfEven)).amount == Self.amount("81.48"))
        #expect(try table.convert(usd, to: Self.GBP, rounding: Rounding(decimals: 2, mode: .up)).amount == Self.amount("81.49"))
        // Negative amounts (refunds) round symmetrically.
        let refund = try Self.money("-100", .USD)
        #expect(try table.convert(refund, to: .EUR, rounding: Rounding(decimals: 8, mode: .down)).amount == Self.amount("-95.02090459"))
        #expect(try table.convert(refund, to: .EUR, rounding: Rounding(decimals: 8, mode: .floor)).amount == Self.amount("-95.02090460"))
    }

    @Test func sameCurrencyIsTheIdentity() throws {
        let value = try Self.money("1.23456789", .EUR)
        #expect(try ExchangeRateTable(rates: try Self.ecb()).convert(value, to: .EUR) == value)
        #expect(try ExchangeRateTable(rates: []).convert(value, to: .EUR) == value)
        #expect(try ExchangeRateTable(rates: try Self.ecb()).convert(value, to: .EUR, rounding: Rounding(decimals: 0, mode: .up)) == value)
        #expect(ExchangeRateTable(rates: try Self.ecb()).rate(from: Self.GBP, to: Self.GBP) == (try Self.amount("1")))
    }

    @Test func missingPairThrowsNoRate() throws {
        let table = ExchangeRateTable(rates: [try Self.rate(.EUR, .USD, "1.0524", on: "2026-01-02")])
        #expect(throws: ConversionError.noRate(from: Self.GBP, to: .USD)) {
            try table.convert(try Self.money("1", Self.GBP), to: .USD)
        }
        #expect(throws: ConversionError.noRate(from: .USD, to: Self.JPY)) {
            try table.convert(try Self.money("1", .USD), to: Self.JPY)
        }
        #expect(table.rate(from: .USD, to: Self.JPY) == nil)
        #expect(ConversionError.noRate(from: .USD, to: Self.JPY).description.contains("USD to JPY"))
        #expect(table.currencies == [.EUR, .USD])
    }

    @Test func overflowIsAnError() throws {
        let table = ExchangeRateTable(rates: try Self.ecb())
        #expect(throws: ConversionError.overflow) {
            try table.convert(Money(Amount(units: .max), .EUR), to: Self.JPY)
        }
    }

    @Test func extremeCrossRateDoesNotTrap() throws {
        let XXX = CurrencyCode("XXX")!
        let YYY = CurrencyCode("YYY")!
        let table = ExchangeRateTable(rates: [
            try Self.rate(.EUR, XXX, "9223372036854775807", on: "2026-01-02"),
            try Self.rate(.EUR, YYY, "0.000000000001", on: "2026-01-02"),
        ])
        // 1 YYY = 9.2 × 10³⁰ XXX: out of range, reported rather than trapping.
        #expect(table.rate(from: YYY, to: XXX) == nil)
        #expect(throws: ConversionError.overflow) {
            try table.convert(try Self.money("1", YYY), to: XXX)
        }
        #expect(try table.convert(try Self.money("1", XXX), to: YYY) == Self.money("0", YYY))
    }

    // MARK: Dates

    @Test func asOfPicksTheLatestRateOnOrBeforeTheDate() throws {
        let rates = [
            try Self.rate(.EUR, .USD, "1.0524", on: "2026-01-02"),
            try Self.rate(.EUR, .USD, "2.0000", on: "2026-02-01"),
            try Self.rate(.EUR, .USD, "1.0600", on: "2026-01-05"),
        ]
        func rate(asOf date: String?) throws -> Amount? {
            let table = ExchangeRateTable(rates: rates, asOf: try date.map { try Self.day($0) })
            return table.rate(from: .EUR, to: .USD)
        }
        #expect(try rate(asOf: "2026-01-02") == Self.amount("1.0524"))
        #expect(try rate(asOf: "2026-01-04T23:59:59Z") == Self.amount("1.0524"))
        #expect(try rate(asOf: "2026-01-05") == Self.amount("1.06"))
        #expect(try rate(asOf: "2026-01-31") == Self.amount("1.06"))
        #expect(try rate(asOf: "2026-02-01") == Self.amount("2"))
        #expect(try rate(asOf: nil) == Self.amount("2"))
        #expect(try rate(asOf: "2026-01-01") == nil)

        let table = ExchangeRateTable(rates: rates, asOf: try Self.day("2026-01-20"))
        #expect(table.rates.count == 1)
        #expect(table.rates.first?.date == (try Self.day("2026-01-05")))
        #expect(try table.convert(try Self.money("100", .EUR), to: .USD) == Self.money("106", .USD))
        #expect(try table.convert(try Self.money("106", .USD), to: .EUR) == Self.money("100", .EUR))
    }

    @Test func inputOrderDoesNotMatter() throws {
        let rates = [
            try Self.rate(.EUR, .USD, "1.0600", on: "2026-01-05"),
            try Self.rate(.EUR, .USD, "1.0524", on: "2026-01-02"),
            try Self.rate(.EUR, Self.GBP, "0.8575", on: "2026-01-02"),
        ]
        let forward = ExchangeRateTable(rates: rates)
        let backward = ExchangeRateTable(rates: rates.reversed())
        #expect(forward.rates == backward.rates)
        #expect(forward.rate(from: .EUR, to: .USD) == (try Self.amount("1.06")))
        #expect(backward.rate(from: .EUR, to: .USD) == (try Self.amount("1.06")))
        #expect(forward.rates.map(\.quote) == [Self.GBP, .USD])
    }

    @Test func emptyBeforeTheFirstRate() throws {
        let table = ExchangeRateTable(rates: try Self.ecb(on: "2026-01-02"), asOf: try Self.day("2025-12-31"))
        #expect(table.isEmpty)
        #expect(table.currencies.isEmpty)
        #expect(throws: ConversionError.noRate(from: .EUR, to: .USD)) {
            try table.convert(try Self.money("1", .EUR), to: .USD)
        }
    }

    @Test func pairQuotedBothWaysKeepsEachDirection() throws {
        // Deliberately not reciprocal: 1 / 1.0524 = 0.9502…, the source says 0.95.
        let table = ExchangeRateTable(rates: [
            try Self.rate(.EUR, .USD, "1.0524", on: "2026-01-02"),
            try Self.rate(.USD, .EUR, "0.95", on: "2026-01-02"),
        ])
        #expect(try table.convert(try Self.money("100", .EUR), to: .USD) == Self.money("105.24", .USD))
        #expect(try table.convert(try Self.money("100", .USD), to: .EUR) == Self.money("95", .EUR))
        #expect(table.rate(from: .USD, to: .EUR) == (try Self.amount("0.95")))
        #expect(table.rate(from: .EUR, to: .USD) == (try Self.amount("1.0524")))
        #expect(table.rates.count == 2)
    }

    // MARK: Displayed rates

    @Test func rateDecimals() throws {
        let table = ExchangeRateTable(rates: try Self.ecb())
        #expect(table.rate(from: .EUR, to: .USD) == (try Self.amount("1.0524")))
        #expect(table.rate(from: .EUR, to: .USD, decimals: 2) == (try Self.amount("1.05")))
        #expect(table.rate(from: .USD, to: .EUR) == (try Self.amount("0.95020905")))  // 0.950209045990…
        #expect(table.rate(from: .USD, to: .EUR, decimals: 4) == (try Self.amount("0.9502")))
        #expect(table.rate(from: .USD, to: Self.GBP) == (try Self.amount("0.81480426")))  // 0.814804256936…
        #expect(table.rate(from: .USD, to: Self.GBP, decimals: 6) == (try Self.amount("0.814804")))
        #expect(table.rate(from: Self.JPY, to: .USD, decimals: 8) == (try Self.amount("0.00652651")))  // 1.0524 / 161.25 = 0.0065265116…
        #expect(table.rate(from: .USD, to: Self.JPY, decimals: 0) == (try Self.amount("153")))  // 153.2212…
    }

    @Test func rateIsRoundedOnceFromTheExactRatio() throws {
        // 1.234450001 to 4 decimals is 1.2345; rounding to 8 first (1.23445000) and then to 4 would give 1.2344.
        let XXX = CurrencyCode("XXX")!
        let table = ExchangeRateTable(rates: [try Self.rate(.EUR, XXX, "1.234450001", on: "2026-01-02")])
        #expect(table.rate(from: .EUR, to: XXX, decimals: 4) == (try Self.amount("1.2345")))
        #expect(table.rate(from: .EUR, to: XXX, decimals: 8) == (try Self.amount("1.23445")))
    }

    // MARK: The rates a conversion used

    @Test("a conversion names the stored rates it used: none, the direct or inverted one, or both sides of the pivot")
    func ratesUsed() throws {
        let rates = try Self.ecb()
        let table = ExchangeRateTable(rates: rates)
        #expect(table.ratesUsed(from: .EUR, to: .EUR) == [])
        #expect(table.ratesUsed(from: .EUR, to: .USD) == [rates[0]])
        #expect(table.ratesUsed(from: .USD, to: .EUR) == [rates[0]], "the inverse names the rate it inverts")
        #expect(table.ratesUsed(from: .USD, to: Self.GBP) == [rates[0], rates[1]])
        #expect(table.ratesUsed(from: .USD, to: Self.CHF) == nil)
        // The rates named are the ones the conversion applied: the same result by hand.
        let converted = try table.convert(try Self.money("100", .USD), to: Self.GBP)
        #expect(converted.amount == (try Self.amount("81.48042569")))
    }
}
