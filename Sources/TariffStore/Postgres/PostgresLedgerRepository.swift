import TariffCore

/// The ledger on PostgreSQL, where several processes post at once: what SQLite's single writer
/// gives for free is done here with row locks. Each batch locks the balance rows of its
/// accounts before it reads anything it decides on, so that two batches for one account take
/// turns, and one for other accounts runs beside it.
struct PostgresLedgerRepository: LedgerRepository {
    let engine: PostgresEngine

    /// One transaction for the batch, and a constant number of statements per batch rather
    /// than per posting or per account: every round trip is made while the batch holds its
    /// accounts' locks, so it is paid by every batch queued behind them.
    func post(_ postings: [LedgerPosting], now: Instant) async throws -> [PostingOutcome] {
        guard !postings.isEmpty else { return [] }
        return try await engine.transaction { transaction in try await Self.post(postings, now: now, on: transaction) }
    }

    /// `post` inside a transaction the caller holds: a rental's charges commit or roll back
    /// with the number leaving stock. The transaction must be READ COMMITTED (`BEGIN`'s
    /// default): the reads below count on each statement seeing what committed before it.
    static func post(_ postings: [LedgerPosting], now: Instant, on transaction: PostgresTransaction) async throws -> [PostingOutcome] {
        guard !postings.isEmpty else { return [] }
        let accounts = try await lockBalances(of: postings.map(\.accountID), on: transaction)
        // Reliable only because the balances are locked: a batch for the same account that
        // committed before we got the lock is visible to this statement (READ COMMITTED takes a
        // snapshot per statement), and one that did not start yet waits for our commit. The
        // unique index on (account_id, reference) stays as the last guard.
        let earlier = try await transactions(referencedBy: postings.filter { accounts[$0.accountID] != nil }, on: transaction)
        var allowances = try await AllowancePool.load(for: postings.filter { accounts[$0.accountID] != nil }, on: transaction)
        let batch = LedgerBatch(postings, accounts: accounts, earlier: earlier, allowances: &allowances)
        let ids = try await reserveIDs(batch.entries.count, on: transaction)
        let outcomes = try batch.outcomes(ids: ids, recordedAt: now)
        let bases = try await basisIDs(for: Set(batch.entries.compactMap(\.basis)), on: transaction)
        try await insert(batch.entries, ids: ids, recordedAt: now, bases: bases, on: transaction)
        try await allowances.save(on: transaction)
        // The balances change in the same transaction as the entries that change them; an
        // account whose postings were all refused or repeated is not rewritten.
        let changed = batch.accounts.values.filter { $0.balance != accounts[$0.accountID]?.balance }.sorted { $0.accountID < $1.accountID }
        for chunk in chunks(changed, of: 10_000) {
            try await transaction.execute(
                """
                UPDATE account_balances SET balance = changed.balance::numeric
                FROM (VALUES \(marks(chunk.count, each: "(?, ?)"))) AS changed (account_id, balance)
                WHERE account_balances.account_id = changed.account_id
                """,
                chunk.flatMap { [StoredValue.int($0.accountID), .text(String($0.balance.units))] }
            )
        }
        return outcomes
    }

    /// Locks the balance rows of `accountIDs` until the transaction ends and reads them as they
    /// stand once locked; an id without an account is left out. A balance row is made the first
    /// time an account is used, so that accounts made before the ledger need no migration.
    ///
    /// Every row is created, then locked, in ascending id order, so that two transactions
    /// locking overlapping accounts never wait for each other in a cycle. Code that changes an
    /// account's allowances and then posts to it should call this first: the ledger locks the
    /// balance before the allowances, and the other order can deadlock with a batch of charges.
    static func lockBalances(of accountIDs: some Sequence<Int64>, on transaction: PostgresTransaction) async throws -> [Int64: AccountBalance] {
        let sorted = Set(accountIDs).sorted()
        for chunk in chunks(sorted, of: 1000) {
            try await transaction.execute(
                """
                INSERT INTO account_balances (account_id) SELECT id FROM accounts WHERE id IN (\(marks(chunk.count)))
                ORDER BY id ON CONFLICT (account_id) DO NOTHING
                """,
                chunk.map { .int($0) }
            )
        }
        for chunk in chunks(sorted, of: 1000) {
            // Only the balance rows are locked: the account row itself stays free for the
            // foreign keys that other transactions check against it.
            try await transaction.execute(
                "SELECT account_id FROM account_balances WHERE account_id IN (\(marks(chunk.count))) ORDER BY account_id FOR UPDATE",
                chunk.map { .int($0) }
            )
        }
        // Read once the locks are held, by a statement of its own: a close or a change of
        // currency that held a lock first has committed, and this statement sees it.
        var balances: [Int64: AccountBalance] = [:]
        for chunk in chunks(sorted, of: 1000) {
            let rows = try await transaction.select(
                """
                SELECT account_balances.account_id, accounts.currency, accounts.closed_at,
                CAST(account_balances.balance AS TEXT) AS balance, account_balances.credit_limit
                FROM account_balances JOIN accounts ON accounts.id = account_balances.account_id
                WHERE account_balances.account_id IN (\(marks(chunk.count)))
                """,
                chunk.map { .int($0) }
            ) { row in try LedgerRows.balance(row, accountID: try row.int("account_id")) }
            for balance in rows { balances[balance.accountID] = balance }
        }
        return balances
    }

    /// Ids for `count` entries, ascending. Taken from the identity's sequence after the
    /// balances are locked, so that a later batch for an account has higher ids than an
    /// earlier one: an account's entries in id order add up to its balance.
    static func reserveIDs(_ count: Int, on transaction: PostgresTransaction) async throws -> [Int64] {
        guard count > 0 else { return [] }
        return try await transaction.select(
            "SELECT nextval(pg_get_serial_sequence('ledger_transactions', 'id')) AS id FROM generate_series(1, ?::bigint)",
            [.int(count)]
        ) { try $0.int("id") }
        .sorted()
    }

    /// The entries, many rows to a statement below PostgreSQL's 65,535 values.
    static func insert(
        _ entries: [LedgerBatch.Entry],
        ids: [Int64],
        recordedAt now: Instant,
        bases: [String: Int64],
        on transaction: PostgresTransaction
    ) async throws {
        let columns = LedgerRows.insertColumns
        // The balance is bound as text: its 128 bits have no PostgreSQL integer type to go by.
        let tuple = "(" + columns.map { $0 == "balance_after" ? "?::numeric" : "?" }.joined(separator: ", ") + ")"
        let head = "INSERT INTO ledger_transactions (\(columns.joined(separator: ", "))) VALUES "
        for start in stride(from: 0, to: entries.count, by: 30_000 / columns.count) {
            let end = min(entries.count, start + 30_000 / columns.count)
            var binds: [StoredValue] = []
            binds.reserveCapacity((end - start) * columns.count)
            for index in start..<end {
                let entry = entries[index]
                binds += LedgerRows.values(of: entry, id: ids[index], recordedAt: now, basisID: entry.basis.flatMap { bases[$0] })
            }
            try await transaction.execute(head + Array(repeating: tuple, count: end - start).joined(separator: ", "), binds)
        }
    }

    /// The id of each explanation basis in `texts`, stored now if it was not already.
    static func basisIDs(for texts: Set<String>, on transaction: PostgresTransaction) async throws -> [String: Int64] {
        guard !texts.isEmpty else { return [:] }
        var ids = try await storedBasisIDs(Array(texts), on: transaction)
        // Sorted: two batches storing the same new bases take them in the same order, so
        // neither waits for the other in a cycle.
        let missing = texts.filter { ids[$0] == nil }.sorted()
        guard !missing.isEmpty else { return ids }
        try await transaction.insert(into: "charge_bases", columns: ["body"], rows: missing.map { [.text($0)] }, onConflict: "(body) DO NOTHING")
        // Read back rather than returned: a basis another batch stored meanwhile was not
        // inserted here, and is read with the id that batch gave it.
        ids.merge(try await storedBasisIDs(missing, on: transaction)) { first, _ in first }
        guard missing.allSatisfy({ ids[$0] != nil }) else { throw StoreError.corrupt("a charge basis was stored without an id") }
        return ids
    }

    private static func storedBasisIDs(_ texts: [String], on transaction: PostgresTransaction) async throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for chunk in chunks(texts, of: 1000) {
            let rows = try await transaction.select(
                "SELECT id, body FROM charge_bases WHERE body IN (\(marks(chunk.count)))",
                chunk.map { .text($0) }
            ) {
                (try $0.text("body"), try $0.int("id"))
            }
            for (body, id) in rows { ids[body] = id }
        }
        return ids
    }

    /// The entries already recorded under the keys of `postings`, by account and key: one
    /// statement for many accounts, through the unique index.
    static func transactions(
        referencedBy postings: [LedgerPosting],
        on transaction: PostgresTransaction
    ) async throws -> [LedgerBatch.ReferenceKey: LedgerBatch.Recorded] {
        let keys = Array(
            Set(postings.compactMap { posting in posting.reference.map { LedgerBatch.ReferenceKey(account: posting.accountID, reference: $0) } })
        )
        var found: [LedgerBatch.ReferenceKey: LedgerBatch.Recorded] = [:]
        for chunk in chunks(keys, of: 1000) {
            let rows = try await transaction.select(
                LedgerRows.transactionColumns + " WHERE (account_id, reference) IN (VALUES \(marks(chunk.count, each: "(?, ?)")))",
                chunk.flatMap { [StoredValue.int($0.account), .text($0.reference)] },
                decode: LedgerRows.transaction
            )
            for entry in rows {
                if let reference = entry.transaction.reference {
                    found[LedgerBatch.ReferenceKey(account: entry.transaction.accountID, reference: reference)] = entry
                }
            }
        }
        return found
    }

    /// One statement, no lock: a balance read waits for no batch, and sees the last commit.
    func balance(accountID: Int64) async throws -> AccountBalance? {
        try await engine.select(LedgerRows.balanceQuery, [.int(accountID)]) { try LedgerRows.balance($0, accountID: accountID) }.first
    }

    func setCreditLimit(accountID: Int64, to limit: Amount) async throws -> Bool {
        guard limit.units >= 0 else { throw LedgerError.negativeCreditLimit(limit) }
        // One statement that makes the balance row if the account has none yet; a batch posting
        // to the account holds the row, so the limit changes between batches, never within one.
        let rows = try await engine.select(
            """
            INSERT INTO account_balances (account_id, credit_limit) SELECT id, ? FROM accounts WHERE id = ?
            ON CONFLICT (account_id) DO UPDATE SET credit_limit = EXCLUDED.credit_limit RETURNING account_id
            """,
            [.int(limit.units), .int(accountID)]
        ) { try $0.int("account_id") }
        return !rows.isEmpty
    }

    func margin(_ query: MarginQuery) async throws -> [MarginLine] {
        let (sql, binds) = LedgerRows.margin(query)
        return try await engine.select(sql, binds, decode: LedgerRows.marginLine)
    }

    func transactions(_ query: TransactionQuery) async throws -> TransactionPage {
        let statements = LedgerRows.statements(query)
        return try await engine.transaction { transaction in
            // One snapshot for the page and its count, as SQLite's transaction gives: under
            // READ COMMITTED each statement would see the batches committed between them.
            try await transaction.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            let rows = try await transaction.select(LedgerRows.transactionColumns + statements.page, statements.pageBinds) {
                try LedgerRows.transaction($0).transaction
            }
            let count = try await transaction.select("SELECT COUNT(*) AS n FROM ledger_transactions" + statements.filter, statements.binds) {
                try $0.int("n")
            }
            return TransactionPage(transactions: rows, totalCount: Int(count.first ?? 0))
        }
    }

    // MARK: Statements

    /// `count` placeholders (or tuples of them), separated by commas.
    static func marks(_ count: Int, each: String = "?") -> String { Array(repeating: each, count: count).joined(separator: ", ") }

    /// `values` in runs of at most `size`, in order: a statement's worth each.
    static func chunks<Element>(_ values: [Element], of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: values.count, by: size).map { values[$0..<min(values.count, $0 + size)] }
    }
}
