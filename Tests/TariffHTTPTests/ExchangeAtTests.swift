import TariffCore
import Testing

@testable import TariffHTTP

/// A charge converts with the rates in force when the usage occurred. The live state answers
/// that from the table it holds when it can, and from the history otherwise: both must give
/// the same rates for every instant.
@Suite("Exchange rates at an instant")
struct ExchangeAtTests {
    static func rate(_ date: String, _ value: String, quote: CurrencyCode = .USD) throws -> ExchangeRate {
        ExchangeRate(date: try Instant(parsing: date), base: .EUR, quote: quote, rate: try RateValue(parsing: value), source: "test")
    }

    @Test("the held table and a table built from the history agree at every instant around every rate's date")
    func agree() throws {
        let rates = [
            try Self.rate("2026-01-01", "1.10"), try Self.rate("2026-03-01", "1.20"),
            try Self.rate("2026-03-01", "0.85", quote: CurrencyCode("GBP")!),
            try Self.rate("2026-06-01", "1.30"), try Self.rate("2026-09-01", "1.40"),  // the last is dated after "now"
        ]
        let now = try Instant(parsing: "2026-07-15T12:00:00Z")
        let exchange = LiveState.Exchange(rates: rates, storeStamp: "s", now: now)
        var instants = [Instant(secondsSince1970: 0), now, now.adding(seconds: 1), try Instant(parsing: "2030-01-01")]
        for rate in rates { instants += [rate.date.adding(seconds: -1), rate.date, rate.date.adding(seconds: 1)] }
        for instant in instants {
            #expect(exchange.table(at: instant).rates == ExchangeRateTable(rates: rates, asOf: instant).rates, "\(instant)")
        }
        let empty = LiveState.Exchange(rates: [], storeStamp: "s", now: now)
        #expect(empty.table(at: now).rates.isEmpty)
    }
}
