/// Numbers in stock and the subscriptions that rent them.
///
/// A number is in stock while no live subscription (active, suspended or cancelled but still
/// paid) holds it: the partial unique index makes "rented twice" impossible whatever races,
/// rather than something code has to avoid. `anchor` is where the monthly periods are counted
/// from (the rental, or the resumption after a suspension). `monthly_explanation` is how the
/// monthly fee was computed at rental, recorded again with every renewal.
struct Numbers007: SQLiteMigration {
    let version = 7
    let name = "numbers and subscriptions"
    let statements = [
        """
        CREATE TABLE stock_numbers (
            id INTEGER PRIMARY KEY, digits TEXT NOT NULL UNIQUE, country TEXT NOT NULL, category TEXT NOT NULL,
            region_code TEXT, added_at INTEGER NOT NULL)
        """,
        "CREATE INDEX stock_by_kind ON stock_numbers (country, category, region_code)",
        """
        CREATE TABLE subscriptions (
            id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id),
            number_id INTEGER NOT NULL REFERENCES stock_numbers (id), state TEXT NOT NULL,
            started_at INTEGER NOT NULL, anchor INTEGER NOT NULL, paid_until INTEGER NOT NULL,
            installation INTEGER NOT NULL, monthly INTEGER NOT NULL, ended_at INTEGER, monthly_explanation TEXT)
        """,
        "CREATE UNIQUE INDEX one_live_subscription ON subscriptions (number_id) WHERE state <> 'ended'",
        "CREATE INDEX subscriptions_by_account ON subscriptions (account_id, state)",
        "CREATE INDEX subscriptions_due ON subscriptions (paid_until) WHERE state <> 'ended'",
    ]
}
