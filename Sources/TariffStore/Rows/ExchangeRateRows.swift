import TariffCore

/// Exchange rates as both engines store them.
enum ExchangeRateRows {
    static let columns = "SELECT date, base, quote, rate, source FROM exchange_rates ORDER BY date, base, quote"

    static func rate(_ row: some StoredRow) throws -> ExchangeRate {
        guard let base = CurrencyCode(try row.text("base")), let quote = CurrencyCode(try row.text("quote")) else {
            throw StoreError.corrupt("exchange rate currency")
        }
        return ExchangeRate(
            date: Instant(secondsSince1970: try row.int("date")),
            base: base,
            quote: quote,
            rate: try RateValue(parsing: try row.text("rate")),
            source: try row.text("source")
        )
    }
}
