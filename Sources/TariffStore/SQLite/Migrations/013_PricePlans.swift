/// Price plans: versions only ever added, and the plan each account is on.
struct PricePlans013: SQLiteMigration {
    let version = 13
    let name = "price plans, and what usage costs"
    let statements = [
        """
        CREATE TABLE plan_versions (
            id INTEGER PRIMARY KEY AUTOINCREMENT, plan TEXT NOT NULL, effective_from INTEGER NOT NULL,
            created_at INTEGER NOT NULL, rules TEXT NOT NULL, minimum_price_units INTEGER NOT NULL,
            minimum_margin_units INTEGER NOT NULL, rounding_decimals INTEGER, rounding_mode TEXT, override_deck TEXT)
        """,
        "CREATE INDEX plan_versions_by_plan ON plan_versions (plan, effective_from)",
        """
        CREATE TRIGGER plan_versions_no_update BEFORE UPDATE ON plan_versions
        BEGIN SELECT RAISE(ABORT, 'plan versions are never updated'); END
        """,
        """
        CREATE TRIGGER plan_versions_no_delete BEFORE DELETE ON plan_versions
        BEGIN SELECT RAISE(ABORT, 'plan versions are never deleted'); END
        """,
        """
        CREATE TABLE account_plans (
            account_id INTEGER PRIMARY KEY REFERENCES accounts (id), plan TEXT NOT NULL, assigned_at INTEGER NOT NULL)
        """,
        // What a charge costs the operator, and what it was for, for the margin report.
        "ALTER TABLE ledger_transactions ADD COLUMN cost_units INTEGER",
        "ALTER TABLE ledger_transactions ADD COLUMN product TEXT",
        "ALTER TABLE ledger_transactions ADD COLUMN country TEXT",
    ]
}
