import SQLiteNIO
import TariffCore

/// Renewals on SQLite: one writer, so a page of due subscriptions needs no claim.
enum SQLiteSubscriptionRenewal {
    /// Renews what is due at `now`, a page at a time, each page in its own transaction so that
    /// a large run never holds the write lock for long. `due` is the query of one page after a
    /// subscription id, ordered by id; `target` reads a row.
    static func run(
        on engine: SQLiteEngine,
        now: Instant,
        due: @escaping @Sendable (_ after: Int64) -> (sql: String, binds: [StoredValue]),
        target: @escaping @Sendable (SQLiteRow) throws -> SubscriptionRenewal.Target
    ) async throws -> RenewalReport {
        var report = RenewalReport()
        var after: Int64 = 0
        while true {
            let cursor = after
            let (page, last) = try await engine.transaction { connection in
                let (sql, binds) = due(cursor)
                var report = RenewalReport()
                var last: Int64?
                for row in try await connection.query(sql, binds.map(\.sqlite)) {
                    let subscription = try target(row)
                    last = subscription.id
                    try await SubscriptionRenewal.renew(subscription, now: now, report: &report, on: Transaction(connection: connection))
                }
                return (report, last)
            }
            report.add(page)
            guard let last else { return report }
            after = last
        }
    }

    struct Transaction: RenewalTransaction {
        let connection: SQLiteConnection

        func post(_ posting: LedgerPosting, now: Instant) async throws -> PostingOutcome? {
            try await SQLiteLedgerRepository.post([posting], now: now, on: connection).first
        }

        func execute(_ sql: String, _ binds: [StoredValue]) async throws {
            _ = try await connection.query(sql, binds.map(\.sqlite))
        }

        func grant(_ allowances: [[StoredValue]]) async throws {
            try await SQLiteServiceSubscriptionRepository.grant(allowances, on: connection)
        }
    }
}
