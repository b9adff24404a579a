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

    func addCredential(_ credential: NewCredential, accountID: Int64, now: Instant) async throws -> Bool {
        try await engine.transaction { connection in
            guard try await connection.query("SELECT id FROM accounts WHERE id = ?", [.int(accountID)]).first != nil else { return false }
            try await Self.insert(credential, accountID: accountID, now: now, on: connection)
            return true
        }
    }

    func removeCredential(apiKey: String, accountID: Int64) async throws -> Bool {
        try await engine.transaction { connection in
            let found = try await connection.query(
                "SELECT api_key FROM api_keys WHERE api_key = ? AND account_id = ?",
                [.text(apiKey), .int(accountID)]
            )
            guard !found.isEmpty else { return false }
            _ = try await connection.query("DELETE FROM api_keys WHERE api_key = ?", [.text(apiKey)])
            return true
        }
    }

    func changeCurrency(accountID: Int64, to currency: CurrencyCode) async throws -> AccountChange {
        // The write lock is held from the first statement: no charge, rental or subscription
        // can land between the check and the change.
        try await engine.transaction { connection in
            guard let account = try await Self.account(accountID, on: connection) else { return .unknownAccount }
            if account.isClosed { return .refused("account \(accountID) is closed") }
            if account.currency == currency { return .changed(account) }
            guard let holdings = try await connection.query(AccountRows.holdingsQuery, Array(repeating: .int(accountID), count: 3)).first
            else { throw StoreError.corrupt("account \(accountID) holdings") }
            if let refusal = try AccountRows.currencyRefusal(holdings) { return .refused(refusal) }
            _ = try await connection.query("UPDATE accounts SET currency = ? WHERE id = ?", [.text(currency.rawValue), .int(accountID)])
            return try await Self.account(accountID, on: connection).map(AccountChange.changed) ?? .unknownAccount
        }
    }

    func close(accountID: Int64, now: Instant) async throws -> AccountChange {
        try await engine.transaction { connection in
            guard let account = try await Self.account(accountID, on: connection) else { return .unknownAccount }
            if account.isClosed { return .changed(account) }
            guard let holdings = try await connection.query(AccountRows.holdingsQuery, Array(repeating: .int(accountID), count: 3)).first
            else { throw StoreError.corrupt("account \(accountID) holdings") }
            if let refusal = try AccountRows.closingRefusal(holdings) { return .refused(refusal) }
            _ = try await connection.query("UPDATE accounts SET closed_at = ? WHERE id = ?", [.int(now.secondsSince1970), .int(accountID)])
            return try await Self.account(accountID, on: connection).map(AccountChange.changed) ?? .unknownAccount
        }
    }

    static func account(_ id: Int64, on connection: SQLiteConnection) async throws -> Account? {
        try await connection.query(AccountRows.accountColumns + " WHERE id = ?", [.int(id)]).first.map(AccountRows.account)
    }

    static func insert(_ credential: NewCredential, accountID: Int64, now: Instant, on connection: SQLiteConnection) async throws {
        _ = try await connection.query(
            "INSERT INTO api_keys (api_key, account_id, secret_hash, salt, created_at) VALUES (?, ?, ?, ?, ?)",
            [.text(credential.apiKey), .int(accountID), .text(credential.secretHash), .text(credential.salt), .int(now.secondsSince1970)]
        )
    }
}
