import SQLiteNIO
import TariffCore

struct SQLiteAccountRepository: AccountRepository {
    let engine: SQLiteEngine

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
        try await engine.select(AccountRows.accountColumns + " WHERE email = ?", [.text(email)], decode: AccountRows.account).first
    }

    func credentials(accountID: Int64) async throws -> [APICredential] {
        try await engine.select(
            AccountRows.credentialColumns + " WHERE account_id = ? ORDER BY created_at, api_key",
            [.int(accountID)],
            decode: AccountRows.credential
        )
    }

    func credential(apiKey: String) async throws -> APICredential? {
        try await engine.select(
            AccountRows.credentialColumns + " WHERE api_key = ?",
            [.text(apiKey)],
            decode: AccountRows.credential
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
}
