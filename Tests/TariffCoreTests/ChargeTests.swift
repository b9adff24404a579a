import Testing

@testable import TariffCore

@Suite("Charge")
struct ChargeTests {
    static func amount(_ text: String) throws -> Amount { try Amount(parsing: text) }

    static func terms(price: String, increment: BillingIncrement?, connectFee: String = "0") throws -> RateTerms {
        RateTerms(
            price: try amount(price),
            currency: .EUR,
            increment: increment,
            connectFee: try amount(connectFee),
            description: "",
            resource: ""
        )
    }

    static func increment(_ text: String) throws -> BillingIncrement {
        try #require(BillingIncrement(parsing: text))
    }

    /// One row of the golden table.
    struct Row: Sendable, CustomTestStringConvertible {
        let increment: String
        let seconds: Int
        let billed: Int
        /// Total at 0.01230000 per minute: every case divides exactly.
        let at0123: String
        /// Total at 0.01000000 per minute: a part-used 1/60 is rounded up at 8 decimals.
        let at0100: String
        var testDescription: String { "\(increment) at \(seconds) s" }
    }

    /// The connect fee the 60/1 rows carry.
    static let connectFee = "0.02"

    // Hand computation: total = price × billed / 60 (+ 0.02 connect fee on 60/1 when billed > 0).
    //   0.0123 / 60 = 0.000205 per second exactly, so 0.0123 never needs rounding.
    //   0.01 / 60 = 0.000166… per second: 1 s → 0.00016667, 59 s → 0.00983334, 61 s → 0.01016667, 3599 s → 0.59983334.
    static let golden: [Row] = [
        Row(increment: "60/60", seconds: 0, billed: 0, at0123: "0", at0100: "0"),
        Row(increment: "60/60", seconds: 1, billed: 60, at0123: "0.0123", at0100: "0.01"),
        Row(increment: "60/60", seconds: 59, billed: 60, at0123: "0.0123", at0100: "0.01"),
        Row(increment: "60/60", seconds: 60, billed: 60, at0123: "0.0123", at0100: "0.01"),
        Row(increment: "60/60", seconds: 61, billed: 120, at0123: "0.0246", at0100: "0.02"),
        Row(increment: "60/60", seconds: 3599, billed: 3600, at0123: "0.738", at0100: "0.6"),

        Row(increment: "1/1", seconds: 0, billed: 0, at0123: "0", at0100: "0"),
        Row(increment: "1/1", seconds: 1, billed: 1, at0123: "0.000205", at0100: "0.00016667"),
        Row(increment: "1/1", seconds: 59, billed: 59, at0123: "0.012095", at0100: "0.00983334"),
        Row(increment: "1/1", seconds: 60, billed: 60, at0123: "0.0123", at0100: "0.01"),
        Row(increment: "1/1", seconds: 61, billed: 61, at0123: "0.012505", at0100: "0.01016667"),
        Row(increment: "1/1", seconds: 3599, billed: 3599, at0123: "0.737795", at0100: "0.59983334"),

        Row(increment: "30/6", seconds: 0, billed: 0, at0123: "0", at0100: "0"),
        Row(increment: "30/6", seconds: 1, billed: 30, at0123: "0.00615", at0100: "0.005"),
        Row(increment: "30/6", seconds: 59, billed: 60, at0123: "0.0123", at0100: "0.01"),
        Row(increment: "30/6", seconds: 60, billed: 60, at0123: "0.0123", at0100: "0.01"),
        Row(increment: "30/6", seconds: 61, billed: 66, at0123: "0.01353", at0100: "0.011"),
        Row(increment: "30/6", seconds: 3599, billed: 3600, at0123: "0.738", at0100: "0.6"),

        Row(increment: "60/1", seconds: 0, billed: 0, at0123: "0", at0100: "0"),
        Row(increment: "60/1", seconds: 1, billed: 60, at0123: "0.0323", at0100: "0.03"),
        Row(increment: "60/1", seconds: 59, billed: 60, at0123: "0.0323", at0100: "0.03"),
        Row(increment: "60/1", seconds: 60, billed: 60, at0123: "0.0323", at0100: "0.03"),
        Row(increment: "60/1", seconds: 61, billed: 61, at0123: "0.032505", at0100: "0.03016667"),
        Row(increment: "60/1", seconds: 3599, billed: 3599, at0123: "0.757795", at0100: "0.61983334"),
    ]

    @Test(arguments: ChargeTests.golden)
    func billedSeconds(_ row: Row) throws {
        #expect(try Self.increment(row.increment).billedSeconds(for: row.seconds) == row.billed)
    }

    @Test(arguments: ChargeTests.golden)
    func callCost(_ row: Row) throws {
        let increment = try Self.increment(row.increment)
        let fee = increment.description == "60/1" ? Self.connectFee : "0"
        for (price, expected) in [("0.01230000", row.at0123), ("0.01000000", row.at0100)] {
            let charge = try UsageCharge.call(Self.terms(price: price, increment: increment, connectFee: fee), seconds: row.seconds)
            #expect(charge.billedSeconds == row.billed)
            #expect(charge.total == (try Self.amount(expected)), "\(price) per minute")
            let expectedFee = try row.billed > 0 ? Self.amount(fee) : Amount.zero
            #expect(charge.connectFee == expectedFee)
            #expect(try charge.usage + charge.connectFee == charge.total)
            #expect(charge.currency == .EUR)
            #expect(charge.rounding == .charge)
        }
    }

    @Test func unansweredCallCostsNothingNotEvenTheConnectFee() throws {
        let terms = try Self.terms(price: "0.5", increment: Self.increment("60/1"), connectFee: "0.25")
        for seconds in [0, -1, -60] {
            let charge = try UsageCharge.call(terms, seconds: seconds)
            #expect(charge.billedSeconds == 0)
            #expect(charge.usage == .zero)
            #expect(charge.connectFee == .zero)
            #expect(charge.total == .zero)
        }
    }

    @Test func connectFeeIsAddedOnceToTheRoundedUsage() throws {
        let terms = try Self.terms(price: "0.01", increment: .perSecond, connectFee: "0.00000001")
        let charge = try UsageCharge.call(terms, seconds: 1)
        #expect(charge.usage == (try Self.amount("0.00016667")))
        #expect(charge.connectFee == (try Self.amount("0.00000001")))
        #expect(charge.total == (try Self.amount("0.00016668")))
    }

    @Test func missingIncrementMeansPerMinute() throws {
        let terms = try Self.terms(price: "0.0123", increment: nil)
        let charge = try UsageCharge.call(terms, seconds: 61)
        #expect(charge.billedSeconds == 120)
        #expect(charge.total == (try Self.amount("0.0246")))
    }

    @Test func callerNamedRounding() throws {
        let terms = try Self.terms(price: "0.0123", increment: .perSecond)
        let up = try UsageCharge.call(terms, seconds: 61, rounding: Rounding(decimals: 4, mode: .up))
        #expect(up.total == (try Self.amount("0.0126")))  // 0.012505 → 0.0126
        #expect(up.rounding == Rounding(decimals: 4, mode: .up))
        let even = try UsageCharge.call(terms, seconds: 61, rounding: Rounding(decimals: 4, mode: .halfEven))
        #expect(even.total == (try Self.amount("0.0125")))
        let down = try UsageCharge.call(
            try Self.terms(price: "0.01", increment: .perSecond),
            seconds: 59,
            rounding: Rounding(decimals: 8, mode: .down)
        )
        #expect(down.total == (try Self.amount("0.00983333")))
    }

    @Test func callOverflowIsAnError() throws {
        let huge = RateTerms(price: Amount(units: .max), currency: .EUR, increment: .perMinute, connectFee: .zero, description: "", resource: "")
        #expect(throws: AmountError.overflow) { try UsageCharge.call(huge, seconds: 61) }
        let fee = RateTerms(
            price: Amount(units: .max),
            currency: .EUR,
            increment: .perMinute,
            connectFee: Amount(units: 1),
            description: "",
            resource: ""
        )
        #expect(throws: AmountError.overflow) { try UsageCharge.call(fee, seconds: 60) }
    }

    // MARK: Messages

    @Test(arguments: [(1, "0.065"), (2, "0.13"), (1000, "65"), (0, "0")])
    func messages(count: Int, expected: String) throws {
        let terms = try Self.terms(price: "0.06500000", increment: nil, connectFee: "0.5")
        let charge = try UsageCharge.messages(terms, count: count)
        #expect(charge.total == (try Self.amount(expected)))
        #expect(charge.usage == charge.total)
        #expect(charge.connectFee == .zero)
        #expect(charge.billedSeconds == 0)
        #expect(charge.currency == .EUR)
    }

    @Test func messageOverflowIsAnError() throws {
        let terms = try Self.terms(price: "92233720368", increment: nil)
        #expect(throws: AmountError.overflow) { try UsageCharge.messages(terms, count: 2) }
    }

    // MARK: BillingIncrement

    @Test(arguments: [
        ("60/60", 60, 60),
        ("60-60", 60, 60),
        (" 30 / 6 ", 30, 6),
        ("\t30/6\t", 30, 6),
        ("30 - 6", 30, 6),
        ("60", 60, 60),
        ("1/1", 1, 1),
        ("60/1", 60, 1),
        ("3600/3600", 3600, 3600),
        ("060/01", 60, 1),
    ])
    func parsesIncrement(text: String, initial: Int, subsequent: Int) throws {
        let increment = try #require(BillingIncrement(parsing: text))
        #expect(increment.initial == initial)
        #expect(increment.subsequent == subsequent)
        #expect(increment.description == "\(initial)/\(subsequent)")
        #expect(BillingIncrement(parsing: increment.description) == increment)
    }

    @Test(arguments: [
        "0/60", "60/0", "0", "a/b", "60/60/60", "3601/1", "1/3601", "", " ", "/", "-", "60/", "/60", "-60", "60//60", "60--60",
        "30 6", "+30/6", "30/-6", "30.5/6", "60s", "١/١", "99999999999999999999/1",
    ])
    func rejectsIncrement(text: String) {
        #expect(BillingIncrement(parsing: text) == nil)
    }

    @Test func namedIncrements() throws {
        #expect(BillingIncrement.perMinute == BillingIncrement(initial: 60, subsequent: 60))
        #expect(BillingIncrement.perSecond == BillingIncrement(initial: 1, subsequent: 1))
        #expect(BillingIncrement(initial: 0, subsequent: 1) == nil)
        #expect(BillingIncrement(initial: 1, subsequent: 3601) == nil)
        #expect(Product.voiceOutbound.defaultIncrement == .perMinute)
        #expect(Product.smsOutbound.defaultIncrement == nil)
    }

    @Test(arguments: [(Int(60), Int(60)), (1, 1), (30, 6), (60, 1), (45, 15), (3600, 3600)])
    func billedSecondsAreWholeBlocksCoveringTheCall(initial: Int, subsequent: Int) throws {
        let increment = try #require(BillingIncrement(initial: initial, subsequent: subsequent))
        for seconds in 1...7300 {
            let billed = increment.billedSeconds(for: seconds)
            let ok =
                billed >= seconds && billed >= initial
                && (billed - initial) % subsequent == 0
                && (billed == initial || billed - subsequent < seconds)
            if !ok {
                Issue.record("\(increment) billed \(billed) for \(seconds) s")
                return
            }
        }
    }

    @Test func extremeCountsAreRefusedNotTrapped() throws {
        let terms = try Self.terms(price: "0.5", increment: Self.increment("30/6"), connectFee: "0.25")
        #expect(throws: AmountError.overflow) { try UsageCharge.call(terms, seconds: Int.max) }
        #expect(throws: AmountError.overflow) { try UsageCharge.call(terms, seconds: UsageCharge.usageRange.upperBound + 1) }
        #expect(try UsageCharge.call(terms, seconds: UsageCharge.usageRange.upperBound).billedSeconds == 1_000_000_002)
        #expect(throws: AmountError.overflow) { try UsageCharge.messages(terms, count: -1) }
        #expect(throws: AmountError.overflow) { try UsageCharge.messages(terms, count: Int.max) }
        #expect(try Self.increment("30/6").billedSeconds(for: Int.max) == Int.max)
        #expect(try Self.increment("1/1").billedSeconds(for: Int.max) == Int.max)
        #expect(try Self.increment("60/60").billedSeconds(for: Int.max - 1) == Int.max)
    }
}
