/// What charges share is stored once. An explanation's row, deck version, price, exchange rates
/// and roundings are the same for every charge priced by one row at one rate, so they move to
/// `charge_bases` (unique by text) and each entry keeps only its own part (the usage, its cost
/// and amount) with `basis_id`: less than half the bytes per charge. Entries written before
/// keep their whole explanation and no basis; both read back the same way.
struct ChargeBases008: SQLiteMigration {
    let version = 8
    let name = "charge bases"
    let statements = [
        "CREATE TABLE charge_bases (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)",
        "ALTER TABLE ledger_transactions ADD COLUMN basis_id INTEGER REFERENCES charge_bases (id)",
    ]
}
