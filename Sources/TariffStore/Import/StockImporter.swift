public import TariffCore

/// Numbers to rent out, from a file, all or none; numbers already in stock are left as they
/// are, so that a file can be imported again. The command line and the operator's upload
/// both import through here.
public struct StockImporter: Sendable {
    let store: any TariffStore
    let reference: ReferenceData

    public init(store: any TariffStore, reference: ReferenceData) {
        self.store = store
        self.reference = reference
    }

    /// Parsed and (unless `dryRun`) stored numbers; throws ``ImportFailure`` with every
    /// problem as `NAME:LINE`, storing nothing.
    public func importFile(path: String, displayName: String? = nil, dryRun: Bool, now: Instant) async throws -> StockReport {
        let name = displayName ?? path
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch {
            throw ImportFailure(file: name, problems: [ImportProblem(file: name, line: 1, column: "file", message: "\(error)")])
        }
        switch StockFileParser.parse(reader, file: name, reference: reference) {
        case .failure(let failure): throw failure
        case .success(let numbers):
            let added = dryRun ? 0 : try await store.numbers.addToStock(numbers, now: now)
            return StockReport(file: name, rows: numbers.count, added: added, dryRun: dryRun)
        }
    }
}

/// What a stock import did (`tariff import --kind inventory --json`, the operator's upload).
public struct StockReport: Sendable, Encodable {
    public let file: String
    public let kind = "inventory"
    public let rows: Int
    /// Numbers new in stock (0 for a dry run).
    public let added: Int
    public let dryRun: Bool

    enum CodingKeys: String, CodingKey { case file, kind, rows, added, dryRun }
}

/// What a deck import did (`tariff import --json`, the operator's upload).
public struct ImportReport: Sendable, Encodable {
    public let file: String
    public let kind: String
    public let rows: Int
    public let additions: Int
    public let summary: ChangeSummary
    public let deckVersion: Int64?
    public let dryRun: Bool

    public init(outcome: ImportOutcome, dryRun: Bool) {
        file = outcome.file
        kind = outcome.kind.rawValue
        rows = outcome.rowCount
        additions = outcome.additions
        summary = outcome.summary
        deckVersion = outcome.version?.id
        self.dryRun = dryRun
    }
}
