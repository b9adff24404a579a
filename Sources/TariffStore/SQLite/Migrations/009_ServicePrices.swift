/// Metered service prices (speech synthesis, recognition, recording, ...): deck-versioned and
/// append-only like the other price tables, keyed by product, variant and country.
struct ServicePrices009: SQLiteMigration {
    let version = 9
    let name = "service prices"
    let statements = [
        """
        CREATE TABLE service_prices (
            id INTEGER PRIMARY KEY, deck TEXT NOT NULL, deck_version INTEGER NOT NULL REFERENCES deck_versions (id),
            product TEXT NOT NULL, variant TEXT, country TEXT, effective_from INTEGER NOT NULL, closed INTEGER NOT NULL,
            unit TEXT, price_units INTEGER, per_units INTEGER, minimum_units INTEGER, increment_initial INTEGER,
            increment_subsequent INTEGER, setup_fee_units INTEGER, currency TEXT, description TEXT, resource TEXT)
        """,
        "CREATE INDEX service_prices_by_deck ON service_prices (deck, deck_version)",
    ]
}
