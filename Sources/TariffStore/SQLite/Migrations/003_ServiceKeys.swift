/// Account e-mail addresses and Voximplant service-account keys.
///
/// Voximplant clients name an account by id, name or e-mail, so e-mail gets a unique index
/// (SQLite lets many rows hold NULL) and compares without ASCII case, as mail addresses are
/// typed. Only a key's public half is stored; a revoked key keeps its row so listings show it.
struct ServiceKeys003: SQLiteMigration {
    let version = 3
    let name = "service keys"
    let statements = [
        "ALTER TABLE accounts ADD COLUMN email TEXT COLLATE NOCASE",
        "CREATE UNIQUE INDEX accounts_by_email ON accounts (email)",
        "CREATE INDEX accounts_by_name ON accounts (name)",
        """
        CREATE TABLE service_keys (
            key_id TEXT PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id),
            public_key_pem TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER)
        """,
        "CREATE INDEX service_keys_by_account ON service_keys (account_id)",
    ]
}
