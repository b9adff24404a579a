import TariffCore
public import TariffStore

/// A deck version as `tariff decks --json` and `GET /v1/admin/decks` show it.
public struct DeckVersionRecord: Encodable, Sendable {
    let version: Int64
    let deck: String
    let importedAt: String
    let kind: String
    let source: String
    let rows: Int
    let additions: Int
    let summary: ChangeSummary
    let demo: Bool

    public init(_ version: DeckVersion) {
        self.version = version.id
        deck = version.deck
        importedAt = version.createdAt.iso8601
        kind = version.kind
        source = version.source
        rows = version.rowCount
        additions = version.additions
        summary = version.summary
        demo = version.isDemo
    }
}
