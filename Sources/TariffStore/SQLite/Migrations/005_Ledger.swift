/// The ledger: an append-only table of transactions and one balance row per account.
///
/// A balance is a 128-bit count of 10⁻⁸ units (`LedgerTotal`), beyond SQLite's 64-bit
/// INTEGER, so it is kept as its exact decimal text and only ever added to in Swift; single
/// amounts fit 64 bits and stay INTEGER. Triggers refuse any UPDATE or DELETE of a
/// transaction, so not even a mistaken statement can rewrite history. `(account_id,
/// reference)` is unique: a retried posting finds the first one instead of charging twice.
struct Ledger005: SQLiteMigration {
    let version = 5
    let name = "ledger"
    let statements = [
        """
        CREATE TABLE account_balances (
            account_id INTEGER PRIMARY KEY REFERENCES accounts (id),
            balance TEXT NOT NULL DEFAULT '0', credit_limit INTEGER NOT NULL DEFAULT 0)
        """,
        """
        CREATE TABLE ledger_transactions (
            id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id),
            type TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL,
            performed_at INTEGER NOT NULL, recorded_at INTEGER NOT NULL, description TEXT NOT NULL,
            reference TEXT, fingerprint TEXT, balance_after TEXT NOT NULL, explanation TEXT)
        """,
        "CREATE UNIQUE INDEX ledger_by_reference ON ledger_transactions (account_id, reference)",
        "CREATE INDEX ledger_by_account ON ledger_transactions (account_id, performed_at)",
        """
        CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger_transactions
        BEGIN SELECT RAISE(ABORT, 'ledger transactions are never updated'); END
        """,
        """
        CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger_transactions
        BEGIN SELECT RAISE(ABORT, 'ledger transactions are never deleted'); END
        """,
    ]
}
