import TariffCore

/// Accounts, keys and tokens as both engines store them.
enum AccountRows {
    static let accountColumns = "SELECT id, name, email, currency, deck, created_at, closed_at FROM accounts"
    static let auditColumns = "SELECT id, at, actor, actor_name, action, target, detail FROM audit_events"

    /// What ties an account to its currency or keeps it open, counted in one statement:
    /// `entries` (its ledger), `numbers` and `plans` (subscriptions that will charge again; a
    /// cancelled one only runs out its paid month).
    static let holdingsQuery = """
        SELECT (SELECT COUNT(*) FROM ledger_transactions WHERE account_id = ?) AS entries,
        (SELECT COUNT(*) FROM subscriptions WHERE account_id = ? AND state IN ('active', 'suspended')) AS numbers,
        (SELECT COUNT(*) FROM service_subscriptions WHERE account_id = ? AND state IN ('active', 'suspended')) AS plans
        """

    /// Why an account with these holdings may not close, or nil when it may.
    static func closingRefusal(_ row: some StoredRow) throws -> String? {
        let numbers = try row.int("numbers")
        let plans = try row.int("plans")
        guard numbers > 0 || plans > 0 else { return nil }
        return "the account still rents \(numbers) number(s) and has \(plans) live subscription(s): cancel them first"
    }

    /// Why an account with these holdings may not change its currency, or nil when it may.
    static func currencyRefusal(_ row: some StoredRow) throws -> String? {
        guard try row.int("entries") == 0, try closingRefusal(row) == nil else {
            return "the account already has transactions, numbers or subscriptions in its currency: open a new account instead"
        }
        return nil
    }
    static let credentialColumns = "SELECT api_key, account_id, secret_hash, salt, created_at FROM api_keys"
    static let serviceKeyColumns = "SELECT key_id, account_id, public_key_pem, created_at, revoked_at FROM service_keys"
    static let operatorTokenColumns = "SELECT id, name, secret_hash, salt, created_at, revoked_at FROM operator_tokens"

    static func account(_ row: some StoredRow) throws -> Account {
        guard let currency = CurrencyCode(try row.text("currency")) else { throw StoreError.corrupt("account currency") }
        return Account(
            id: try row.int("id"),
            name: try row.text("name"),
            currency: currency,
            deck: try row.text("deck"),
            createdAt: Instant(secondsSince1970: try row.int("created_at")),
            email: try row.optionalText("email"),
            closedAt: try row.optionalInt("closed_at").map(Instant.init(secondsSince1970:))
        )
    }

    static func auditEvent(_ row: some StoredRow) throws -> AuditEvent {
        AuditEvent(
            id: try row.int("id"),
            at: Instant(secondsSince1970: try row.int("at")),
            actor: AuditActor(id: try row.text("actor"), name: try row.text("actor_name")),
            action: try row.text("action"),
            target: try row.text("target"),
            detail: try row.text("detail")
        )
    }

    /// The WHERE clause and binds of an audit listing.
    static func auditFilter(after: Int64, limit: Int, action: String?, target: String?) -> (sql: String, binds: [StoredValue]) {
        var sql = auditColumns + " WHERE id > ?"
        var binds: [StoredValue] = [.int(after)]
        if let action {
            sql += " AND action = ?"
            binds.append(.text(action))
        }
        if let target {
            sql += " AND target = ?"
            binds.append(.text(target))
        }
        binds.append(.int(Int64(limit)))
        return (sql + " ORDER BY id LIMIT ?", binds)
    }

    static func credential(_ row: some StoredRow) throws -> APICredential {
        APICredential(
            apiKey: try row.text("api_key"),
            accountID: try row.int("account_id"),
            secretHash: try row.text("secret_hash"),
            salt: try row.text("salt"),
            createdAt: Instant(secondsSince1970: try row.int("created_at"))
        )
    }

    static func serviceKey(_ row: some StoredRow) throws -> ServiceKey {
        ServiceKey(
            keyID: try row.text("key_id"),
            accountID: try row.int("account_id"),
            publicKeyPEM: try row.text("public_key_pem"),
            createdAt: Instant(secondsSince1970: try row.int("created_at")),
            revokedAt: try row.optionalInt("revoked_at").map(Instant.init(secondsSince1970:))
        )
    }

    static func operatorToken(_ row: some StoredRow) throws -> (token: OperatorToken, hash: String, salt: String) {
        (
            OperatorToken(
                id: try row.text("id"),
                name: try row.text("name"),
                createdAt: Instant(secondsSince1970: try row.int("created_at")),
                revokedAt: try row.optionalInt("revoked_at").map(Instant.init(secondsSince1970:))
            ),
            try row.text("secret_hash"),
            try row.text("salt")
        )
    }
}
