import PostgresNIO
import TariffCore

/// Renewals on PostgreSQL, where every node runs them at once.
///
/// Each page of due subscriptions is claimed with `FOR UPDATE SKIP LOCKED` in the transaction
/// that charges it: a row another node is renewing is locked, so this node passes over it
/// rather than waiting to renew it a second time, and a row that node renewed and committed
/// meanwhile is read again as it now stands (no longer due) before it is locked. Two nodes thus
/// never renew the same subscription at once; the ledger's unique reference per subscription
/// and period stays as the second guard, answering a charge made twice as repeated.
enum PostgresSubscriptionRenewal {
    /// Renews what is due at `now`, a page at a time, each page in its own transaction so that
    /// its locks are held briefly. `due` is the query of one page after a subscription id,
    /// ordered by id and claiming its rows with `FOR UPDATE … SKIP LOCKED`; `target` reads a row.
    static func run(
        on engine: PostgresEngine,
        now: Instant,
        due: (_ after: Int64) -> (sql: String, binds: [StoredValue]),
        target: @escaping @Sendable (PostgresRandomAccessRow) throws -> SubscriptionRenewal.Target
    ) async throws -> RenewalReport {
        var report = RenewalReport()
        var after: Int64 = 0
        while true {
            let (sql, binds) = due(after)
            let (page, last) = try await engine.transaction { transaction in
                let targets = try await transaction.select(sql, binds, decode: target)
                var report = RenewalReport()
                // Charged in account order: each charge locks its account's balance until the
                // page commits, and the ledger and the other nodes' pages lock balances in
                // ascending order too, so no two transactions wait for each other in a cycle.
                for target in targets.sorted(by: { ($0.accountID, $0.id) < ($1.accountID, $1.id) }) {
                    try await SubscriptionRenewal.renew(target, now: now, report: &report, on: Transaction(transaction: transaction))
                }
                return (report, targets.map(\.id).max())
            }
            report.add(page)
            guard let last else { return report }
            after = last
        }
    }

    struct Transaction: RenewalTransaction {
        let transaction: PostgresTransaction

        func post(_ posting: LedgerPosting, now: Instant) async throws -> PostingOutcome? {
            try await PostgresLedgerRepository.post([posting], now: now, on: transaction).first
        }

        func execute(_ sql: String, _ binds: [StoredValue]) async throws {
            try await transaction.execute(sql, binds)
        }

        func grant(_ allowances: [[StoredValue]]) async throws {
            try await PostgresServiceSubscriptionRepository.grant(allowances, on: transaction)
        }
    }
}

extension SubscriptionBilling {
    /// PostgreSQL's `Among`: the list bound as one array literal, however long it is (a value
    /// bound for each would fail past 65,535). An empty list matches nothing, as SQLite's
    /// `IN ()` does; PostgreSQL has no such syntax.
    static func anyOf(_ column: String, _ values: [StoredValue]) -> (sql: String, binds: [StoredValue]) {
        guard let first = values.first else { return ("FALSE", []) }
        let isText = if case .text = first { true } else { false }
        var literal = "{"
        for (index, value) in values.enumerated() {
            if index > 0 { literal += "," }
            switch value {
            case .int(let int): literal += String(int)
            case .null: literal += "NULL"
            case .text(let text):
                // Quoted, with the two characters an array literal gives meaning inside quotes escaped.
                literal += "\""
                for character in text {
                    if character == "\"" || character == "\\" { literal += "\\" }
                    literal.append(character)
                }
                literal += "\""
            }
        }
        literal += "}"
        return ("\(column) = ANY(CAST(? AS \(isText ? "TEXT" : "BIGINT")[]))", [.text(literal)])
    }
}
