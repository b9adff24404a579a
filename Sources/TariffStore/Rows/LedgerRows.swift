import Foundation
import TariffCore

/// The ledger as both engines store it. Balances are integer units too large for 64 bits:
/// SQLite keeps them as TEXT, PostgreSQL as NUMERIC(40); both are read as text (a CAST that is
/// a no-op on SQLite), and PostgreSQL is given text cast to numeric when they are written.
enum LedgerRows {
    static let transactionColumns = """
        SELECT id, account_id, type, amount, currency, performed_at, recorded_at, description, reference, fingerprint,
        CAST(balance_after AS TEXT) AS balance_after, explanation,
        (SELECT body FROM charge_bases WHERE charge_bases.id = basis_id) AS basis FROM ledger_transactions
        """

    static let insertColumns = [
        "id", "account_id", "type", "amount", "currency", "performed_at", "recorded_at", "description", "reference", "fingerprint",
        "balance_after", "explanation", "basis_id", "cost_units", "product", "country",
    ]

    /// The values of `entry` for `insertColumns`, with `balance_after` as text.
    static func values(of entry: LedgerBatch.Entry, id: Int64, recordedAt now: Instant, basisID: Int64?) -> [StoredValue] {
        let posting = entry.posting
        return [
            .int(id), .int(posting.accountID), .text(posting.type.rawValue), .int(posting.amount.units),
            .text(entry.currency.rawValue), .int(posting.performedAt.secondsSince1970), .int(now.secondsSince1970),
            .text(posting.description), .optional(posting.reference), .optional(posting.fingerprint), .text(String(entry.balance.units)),
            .optional(posting.explanation?.chargeJSONText), .optional(basisID), .optional(posting.cost?.units), .optional(posting.product),
            .optional(posting.country),
        ]
    }

    /// The account's currency and its balance row; the row is absent (NULLs) until the account
    /// is first used, which reads as a zero balance and a zero credit limit.
    static let balanceQuery = """
        SELECT accounts.currency, accounts.closed_at, CAST(account_balances.balance AS TEXT) AS balance, account_balances.credit_limit
        FROM accounts LEFT JOIN account_balances ON account_balances.account_id = accounts.id WHERE accounts.id = ?
        """

    static func balance(_ row: some StoredRow, accountID: Int64) throws -> AccountBalance {
        guard let currency = CurrencyCode(try row.text("currency")) else { throw StoreError.corrupt("account \(accountID) currency") }
        guard let units = Int128(try row.optionalText("balance") ?? "0") else { throw StoreError.corrupt("account \(accountID) balance") }
        return AccountBalance(
            accountID: accountID,
            currency: currency,
            balance: LedgerTotal(units: units),
            creditLimit: Amount(units: try row.optionalInt("credit_limit") ?? 0),
            isClosed: try row.optionalInt("closed_at") != nil
        )
    }

    static func transaction(_ row: some StoredRow) throws -> LedgerBatch.Recorded {
        guard let type = TransactionType(rawValue: try row.text("type")), let currency = CurrencyCode(try row.text("currency")),
            let balance = Int128(try row.text("balance_after"))
        else { throw StoreError.corrupt("ledger transaction \((try? row.optionalInt("id")) ?? 0)") }
        let transaction = LedgerTransaction(
            id: try row.int("id"),
            accountID: try row.int("account_id"),
            type: type,
            amount: Amount(units: try row.int("amount")),
            currency: currency,
            performedAt: Instant(secondsSince1970: try row.int("performed_at")),
            recordedAt: Instant(secondsSince1970: try row.int("recorded_at")),
            description: try row.text("description"),
            reference: try row.optionalText("reference"),
            balanceAfter: LedgerTotal(units: balance),
            explanation: try row.optionalText("explanation").map { text in
                try explanation(try row.optionalText("basis").map { ChargeExplanation.joined(basis: $0, charge: text) } ?? text)
            }
        )
        return (transaction, try row.optionalText("fingerprint"))
    }

    /// A charge's explanation as JSON text: readable with any SQLite tool, and by PostgreSQL's.
    static func explanation(_ text: String) throws -> ChargeExplanation {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(ChargeExplanation.self, from: Data(text.utf8)) } catch { throw StoreError.corrupt("charge explanation") }
    }

    /// The statements of a transaction query: `filter` (a WHERE clause, with `binds`) selects
    /// every entry that counts towards the total; `page` (with `pageBinds`, to follow
    /// `transactionColumns`) the entries to return, after the cursor, ordered and limited.
    static func statements(
        _ query: TransactionQuery
    ) -> (filter: String, binds: [StoredValue], page: String, pageBinds: [StoredValue]) {
        var conditions = ["account_id = ?"]
        var binds: [StoredValue] = [.int(query.accountID)]
        // An empty set matches nothing; `IN ()` says so on SQLite but is an error on PostgreSQL.
        if let types = query.types {
            conditions.append(types.isEmpty ? "1 = 0" : "type IN (\(types.map { _ in "?" }.joined(separator: ", ")))")
            binds += types.sorted { $0.rawValue < $1.rawValue }.map { .text($0.rawValue) }
        }
        if let ids = query.ids {
            conditions.append(ids.isEmpty ? "1 = 0" : "id IN (\(ids.map { _ in "?" }.joined(separator: ", ")))")
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
        pageBinds += [.int(max(0, query.limit)), .int(max(0, query.offset))]
        return (filter, binds, page, pageBinds)
    }
}

extension LedgerRows {
    /// The margin report's statement and binds: usage charges with a recorded cost, summed as
    /// text (a sum of 64-bit amounts may need more bits), by group and currency.
    static func margin(_ query: MarginQuery) -> (sql: String, binds: [StoredValue]) {
        let key =
            switch query.by {
            case .account: "CAST(account_id AS TEXT)"
            case .country: "COALESCE(country, '')"
            case .product: "COALESCE(product, '')"
            }
        var sql = """
            SELECT \(key) AS k, currency, COUNT(*) AS n, CAST(SUM(-amount) AS TEXT) AS revenue, CAST(SUM(cost_units) AS TEXT) AS cost
            FROM ledger_transactions WHERE type = 'resource_charge' AND cost_units IS NOT NULL
            """
        var binds: [StoredValue] = []
        if let from = query.from {
            sql += " AND performed_at >= ?"
            binds.append(.int(from.secondsSince1970))
        }
        if let until = query.until {
            sql += " AND performed_at < ?"
            binds.append(.int(until.secondsSince1970))
        }
        // Accounts in id order, not as text ("10" after "9").
        let order = query.by == .account ? "MIN(account_id)" : "k"
        sql += " GROUP BY k, currency ORDER BY \(order), currency"
        return (sql, binds)
    }

    static func marginLine(_ row: some StoredRow) throws -> MarginLine {
        guard let currency = CurrencyCode(try row.text("currency")), let revenue = Int128(try row.text("revenue")),
            let cost = Int128(try row.text("cost"))
        else { throw StoreError.corrupt("margin sums") }
        return MarginLine(
            key: try row.text("k"),
            currency: currency,
            charges: Int(try row.int("n")),
            revenue: LedgerTotal(units: revenue),
            cost: LedgerTotal(units: cost)
        )
    }
}
