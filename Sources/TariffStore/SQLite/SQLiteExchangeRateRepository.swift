import SQLiteNIO
import TariffCore

struct SQLiteExchangeRateRepository: ExchangeRateRepository {
    let engine: SQLiteEngine

    func store(_ rates: [ExchangeRate], importedAt: Instant) async throws -> Int {
        try await engine.transaction { connection in
            for rate in rates {
                _ = try await connection.query(
                    """
                    INSERT INTO exchange_rates (date, base, quote, rate, source, imported_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (date, base, quote) DO UPDATE SET rate = excluded.rate, source = excluded.source, imported_at = excluded.imported_at
                    """,
                    [
                        .int(rate.date.secondsSince1970), .text(rate.base.rawValue), .text(rate.quote.rawValue),
                        .text(rate.rate.description), .text(rate.source), .int(importedAt.secondsSince1970),
                    ]
                )
            }
            return rates.count
        }
    }

    func stamp() async throws -> String {
        try await engine.select("SELECT COUNT(*) AS n, COALESCE(MAX(imported_at), 0) AS at FROM exchange_rates") {
            "\(try $0.int("n"))@\(try $0.int("at"))"
        }.first ?? ""
    }

    func all() async throws -> [ExchangeRate] {
        try await engine.select("SELECT date, base, quote, rate, source FROM exchange_rates ORDER BY date, base, quote") { row in
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
}
