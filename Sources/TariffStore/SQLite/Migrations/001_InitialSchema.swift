/// Reference data, deck versions with their append-only rate and subscription versions, and
/// exchange rates. Money is INTEGER units of 10⁻⁸; instants are INTEGER seconds since 1970.
struct InitialSchema001: SQLiteMigration {
    let version = 1
    let name = "initial schema"
    let statements = [
        """
        CREATE TABLE currencies (
            code TEXT PRIMARY KEY, numeric TEXT NOT NULL, name TEXT NOT NULL, minor_units INTEGER)
        """,
        """
        CREATE TABLE countries (
            iso2 TEXT PRIMARY KEY, name TEXT NOT NULL, calling_code TEXT, eea INTEGER NOT NULL, currency TEXT)
        """,
        """
        CREATE TABLE networks (
            mccmnc TEXT NOT NULL, country_iso2 TEXT NOT NULL, mcc TEXT NOT NULL, mnc TEXT NOT NULL,
            name TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (mccmnc, country_iso2))
        """,
        """
        CREATE TABLE number_ranges (
            prefix TEXT PRIMARY KEY, country_iso2 TEXT, number_type TEXT NOT NULL,
            network_mccmnc TEXT, network_name TEXT)
        """,
        """
        CREATE TABLE deck_versions (
            id INTEGER PRIMARY KEY AUTOINCREMENT, deck TEXT NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL,
            created_at INTEGER NOT NULL, row_count INTEGER NOT NULL, additions INTEGER NOT NULL,
            summary TEXT NOT NULL, is_demo INTEGER NOT NULL DEFAULT 0)
        """,
        "CREATE INDEX deck_versions_by_deck ON deck_versions (deck, id)",
        """
        CREATE TABLE rates (
            id INTEGER PRIMARY KEY, deck TEXT NOT NULL, deck_version INTEGER NOT NULL REFERENCES deck_versions (id),
            product TEXT NOT NULL, origin TEXT NOT NULL, country TEXT, network TEXT, prefix TEXT, number_type TEXT,
            effective_from INTEGER NOT NULL, closed INTEGER NOT NULL,
            price_units INTEGER, currency TEXT, increment_initial INTEGER, increment_subsequent INTEGER,
            connect_fee_units INTEGER, description TEXT, resource TEXT)
        """,
        "CREATE INDEX rates_by_deck ON rates (deck, deck_version)",
        """
        CREATE TABLE number_prices (
            id INTEGER PRIMARY KEY, deck TEXT NOT NULL, deck_version INTEGER NOT NULL REFERENCES deck_versions (id),
            country TEXT NOT NULL, category TEXT NOT NULL, region_code TEXT, effective_from INTEGER NOT NULL,
            closed INTEGER NOT NULL, region_name TEXT, installation_units INTEGER, monthly_units INTEGER,
            currency TEXT, incoming_resource TEXT)
        """,
        "CREATE INDEX number_prices_by_deck ON number_prices (deck, deck_version)",
        """
        CREATE TABLE exchange_rates (
            date INTEGER NOT NULL, base TEXT NOT NULL, quote TEXT NOT NULL, rate TEXT NOT NULL,
            source TEXT NOT NULL, imported_at INTEGER NOT NULL, PRIMARY KEY (date, base, quote))
        """,
    ]
}
