import SQLiteNIO
import TariffCore

struct SQLiteServiceKeyRepository: ServiceKeyRepository {
    let engine: SQLiteEngine

    func add(keyID: String, accountID: Int64, publicKeyPEM: String, now: Instant) async throws -> ServiceKey? {
        try await engine.transaction { connection in
            // Checked here rather than left to the foreign key, so that an unknown account is
            // an answer (nil) and not an SQLite error.
            let account = try await connection.query("SELECT id FROM accounts WHERE id = ?", [.int(accountID)])
            guard !account.isEmpty else { return nil }
            _ = try await connection.query(
                "INSERT INTO service_keys (key_id, account_id, public_key_pem, created_at, revoked_at) VALUES (?, ?, ?, ?, NULL)",
                [.text(keyID), .int(accountID), .text(publicKeyPEM), .int(now.secondsSince1970)]
            )
            return ServiceKey(keyID: keyID, accountID: accountID, publicKeyPEM: publicKeyPEM, createdAt: now)
        }
    }

    func keys(accountID: Int64) async throws -> [ServiceKey] {
        try await engine.select(
            AccountRows.serviceKeyColumns + " WHERE account_id = ? ORDER BY created_at, key_id",
            [.int(accountID)],
            decode: AccountRows.serviceKey
        )
    }

    func key(keyID: String) async throws -> ServiceKey? {
        try await engine.select(AccountRows.serviceKeyColumns + " WHERE key_id = ?", [.text(keyID)], decode: AccountRows.serviceKey).first
    }

    func revoke(keyID: String, now: Instant) async throws -> Bool {
        try await engine.transaction { connection in
            let found = try await connection.query("SELECT revoked_at FROM service_keys WHERE key_id = ?", [.text(keyID)])
            guard let row = found.first, row.optionalInt("revoked_at") == nil else { return false }
            _ = try await connection.query("UPDATE service_keys SET revoked_at = ? WHERE key_id = ?", [.int(now.secondsSince1970), .text(keyID)])
            return true
        }
    }
}
