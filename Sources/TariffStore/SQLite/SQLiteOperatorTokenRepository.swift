import SQLiteNIO
import TariffCore

struct SQLiteOperatorTokenRepository: OperatorTokenRepository {
    let engine: SQLiteEngine

    static let columns = "SELECT id, name, secret_hash, salt, created_at, revoked_at FROM operator_tokens"

    func create(name: String, now: Instant) async throws -> (token: OperatorToken, text: String) {
        let (credential, secret) = Credentials.make(secret: Credentials.randomString(length: 32, alphabet: Credentials.secretAlphabet))
        let id = credential.apiKey
        _ = try await engine.select(
            "INSERT INTO operator_tokens (id, name, secret_hash, salt, created_at) VALUES (?, ?, ?, ?, ?)",
            [.text(id), .text(name), .text(credential.secretHash), .text(credential.salt), .int(now.secondsSince1970)]
        ) { _ in () }
        return (OperatorToken(id: id, name: name, createdAt: now), OperatorToken.text(id: id, secret: secret))
    }

    func tokens() async throws -> [OperatorToken] {
        try await engine.select(Self.columns + " ORDER BY created_at, id") { try Self.decode($0).token }
    }

    func verify(_ text: String) async throws -> OperatorToken? {
        guard let (id, secret) = OperatorToken.parse(text) else { return nil }
        guard let stored = try await engine.select(Self.columns + " WHERE id = ?", [.text(id)], decode: Self.decode).first,
            !stored.token.isRevoked,
            Credentials.verify(secret: secret, hash: stored.hash, salt: stored.salt)
        else { return nil }
        return stored.token
    }

    func revoke(id: String, now: Instant) async throws -> Bool {
        try await engine.transaction { connection in
            let found = try await connection.query("SELECT revoked_at FROM operator_tokens WHERE id = ?", [.text(id)])
            guard let row = found.first, row.optionalInt("revoked_at") == nil else { return false }
            _ = try await connection.query("UPDATE operator_tokens SET revoked_at = ? WHERE id = ?", [.int(now.secondsSince1970), .text(id)])
            return true
        }
    }

    @Sendable static func decode(_ row: SQLiteRow) throws -> (token: OperatorToken, hash: String, salt: String) {
        (
            OperatorToken(
                id: try row.text("id"),
                name: try row.text("name"),
                createdAt: Instant(secondsSince1970: try row.int("created_at")),
                revokedAt: row.optionalInt("revoked_at").map(Instant.init(secondsSince1970:))
            ),
            try row.text("secret_hash"),
            try row.text("salt")
        )
    }
}
