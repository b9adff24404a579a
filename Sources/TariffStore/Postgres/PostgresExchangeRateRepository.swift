import TariffCore

struct PostgresExchangeRateRepository: ExchangeRateRepository {
    let engine: PostgresEngine

    func store(_ rates: [ExchangeRate], importedAt: Instant) async throws -> Int {
        guard !rates.isEmpty else { return 0 }
        return try await engine.transaction { transaction in
            // A pair and day given twice in one call: the later one wins, as one statement
            // cannot update the same row twice.
            var latest: [String: ExchangeRate] = [:]
            for rate in rates { latest["\(rate.date.secondsSince1970) \(rate.base.rawValue) \(rate.quote.rawValue)"] = rate }
            let rows: [[StoredValue]] = latest.values.map { rate in
                [
                    .int(rate.date.secondsSince1970), .text(rate.base.rawValue), .text(rate.quote.rawValue),
                    .text(rate.rate.description), .text(rate.source), .int(importedAt.secondsSince1970),
                ]
            }
            try await transaction.insert(
                into: "exchange_rates",
                columns: ["date", "base", "quote", "rate", "source", "imported_at"],
                rows: rows,
                onConflict: "(date, base, quote) DO UPDATE SET rate = excluded.rate, source = excluded.source, imported_at = excluded.imported_at"
            )
            try await transaction.execute(
                """
                INSERT INTO revisions (topic, revision) VALUES ('exchange_rates', 1)
                ON CONFLICT (topic) DO UPDATE SET revision = revisions.revision + 1
                """
            )
            // Other nodes reload at once instead of at their next poll.
            try await transaction.notify("exchange_rates")
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
