/// Reads of a few prefixes' rates without the whole deck: a partial import plans against the
/// keys it names, and `tariff price` reads the rows that could price one number.
struct RateLookups004: SQLiteMigration {
    let version = 4
    let name = "rate lookups by prefix"
    static let prefixIndex = "CREATE INDEX rates_by_prefix ON rates (deck, product, prefix)"
    let statements = [prefixIndex]
}
