import Testing

@testable import TariffCore

@Suite("Ledger rules")
struct LedgerRulesTests {
    @Test(
        "a total writes exactly what an amount of the same units writes",
        arguments: [
            Int64(0), 1, -1, 12_345_678, -100_000_000, 150_000_000, Int64.max, Int64.min + 1, 99_999_999, -5_000_000_000,
        ]
    )
    func totalText(units: Int64) {
        let total = LedgerTotal(Amount(units: units))
        #expect(total.plainText == Amount(units: units).plainText)
        #expect(total.fixedText == Amount(units: units).formatted(decimals: 8))
    }

    @Test("totals beyond 64 bits are written exactly")
    func hugeTotals() {
        let big = LedgerTotal(units: 123_456_789_012_345_678_901_200_000)
        #expect(big.units > Int128(Int64.max))
        #expect(big.plainText == "1234567890123456789.012")
        #expect(big.fixedText == "1234567890123456789.01200000")
        #expect(LedgerTotal(units: -big.units).plainText == "-1234567890123456789.012")
        #expect(LedgerTotal(units: -big.units).fixedText == "-1234567890123456789.01200000")
        #expect(LedgerTotal(units: Int128.max).adding(Amount(units: 1)) == nil)
        #expect(LedgerTotal(units: Int128.min).adding(Amount(units: -1)) == nil)
    }

    @Test("charges stop at minus the credit limit; money in, refunds and adjustments are always admitted")
    func funds() throws {
        func posting(_ type: TransactionType, _ units: Int64) -> LedgerPosting {
            LedgerPosting(accountID: 1, type: type, amount: Amount(units: units), performedAt: Instant(secondsSince1970: 0), description: "")
        }
        let limit = Amount(units: 100)
        #expect(try posting(.resourceCharge, -100).balance(after: .zero, creditLimit: limit) == LedgerTotal(units: -100))
        #expect(throws: LedgerError.insufficientFunds(balance: .zero, creditLimit: limit, charge: Amount(units: -101))) {
            try posting(.resourceCharge, -101).balance(after: .zero, creditLimit: limit)
        }
        for type in [TransactionType.subscriptionCharge, .subscriptionInstallationCharge] {
            #expect(throws: LedgerError.self) { try posting(type, -1).balance(after: .zero, creditLimit: .zero) }
        }
        #expect(try posting(.adjustment, -500).balance(after: .zero, creditLimit: .zero) == LedgerTotal(units: -500))
        // Already in debt beyond the limit: a zero charge is still recorded, a payment too.
        #expect(try posting(.resourceCharge, 0).balance(after: LedgerTotal(units: -900), creditLimit: limit) == LedgerTotal(units: -900))
        #expect(try posting(.cardPayment, 1).balance(after: LedgerTotal(units: -900), creditLimit: limit) == LedgerTotal(units: -899))
    }

    @Test("each type takes its own sign")
    func signs() throws {
        func validate(_ type: TransactionType, _ units: Int64) -> Bool {
            (try? LedgerPosting(accountID: 1, type: type, amount: Amount(units: units), performedAt: Instant(secondsSince1970: 0), description: "")
                .validate()) != nil
        }
        for type in TransactionType.allCases where type.isCharge {
            #expect(validate(type, -1) && validate(type, 0) && !validate(type, 1), "\(type)")
        }
        for type in [TransactionType.cardPayment, .refund] {
            #expect(validate(type, 1) && !validate(type, 0) && !validate(type, -1), "\(type)")
        }
        #expect(validate(.adjustment, 1) && validate(.adjustment, -1) && !validate(.adjustment, 0))
    }
}
