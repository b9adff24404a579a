import SQLiteNIO
import TariffCore

struct SQLiteLedgerRepository: LedgerRepository {
    let engine: SQLiteEngine

    static let columns = LedgerRows.transactionColumns

    /// One transaction for the batch, and a constant number of statements per batch rather
    /// than per posting: the keys are looked up together, the entries inserted many rows to a
    /// statement, and each account's balance written once. That is what lets group commit
    /// carry thousands of charges a second.
    func post(_ postings: [LedgerPosting], now: Instant) async throws -> [PostingOutcome] {
        guard !postings.isEmpty else { return [] }
        return try await engine.transaction { connection in try await Self.post(postings, now: now, on: connection) }
    }

    /// `post` inside a transaction the caller holds: a rental's charges commit or roll back
    /// with the number leaving stock.
    static func post(_ postings: [LedgerPosting], now: Instant, on connection: SQLiteConnection) async throws -> [PostingOutcome] {
        guard !postings.isEmpty else { return [] }
        var accounts: [Int64: AccountBalance] = [:]
        for accountID in Set(postings.map(\.accountID)) {
            _ = try await cachedBalance(accountID, in: &accounts, on: connection)
        }
        let earlier = try await transactions(referencedBy: postings, on: connection)
        var allowances = try await AllowancePool.load(for: postings, on: connection)
        let batch = LedgerBatch(postings, accounts: accounts, earlier: earlier, allowances: &allowances)
        // Ids are given, not left to SQLite: the batch holds the write lock, so MAX(id) + 1
        // onwards is free, and each outcome knows its id without a statement per row.
        let last = try await connection.query("SELECT COALESCE(MAX(id), 0) AS id FROM ledger_transactions").first?.optionalInt("id") ?? 0
        let ids = batch.entries.indices.map { last + 1 + Int64($0) }
        let outcomes = try batch.outcomes(ids: ids, recordedAt: now)
        let bases = try await basisIDs(for: Set(batch.entries.compactMap(\.basis)), on: connection)
        let rows = batch.entries
        try await connection.insert(into: "ledger_transactions", columns: LedgerRows.insertColumns, count: rows.count) { index, binds in
            let entry = rows[index]
            for value in LedgerRows.values(of: entry, id: ids[index], recordedAt: now, basisID: entry.basis.flatMap { bases[$0] }) {
                binds.append(value.sqlite)
            }
        }
        try await allowances.save(on: connection)
        // The balances change in the same transaction as the entries that change them.
        for account in batch.accounts.values {
            _ = try await connection.query(
                "UPDATE account_balances SET balance = ? WHERE account_id = ?",
                [.text(String(account.balance.units)), .int(account.accountID)]
            )
        }
        return outcomes
    }

    /// The id of each explanation basis in `texts`, stored now if it was not already: a batch
    /// of a day's calls touches a few hundred rows, so few hundred bases.
    static func basisIDs(for texts: Set<String>, on connection: SQLiteConnection) async throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for row in try await connection.rows("SELECT id, body FROM charge_bases WHERE body IN", in: texts.map { .text($0) }) {
            ids[try row.text("body")] = try row.int("id")
        }
        let missing = texts.filter { ids[$0] == nil }
        guard !missing.isEmpty else { return ids }
        var next = try await connection.query("SELECT COALESCE(MAX(id), 0) AS id FROM charge_bases").first?.optionalInt("id") ?? 0
        var rows: [[SQLiteData]] = []
        for text in missing {
            next += 1
            ids[text] = next
            rows.append([.int(next), .text(text)])
        }
        try await connection.insert(into: "charge_bases", columns: ["id", "body"], rows: rows)
        return ids
    }

    /// The entries already recorded under the keys of `postings`, by account and key: one
    /// statement per account and few hundred keys, through the unique index.
    static func transactions(
        referencedBy postings: [LedgerPosting],
        on connection: SQLiteConnection
    ) async throws -> [LedgerBatch.ReferenceKey: LedgerBatch.Recorded] {
        var byAccount: [Int64: Set<String>] = [:]
        for posting in postings { if let reference = posting.reference { byAccount[posting.accountID, default: []].insert(reference) } }
        var found: [LedgerBatch.ReferenceKey: LedgerBatch.Recorded] = [:]
        for (account, references) in byAccount {
            let rows = try await connection.rows(
                columns + " WHERE account_id = ? AND reference IN",
                in: references.map { .text($0) },
                after: [.int(account)]
            )
            for row in rows {
                let entry = try LedgerRows.transaction(row)
                if let reference = entry.transaction.reference {
                    found[LedgerBatch.ReferenceKey(account: account, reference: reference)] = entry
                }
            }
        }
        return found
    }

    /// One statement, no write: a balance read (every get-balance) never takes the write lock.
    func balance(accountID: Int64) async throws -> AccountBalance? {
        try await engine.select(LedgerRows.balanceQuery, [.int(accountID)]) { try LedgerRows.balance($0, accountID: accountID) }.first
    }

    func setCreditLimit(accountID: Int64, to limit: Amount) async throws -> Bool {
        guard limit.units >= 0 else { throw LedgerError.negativeCreditLimit(limit) }
        return try await engine.transaction { connection in
            var accounts: [Int64: AccountBalance] = [:]
            guard try await Self.cachedBalance(accountID, in: &accounts, on: connection) != nil else { return false }
            _ = try await connection.query("UPDATE account_balances SET credit_limit = ? WHERE account_id = ?", [.int(limit.units), .int(accountID)])
            return true
        }
    }

    func margin(_ query: MarginQuery) async throws -> [MarginLine] {
        let (sql, binds) = LedgerRows.margin(query)
        return try await engine.select(sql, binds.map(\.sqlite), decode: LedgerRows.marginLine)
    }

    func transactions(_ query: TransactionQuery) async throws -> TransactionPage {
        let statements = LedgerRows.statements(query)
        let (rows, count) = try await engine.transaction { connection in
            let rows = try await connection.query(Self.columns + statements.page, statements.pageBinds.map(\.sqlite))
                .map { try LedgerRows.transaction($0).transaction }
            let count =
                try await connection.query("SELECT COUNT(*) AS n FROM ledger_transactions" + statements.filter, statements.binds.map(\.sqlite))
                .first?.optionalInt("n") ?? 0
            return (rows, count)
        }
        return TransactionPage(transactions: rows, totalCount: Int(count))
    }

    // MARK: Rows

    /// The account's balance as this transaction has left it so far, read once per batch.
    /// A balance row is made the first time an account is used, so that accounts made before
    /// the ledger existed need no migration of their own.
    static func cachedBalance(
        _ accountID: Int64,
        in cache: inout [Int64: AccountBalance],
        on connection: SQLiteConnection
    ) async throws
        -> AccountBalance?
    {
        if let cached = cache[accountID] { return cached }
        guard let row = try await connection.query(LedgerRows.balanceQuery, [.int(accountID)]).first else { return nil }
        if row.optionalText("balance") == nil {
            _ = try await connection.query("INSERT INTO account_balances (account_id) VALUES (?)", [.int(accountID)])
        }
        let balance = try LedgerRows.balance(row, accountID: accountID)
        cache[accountID] = balance
        return balance
    }
}
