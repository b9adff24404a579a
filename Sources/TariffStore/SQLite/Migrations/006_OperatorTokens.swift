/// Operators' tokens for the admin routes: a public id, a name, and only a salted SHA-256 of
/// the secret. A revoked token keeps its row so that listings show it.
struct OperatorTokens006: SQLiteMigration {
    let version = 6
    let name = "operator tokens"
    let statements = [
        """
        CREATE TABLE operator_tokens (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, secret_hash TEXT NOT NULL, salt TEXT NOT NULL,
            created_at INTEGER NOT NULL, revoked_at INTEGER)
        """
    ]
}
