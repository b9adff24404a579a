import PostgresNIO
import SQLiteNIO

/// Each account's ledger, summed, beside its stored balance: read from the source before a copy
/// and from the target after it; both must add up, and to the same figures. Sums are compared
/// as decimal text, since a balance may exceed 64 bits on PostgreSQL (NUMERIC).
struct LedgerSums: Equatable {
    let totals: [Int64: String]
    let balances: [Int64: String]

    /// The first account whose entries do not sum to its balance.
    var firstMismatch: (account: Int64, entries: String, balance: String)? {
        for account in Set(totals.keys).union(balances.keys).sorted() {
            let entries = totals[account] ?? "0"
            let balance = balances[account] ?? "0"
            if entries != balance { return (account, entries, balance) }
        }
        return nil
    }

    /// Both queries answer `account_id` and one text column.
    init(totals: [(Int64, String)], balances: [(Int64, String)]) {
        self.totals = Dictionary(totals, uniquingKeysWith: { first, _ in first })
        self.balances = Dictionary(balances, uniquingKeysWith: { first, _ in first })
    }

    private static func pair(_ row: some StoredRow, _ column: String) throws -> (Int64, String) {
        (try row.int("account_id"), try row.text(column))
    }

    static func read(_ reader: SQLiteConnection) async throws -> LedgerSums {
        LedgerSums(
            totals: try await reader.collect(
                "SELECT account_id, CAST(SUM(amount) AS TEXT) AS total FROM ledger_transactions GROUP BY account_id",
                []
            ) { try pair($0, "total") },
            balances: try await reader.collect("SELECT account_id, CAST(balance AS TEXT) AS balance FROM account_balances", []) {
                try pair($0, "balance")
            }
        )
    }

    static func read(_ transaction: PostgresTransaction) async throws -> LedgerSums {
        LedgerSums(
            totals: try await transaction.select("SELECT account_id, SUM(amount)::text AS total FROM ledger_transactions GROUP BY account_id") {
                try pair($0, "total")
            },
            balances: try await transaction.select("SELECT account_id, balance::text AS balance FROM account_balances") { try pair($0, "balance") }
        )
    }
}
