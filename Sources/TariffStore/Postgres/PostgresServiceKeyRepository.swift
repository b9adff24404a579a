import TariffCore

struct PostgresServiceKeyRepository: ServiceKeyRepository {
    let engine: PostgresEngine

    func add(keyID: String, accountID: Int64, publicKeyPEM: String, now: Instant) async throws -> ServiceKey? {
        // An unknown account is an answer (nil), not a foreign-key error.
        let stored = try await engine.transaction { transaction in
            let stored = try await transaction.select(
                """
                INSERT INTO service_keys (key_id, account_id, public_key_pem, created_at, revoked_at)
                SELECT ?, id, ?, ?, NULL FROM accounts WHERE id = ? RETURNING key_id
                """,
                [.text(keyID), .text(publicKeyPEM), .int(now.secondsSince1970), .int(accountID)]
            ) { try $0.text("key_id") }
            // A node that looked the key up before it existed has cached its absence.
            if !stored.isEmpty { try await transaction.notify("keys") }
            return stored
        }
        guard !stored.isEmpty else { return nil }
        return ServiceKey(keyID: keyID, accountID: accountID, publicKeyPEM: publicKeyPEM, createdAt: now)
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
        try await engine.transaction { transaction in
            let revoked = try await !transaction.select(
                "UPDATE service_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL RETURNING key_id",
                [.int(now.secondsSince1970), .text(keyID)]
            ) { try $0.text("key_id") }.isEmpty
            if revoked { try await transaction.notify("keys") }
            return revoked
        }
    }
}
