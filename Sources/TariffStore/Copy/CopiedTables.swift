/// The tables `tariff copy` moves, in an order that puts every row after the rows it refers to
/// (foreign keys are checked as each row arrives).
enum CopiedTables {
    /// Filled from the shipped files when a database is opened: a target holding only these is
    /// still empty, and they are replaced by the source's.
    static let reference = ["currencies", "countries", "networks", "number_ranges"]

    static let all =
        reference + [
            "deck_versions", "rates", "number_prices", "service_prices", "template_prices",
            "exchange_rates", "revisions",
            "accounts", "api_keys", "service_keys", "operator_tokens", "account_balances",
            "charge_bases", "ledger_transactions",
            "stock_numbers", "subscriptions", "service_subscriptions", "allowances",
            "audit_events", "plan_versions", "account_plans",
        ]

    /// Each engine's own bookkeeping, not data.
    static let engineTables: Set<String> = ["schema_migrations", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4"]
}
