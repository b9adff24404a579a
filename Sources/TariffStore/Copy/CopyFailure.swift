/// Why `tariff copy` refused or stopped. Nothing is written to the target in any of these cases:
/// the copy is one transaction on it.
public enum CopyFailure: Error, Equatable, CustomStringConvertible {
    /// No SQLite file at the path.
    case sourceMissing(String)
    /// The source's schema is not this release's: migrate it first (or use the release it was made by).
    case sourceSchema(found: Int, expected: Int)
    /// The target holds data already (reference data alone does not count).
    case targetNotEmpty(table: String)
    /// A table one side has that the copy does not know: a newer or a foreign schema.
    case unknownTable(String)
    /// A table whose columns differ between the engines.
    case columnsDiffer(table: String, source: [String], target: [String])
    /// A value PostgreSQL's column could not hold as it is (binary data where text is expected).
    case unsupportedValue(table: String, column: String)
    /// The source's own ledger does not add up: copying it would make that the target's problem.
    case unbalancedSource(accountID: Int64, entries: String, balance: String)
    /// The check after the copy found a difference (the transaction was rolled back).
    case verificationFailed(String)

    public var description: String {
        switch self {
        case .sourceMissing(let path):
            "no SQLite database at \(path)"
        case .sourceSchema(let found, let expected):
            "the source's schema is version \(found) and this tariff's is \(expected): run `tariff migrate --database FILE` with the tariff that matches it first"
        case .targetNotEmpty(let table):
            "the target holds data already (table \(table) has rows): copy into an empty database"
        case .unknownTable(let table):
            "table \(table) is not one this tariff copies: is one of the databases from another release?"
        case .columnsDiffer(let table, let source, let target):
            "table \(table) has columns \(source.joined(separator: ",")) in the source and \(target.joined(separator: ",")) in the target"
        case .unsupportedValue(let table, let column):
            "\(table).\(column) holds binary data, which the target's column cannot take"
        case .unbalancedSource(let accountID, let entries, let balance):
            "the source's ledger does not add up for account \(accountID): entries sum to \(entries) units, the balance says \(balance); nothing was copied"
        case .verificationFailed(let what):
            "the copy did not verify (\(what)); nothing was kept"
        }
    }
}
