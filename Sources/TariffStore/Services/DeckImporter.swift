import Logging
import TariffCore

/// The result of an import (or of a dry run, which has no version).
public struct ImportOutcome: Sendable {
    public let file: String
    public let kind: DeckKind
    public let rowCount: Int
    /// Versions appended (or that would be).
    public let additions: Int
    public let summary: ChangeSummary
    public let version: DeckVersion?
}

/// Reads a deck file, compares it with the stored deck, and stores the difference as a new
/// deck version in one transaction. On any problem nothing is stored.
public struct DeckImporter: Sendable {
    let store: any TariffStore
    let reference: ReferenceData
    let logger: Logger
    let deck: String

    public init(store: any TariffStore, reference: ReferenceData, logger: Logger, deck: String = "base") {
        self.store = store
        self.reference = reference
        self.logger = logger
        self.deck = deck
    }

    public func importFile(
        path: String, displayName: String? = nil, options: DeckOptions, dryRun: Bool = false, isDemo: Bool = false,
        progress: (@Sendable (Int, Int?) -> Void)? = nil
    ) async throws -> ImportOutcome {
        let name = displayName ?? path
        var reader: CSVReader
        do { reader = try CSVReader(path: path) } catch {
            throw ImportFailure(file: name, problems: [ImportProblem(file: name, line: 0, column: "-", message: error.description)])
        }
        let parsed = try DeckParser.parse(&reader, file: name, options: options, reference: reference, progress: progress)
        let now = options.now

        var rateAdditions: [Rate] = []
        var numberAdditions: [NumberPrice] = []
        var summary = ChangeSummary()
        if !parsed.rates.isEmpty {
            let existing = try await store.decks.rates(deck: deck)
            let current = Dictionary(grouping: existing, by: \.key).mapValues { Timeline($0) }
            let flagProblems = DeckPlanner.checkFlags(parsed.rates, current: { current[$0]?.at(now)?.terms }, file: name)
            guard flagProblems.isEmpty else { throw ImportFailure(file: name, problems: flagProblems) }
            struct Scope: Hashable { let product: Product; let origin: OriginScope }
            let scopes = Set(parsed.rates.map { Scope(product: $0.entry.key.product, origin: $0.entry.key.origin) })
            let plan = DeckPlanner.plan(
                existing: existing, incoming: parsed.rates.map(\.entry),
                completeScope: options.partial ? nil : { scopes.contains(Scope(product: $0.product, origin: $0.origin)) },
                closeAt: closingInstant(parsed.rates.map(\.entry.effectiveFrom), options: options),
                now: now, priceOf: { ($0.price, $0.currency) }
            )
            rateAdditions = plan.additions
            summary = plan.summary
        }
        if !parsed.numberPrices.isEmpty {
            let existing = try await store.decks.numberPrices(deck: deck)
            let countries = Set(parsed.numberPrices.map(\.entry.key.country))
            let plan = DeckPlanner.plan(
                existing: existing, incoming: parsed.numberPrices.map(\.entry),
                completeScope: options.partial ? nil : { countries.contains($0.country) },
                closeAt: closingInstant(parsed.numberPrices.map(\.entry.effectiveFrom), options: options),
                now: now, priceOf: { ($0.monthly, $0.currency) }
            )
            numberAdditions = plan.additions
            summary = plan.summary
        }
        let additions = rateAdditions.count + numberAdditions.count
        guard !dryRun else {
            return ImportOutcome(file: name, kind: options.kind, rowCount: parsed.rowCount, additions: additions, summary: summary, version: nil)
        }
        let version = try await store.decks.commit(DeckCommit(
            deck: deck, kind: options.kind.rawValue, source: name, createdAt: now, rowCount: parsed.rowCount, summary: summary,
            isDemo: isDemo, rates: rateAdditions, numberPrices: numberAdditions
        ))
        logger.info("deck imported", metadata: [
            "file": "\(name)", "deck": "\(deck)", "version": "\(version.id)", "rows": "\(parsed.rowCount)", "additions": "\(additions)",
        ])
        return ImportOutcome(file: name, kind: options.kind, rowCount: parsed.rowCount, additions: additions, summary: summary, version: version)
    }

    /// When rows a complete list omits stop being priced: at `--effective-from` if given, else
    /// when the file's earliest row takes effect, but never before the import itself.
    func closingInstant(_ dates: [Instant], options: DeckOptions) -> Instant {
        if let given = options.effectiveFrom { return given }
        return max(options.now, dates.min() ?? options.now)
    }
}
