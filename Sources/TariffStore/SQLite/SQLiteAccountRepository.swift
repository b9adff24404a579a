import SQLiteNIO
import TariffCore

struct SQLiteAccountRepository: AccountRepository {
    let engine: SQLiteEngine

    static let accountColumns = "SELECT id, name, email, currency, deck, created_at FROM accounts"

    func create(name: String, email: String?, currency: CurrencyCode, deck: String, credential: NewCredential, now: Instant) async throws -> Account {
        try await engine.transaction { connection in
            _ = try await connection.query(
                "INSERT INTO accounts (name, email, currency, deck, created_at) VALUES (?, ?, ?, ?, ?)",
                [.text(name), .optional(email), .text(currency.rawValue), .text(deck), .int(now.secondsSince1970)]
            )
            let id = Int64(try await connection.lastAutoincrementID())
            try await Self.insert(credential, accountID: id, now: now, on: connection)
            return Account(id: id, name: name, currency: currency, deck: deck, createdAt: now, email: email)
        }
    }

    func accounts() async throws -> [Account] {
        try await engine.select(Self.accountColumns + " ORDER BY id", decode: Self.account)
    }

    func account(id: Int64) async throws -> Account? {
        try await engine.select(Self.accountColumns + " WHERE id = ?", [.int(id)], decode: Self.account).first
    }

    func account(name: String) async throws -> Account? {
        // Two rows are enough to tell a shared name from a unique one.
        let found = try await engine.select(Self.accountColumns + " WHERE name = ? ORDER BY id LIMIT 2", [.text(name)], decode: Self.account)
        return found.count == 1 ? found[0] : nil
    }

    func account(email: String) async throws -> Account? {
        try await engine.select(Self.accountColumns + " WHERE email = ?", [.text(email)], decode: Self.account).first
    }

    func credentials(accountID: Int64) async throws -> [APICredential] {
        try await engine.select(
            "SELECT api_key, account_id, secret_hash, salt, created_at FROM api_keys WHERE account_id = ? ORDER BY created_at, api_key",
            [.int(accountID)],
            decode: Self.credential
        )
    }

    func credential(apiKey: String) async throws -> APICredential? {
        try await engine.select(
            "SELECT api_key, account_id, secret_hash, salt, created_at FROM api_keys WHERE api_key = ?",
            [.text(apiKey)],
            decode: Self.credential
        ).first
    }

    func replaceSecret(apiKey: String, with credential: NewCredential, now: Instant) async throws -> Bool {
        try await engine.transaction { connection in
            let found = try await connection.query("SELECT account_id FROM api_keys WHERE api_key = ?", [.text(apiKey)])
            guard let accountID = found.first?.column("account_id")?.integer else { return false }
            _ = try await connection.query("DELETE FROM api_keys WHERE api_key = ?", [.text(apiKey)])
            try await Self.insert(credential, accountID: Int64(accountID), now: now, on: connection)
            return true
        }
    }

    static func insert(_ credential: NewCredential, accountID: Int64, now: Instant, on connection: SQLiteConnection) async throws {
        _ = try await connection.query(
            "INSERT INTO api_keys (api_key, account_id, secret_hash, salt, created_at) VALUES (?, ?, ?, ?, ?)",
            [.text(credential.apiKey), .int(accountID), .text(credential.secretHash), .text(credential.salt), .int(now.secondsSince1970)]
        )
    }

    @Sendable static func account(_ row: SQLiteRow) throws -> Account {
        guard let currency = CurrencyCode(try row.text("currency")) else { throw StoreError.corrupt("account currency") }
        return Account(
            id: try row.int("id"),
            name: try row.text("name"),
            currency: currency,
            deck: try row.text("deck"),
            createdAt: Instant(secondsSince1970: try row.int("created_at")),
            email: row.optionalText("email")
        )
    }

    @Sendable static func credential(_ row: SQLiteRow) throws -> APICredential {
        APICredential(
            apiKey: try row.text("api_key"),
            accountID: try row.int("account_id"),
            secretHash: try row.text("secret_hash"),
            salt: try row.text("salt"),
            createdAt: Instant(secondsSince1970: try row.int("created_at"))
        )
    }
}
