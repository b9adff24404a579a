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
            guard !rates.isEmpty else { return 0 }
            _ = try await connection.query(
                """
                INSERT INTO revisions (topic, revision) VALUES ('exchange_rates', 1)
                ON CONFLICT (topic) DO UPDATE SET revision = revision + 1
                """
            )
            return rates.count
        }
    }

    func stamp() async throws -> String {
        try await engine.select("SELECT revision FROM revisions WHERE topic = 'exchange_rates'") { String(try $0.int("revision")) }.first ?? "0"
    }

    func all() async throws -> [ExchangeRate] {
        try await engine.select(ExchangeRateRows.columns, decode: ExchangeRateRows.rate)
    }
}
