import TariffCore

struct PostgresAccountRepository: AccountRepository {
    let engine: PostgresEngine

    func create(name: String, email: String?, currency: CurrencyCode, deck: String, credential: NewCredential, now: Instant) async throws -> Account {
        try await engine.transaction { transaction in
            let ids = try await transaction.select(
                "INSERT INTO accounts (name, email, currency, deck, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                [.text(name), .optional(email), .text(currency.rawValue), .text(deck), .int(now.secondsSince1970)]
            ) { try $0.int("id") }
            guard let id = ids.first else { throw StoreError.corrupt("an account was stored without an id") }
            try await Self.insert(credential, accountID: id, now: now, on: transaction)
            try await transaction.notify("keys")
            return Account(id: id, name: name, currency: currency, deck: deck, createdAt: now, email: email)
        }
    }

    func accounts() async throws -> [Account] {
        try await engine.select(AccountRows.accountColumns + " ORDER BY id", decode: AccountRows.account)
    }

    func account(id: Int64) async throws -> Account? {
        try await engine.select(AccountRows.accountColumns + " WHERE id = ?", [.int(id)], decode: AccountRows.account).first
    }

    func account(name: String) async throws -> Account? {
        // Two rows are enough to tell a shared name from a unique one.
        let found = try await engine.select(
            AccountRows.accountColumns + " WHERE name = ? ORDER BY id LIMIT 2",
            [.text(name)],
            decode: AccountRows.account
        )
        return found.count == 1 ? found[0] : nil
    }

    func account(email: String) async throws -> Account? {
        // Without case, as SQLite's COLLATE NOCASE and the unique index on lower(email).
        try await engine.select(AccountRows.accountColumns + " WHERE lower(email) = lower(?)", [.text(email)], decode: AccountRows.account).first
    }

    func credentials(accountID: Int64) async throws -> [APICredential] {
        try await engine.select(
            AccountRows.credentialColumns + " WHERE account_id = ? ORDER BY created_at, api_key",
            [.int(accountID)],
            decode: AccountRows.credential
        )
    }

    func credential(apiKey: String) async throws -> APICredential? {
        try await engine.select(AccountRows.credentialColumns + " WHERE api_key = ?", [.text(apiKey)], decode: AccountRows.credential).first
    }

    func replaceSecret(apiKey: String, with credential: NewCredential, now: Instant) async throws -> Bool {
        try await engine.transaction { transaction in
            let found = try await transaction.select("DELETE FROM api_keys WHERE api_key = ? RETURNING account_id", [.text(apiKey)]) {
                try $0.int("account_id")
            }
            guard let accountID = found.first else { return false }
            try await Self.insert(credential, accountID: accountID, now: now, on: transaction)
            // Every node forgets the old secret now, not when its cache entry expires.
            try await transaction.notify("keys")
            return true
        }
    }

    static func insert(_ credential: NewCredential, accountID: Int64, now: Instant, on transaction: PostgresTransaction) async throws {
        try await transaction.execute(
            "INSERT INTO api_keys (api_key, account_id, secret_hash, salt, created_at) VALUES (?, ?, ?, ?, ?)",
            [.text(credential.apiKey), .int(accountID), .text(credential.secretHash), .text(credential.salt), .int(now.secondsSince1970)]
        )
    }
}
