/// Failures of the store itself (not of the data given to it).
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingResource(String)
    /// A database of an engine this build cannot open yet.
    case engineUnavailable(String)
    case corrupt(String)
    case newerSchema(found: Int, known: Int)
    case closed
    /// Another import stored a version of the deck after this one read it.
    case deckChanged(deck: String)
    /// The database server cannot be reached now (restarting, or the connection was lost): the
    /// operation did not happen, or its outcome is unknown; a retry is safe where writes are
    /// idempotent, and every charge is.
    case unavailable(String)

    /// The database could not be reached: worth a retry, unlike the other failures.
    public var isUnavailable: Bool {
        if case .unavailable = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .missingResource(let name): "the shipped resource \(name) is missing from this build"
        case .engineUnavailable(let location):
            "cannot open \(location): the PostgreSQL engine is not in this version yet; give a file path (SQLite)"
        case .corrupt(let what): "the database holds a value Tariff cannot read: \(what)"
        case .closed: "the store was closed"
        case .deckChanged(let deck): "the deck '\(deck)' changed while importing (another import was stored meanwhile); run the import again"
        case .unavailable(let why): "the database is unavailable: \(why)"
        case .newerSchema(let found, let known): "the database is at schema version \(found), newer than this tariff (\(known)): upgrade tariff"
        }
    }
}
