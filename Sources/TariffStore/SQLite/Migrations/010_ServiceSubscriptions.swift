/// Subscriptions that are not numbers. `template_prices` are the deck's SIP-registration and
/// package templates, deck-versioned like every price. `service_subscriptions` are accounts'
/// SIP registrations and plans, renewed like rented numbers (`anchor` counts their months).
/// `allowances` are a package's included units for one period: unique per subscription,
/// product, variant and period, so a period's units are granted once however often a renewal
/// runs; `used` never passes `included`.
struct ServiceSubscriptions010: SQLiteMigration {
    let version = 10
    let name = "subscription templates, service subscriptions and allowances"
    let statements = [
        """
        CREATE TABLE template_prices (
            id INTEGER PRIMARY KEY, deck TEXT NOT NULL, deck_version INTEGER NOT NULL REFERENCES deck_versions (id),
            template TEXT NOT NULL, effective_from INTEGER NOT NULL, closed INTEGER NOT NULL, type TEXT, display_name TEXT,
            installation_units INTEGER, monthly_units INTEGER, currency TEXT, includes TEXT)
        """,
        "CREATE INDEX template_prices_by_deck ON template_prices (deck, deck_version)",
        """
        CREATE TABLE service_subscriptions (
            id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id), template TEXT NOT NULL,
            type TEXT NOT NULL, label TEXT NOT NULL, attributes TEXT NOT NULL, state TEXT NOT NULL, started_at INTEGER NOT NULL,
            anchor INTEGER NOT NULL, paid_until INTEGER NOT NULL, installation INTEGER NOT NULL, monthly INTEGER NOT NULL,
            includes TEXT NOT NULL, ended_at INTEGER, monthly_explanation TEXT)
        """,
        "CREATE INDEX service_subscriptions_by_account ON service_subscriptions (account_id, state)",
        "CREATE INDEX service_subscriptions_due ON service_subscriptions (paid_until) WHERE state <> 'ended'",
        """
        CREATE UNIQUE INDEX one_plan_per_type ON service_subscriptions (account_id, type)
        WHERE state IN ('active', 'suspended') AND type <> 'SIP_REGISTRATION'
        """,
        """
        CREATE TABLE allowances (
            id INTEGER PRIMARY KEY, subscription_id INTEGER NOT NULL REFERENCES service_subscriptions (id),
            account_id INTEGER NOT NULL, product TEXT NOT NULL, variant TEXT NOT NULL DEFAULT '',
            period_start INTEGER NOT NULL, period_end INTEGER NOT NULL, included INTEGER NOT NULL,
            used INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0 AND used <= included),
            UNIQUE (subscription_id, product, variant, period_start))
        """,
        "CREATE INDEX allowances_by_account ON allowances (account_id, product, period_end)",
    ]
}
