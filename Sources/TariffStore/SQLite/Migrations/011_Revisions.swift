/// A counter per kind of data that servers poll, raised in the transaction that changes it.
/// A timestamp in whole seconds missed a corrected import made within the same second; a
/// counter cannot.
struct Revisions011: SQLiteMigration {
    let version = 11
    let name = "revisions"
    let statements = [
        "CREATE TABLE revisions (topic TEXT PRIMARY KEY, revision INTEGER NOT NULL)",
        "INSERT INTO revisions (topic, revision) SELECT 'exchange_rates', COUNT(*) FROM exchange_rates",
    ]
}
