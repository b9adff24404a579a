import Foundation
import SQLiteNIO
import TariffCore

struct SQLiteLedgerRepository: LedgerRepository {
    let engine: SQLiteEngine

    static let columns = """
        SELECT id, account_id, type, amount, currency, performed_at, recorded_at, description, reference, fingerprint,
        balance_after, explanation, (SELECT body FROM charge_bases WHERE charge_bases.id = basis_id) AS basis FROM ledger_transactions
        """

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
        var earlier = try await transactions(referencedBy: postings, on: connection)
        var nextID = try await connection.query("SELECT COALESCE(MAX(id), 0) AS id FROM ledger_transactions").first?.optionalInt("id") ?? 0
        var outcomes: [PostingOutcome] = []
        outcomes.reserveCapacity(postings.count)
        var entries: [Entry] = []
        for posting in postings {
            guard let account = accounts[posting.accountID] else {
                outcomes.append(.refused(.unknownAccount(posting.accountID)))
                continue
            }
            if let reference = posting.reference, let first = earlier[ReferenceKey(account: account.accountID, reference: reference)] {
                outcomes.append(
                    first.fingerprint == posting.fingerprint ? .repeated(first.transaction) : .refused(.referenceConflict(reference))
                )
                continue
            }
            let balance: LedgerTotal
            do throws(LedgerError) {
                try posting.validate()
                balance = try posting.balance(after: account.balance, creditLimit: account.creditLimit)
            } catch {
                outcomes.append(.refused(error))
                continue
            }
            nextID += 1
            entries.append(
                Entry(id: nextID, currency: account.currency, posting: posting, balance: balance, basis: posting.explanation?.basisJSONText)
            )
            accounts[account.accountID] = AccountBalance(
                accountID: account.accountID,
                currency: account.currency,
                balance: balance,
                creditLimit: account.creditLimit
            )
            let transaction = LedgerTransaction(
                id: nextID,
                accountID: account.accountID,
                type: posting.type,
                amount: posting.amount,
                currency: account.currency,
                performedAt: posting.performedAt,
                recordedAt: now,
                description: posting.description,
                reference: posting.reference,
                balanceAfter: balance,
                explanation: posting.explanation
            )
            if let reference = posting.reference {
                // A second posting of the same key in this batch is a retry of this one.
                earlier[ReferenceKey(account: account.accountID, reference: reference)] = (transaction, posting.fingerprint)
            }
            outcomes.append(.posted(transaction))
        }
        let bases = try await basisIDs(for: Set(entries.compactMap(\.basis)), on: connection)
        let rows = entries
        // Ids are given, not left to SQLite: the batch holds the write lock, so MAX(id) + 1
        // onwards is free, and each outcome knows its id without a statement per row.
        try await connection.insert(into: "ledger_transactions", columns: insertColumns, count: rows.count) { index, binds in
            let entry = rows[index]
            let posting = entry.posting
            binds += [
                .int(entry.id), .int(posting.accountID), .text(posting.type.rawValue), .int(posting.amount.units),
                .text(entry.currency.rawValue), .int(posting.performedAt.secondsSince1970), .int(now.secondsSince1970),
                .text(posting.description), .optional(posting.reference), .optional(posting.fingerprint), .text(String(entry.balance.units)),
                .optional(posting.explanation?.chargeJSONText), .optional(entry.basis.flatMap { bases[$0] }),
            ]
        }
        // The balances change in the same transaction as the entries that change them.
        for account in accounts.values {
            _ = try await connection.query(
                "UPDATE account_balances SET balance = ? WHERE account_id = ?",
                [.text(String(account.balance.units)), .int(account.accountID)]
            )
        }
        return outcomes
    }

    static let insertColumns = [
        "id", "account_id", "type", "amount", "currency", "performed_at", "recorded_at", "description", "reference", "fingerprint",
        "balance_after", "explanation", "basis_id",
    ]

    /// A posting accepted into the batch, with the id and balance it was given.
    struct Entry: Sendable {
        let id: Int64
        let currency: CurrencyCode
        let posting: LedgerPosting
        let balance: LedgerTotal
        /// The explanation's shared part, stored once in `charge_bases`.
        let basis: String?
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

    struct ReferenceKey: Hashable {
        let account: Int64
        let reference: String
    }

    /// The entries already recorded under the keys of `postings`, by account and key: one
    /// statement per account and few hundred keys, through the unique index.
    static func transactions(
        referencedBy postings: [LedgerPosting],
        on connection: SQLiteConnection
    ) async throws -> [ReferenceKey: (transaction: LedgerTransaction, fingerprint: String?)] {
        var byAccount: [Int64: Set<String>] = [:]
        for posting in postings { if let reference = posting.reference { byAccount[posting.accountID, default: []].insert(reference) } }
        var found: [ReferenceKey: (transaction: LedgerTransaction, fingerprint: String?)] = [:]
        for (account, references) in byAccount {
            let rows = try await connection.rows(
                columns + " WHERE account_id = ? AND reference IN",
                in: references.map { .text($0) },
                after: [.int(account)]
            )
            for row in rows {
                let entry = try decode(row)
                if let reference = entry.transaction.reference { found[ReferenceKey(account: account, reference: reference)] = entry }
            }
        }
        return found
    }

    /// One statement, no write: a balance read (every get-balance) never takes the write lock.
    func balance(accountID: Int64) async throws -> AccountBalance? {
        try await engine.select(Self.balanceQuery, [.int(accountID)]) { try Self.decodeBalance($0, accountID: accountID) }.first
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

    func transactions(_ query: TransactionQuery) async throws -> TransactionPage {
        var conditions = ["account_id = ?"]
        var binds: [SQLiteData] = [.int(query.accountID)]
        if let types = query.types {
            conditions.append("type IN (\(types.map { _ in "?" }.joined(separator: ", ")))")
            binds += types.sorted { $0.rawValue < $1.rawValue }.map { .text($0.rawValue) }
        }
        if let ids = query.ids {
            conditions.append("id IN (\(ids.map { _ in "?" }.joined(separator: ", ")))")
            binds += ids.map { .int($0) }
        }
        if let from = query.from {
            conditions.append("performed_at >= ?")
            binds.append(.int(from.secondsSince1970))
        }
        if let until = query.until {
            conditions.append("performed_at < ?")
            binds.append(.int(until.secondsSince1970))
        }
        let filter = " WHERE " + conditions.joined(separator: " AND ")
        var page = filter
        var pageBinds = binds
        if let after = query.afterID {
            page += query.descending ? " AND id < ?" : " AND id > ?"
            pageBinds.append(.int(after))
        }
        page += " ORDER BY id \(query.descending ? "DESC" : "ASC") LIMIT ? OFFSET ?"
        let filterBinds = binds
        let (rows, count) = try await engine.transaction { [page, pageBinds] connection in
            let rows = try await connection.query(Self.columns + page, pageBinds + [.int(max(0, query.limit)), .int(max(0, query.offset))])
                .map { try Self.decode($0).transaction }
            let count = try await connection.query("SELECT COUNT(*) AS n FROM ledger_transactions" + filter, filterBinds).first?.optionalInt("n") ?? 0
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
        guard let row = try await connection.query(balanceQuery, [.int(accountID)]).first else { return nil }
        if row.optionalText("balance") == nil {
            _ = try await connection.query("INSERT INTO account_balances (account_id) VALUES (?)", [.int(accountID)])
        }
        let balance = try decodeBalance(row, accountID: accountID)
        cache[accountID] = balance
        return balance
    }

    /// The account's currency and its balance row; the row is absent (NULLs) until the account
    /// is first used, which reads as a zero balance and a zero credit limit.
    static let balanceQuery = """
        SELECT accounts.currency, account_balances.balance, account_balances.credit_limit
        FROM accounts LEFT JOIN account_balances ON account_balances.account_id = accounts.id WHERE accounts.id = ?
        """

    static func decodeBalance(_ row: SQLiteRow, accountID: Int64) throws -> AccountBalance {
        guard let currency = CurrencyCode(try row.text("currency")) else { throw StoreError.corrupt("account \(accountID) currency") }
        guard let units = Int128(row.optionalText("balance") ?? "0") else { throw StoreError.corrupt("account \(accountID) balance") }
        return AccountBalance(
            accountID: accountID,
            currency: currency,
            balance: LedgerTotal(units: units),
            creditLimit: Amount(units: row.optionalInt("credit_limit") ?? 0)
        )
    }

    static func decode(_ row: SQLiteRow) throws -> (transaction: LedgerTransaction, fingerprint: String?) {
        guard let type = TransactionType(rawValue: try row.text("type")), let currency = CurrencyCode(try row.text("currency")),
            let balance = Int128(try row.text("balance_after"))
        else { throw StoreError.corrupt("ledger transaction \(row.optionalInt("id") ?? 0)") }
        let transaction = LedgerTransaction(
            id: try row.int("id"),
            accountID: try row.int("account_id"),
            type: type,
            amount: Amount(units: try row.int("amount")),
            currency: currency,
            performedAt: Instant(secondsSince1970: try row.int("performed_at")),
            recordedAt: Instant(secondsSince1970: try row.int("recorded_at")),
            description: try row.text("description"),
            reference: row.optionalText("reference"),
            balanceAfter: LedgerTotal(units: balance),
            explanation: try row.optionalText("explanation").map { text in
                try decodeExplanation(row.optionalText("basis").map { ChargeExplanation.joined(basis: $0, charge: text) } ?? text)
            }
        )
        return (transaction, row.optionalText("fingerprint"))
    }

    /// A charge's explanation as JSON text: readable with any SQLite tool, and by PostgreSQL's.
    static func decodeExplanation(_ text: String) throws -> ChargeExplanation {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(ChargeExplanation.self, from: Data(text.utf8)) } catch { throw StoreError.corrupt("charge explanation") }
    }
}
