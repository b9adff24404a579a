/// Failures of the store itself (not of the data given to it).
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingResource(String)
    case unsupportedURL(String)
    case corrupt(String)
    case newerSchema(found: Int, known: Int)
    case closed

    public var description: String {
        switch self {
        case .missingResource(let name): "the shipped resource \(name) is missing from this build"
        case .unsupportedURL(let url): "unsupported database '\(url)': give a file path (SQLite)\(url.hasPrefix("postgres") ? "; the PostgreSQL engine is not in this version yet" : "")"
        case .corrupt(let what): "the database holds a value Tariff cannot read: \(what)"
        case .closed: "the store was closed"
        case .newerSchema(let found, let known): "the database is at schema version \(found), newer than this tariff (\(known)): upgrade tariff"
        }
    }
}
