/// Accounts and their API keys. A key's secret is stored as a salted hash only.
struct Accounts002: SQLiteMigration {
    let version = 2
    let name = "accounts"
    let statements = [
        """
        CREATE TABLE accounts (
            id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, currency TEXT NOT NULL,
            deck TEXT NOT NULL DEFAULT 'base', created_at INTEGER NOT NULL)
        """,
        """
        CREATE TABLE api_keys (
            api_key TEXT PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id),
            secret_hash TEXT NOT NULL, salt TEXT NOT NULL, created_at INTEGER NOT NULL)
        """,
        "CREATE INDEX api_keys_by_account ON api_keys (account_id)",
    ]
}
