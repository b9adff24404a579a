import TariffCore

/// Accounts, keys and tokens as both engines store them.
enum AccountRows {
    static let accountColumns = "SELECT id, name, email, currency, deck, created_at FROM accounts"
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
            email: try row.optionalText("email")
        )
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
