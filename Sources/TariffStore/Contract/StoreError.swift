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

    public var description: String {
        switch self {
        case .missingResource(let name): "the shipped resource \(name) is missing from this build"
        case .engineUnavailable(let location):
            "cannot open \(location): the PostgreSQL engine is not in this version yet; give a file path (SQLite)"
        case .corrupt(let what): "the database holds a value Tariff cannot read: \(what)"
        case .closed: "the store was closed"
        case .deckChanged(let deck): "the deck '\(deck)' changed while importing (another import was stored meanwhile); run the import again"
        case .newerSchema(let found, let known): "the database is at schema version \(found), newer than this tariff (\(known)): upgrade tariff"
        }
    }
}
