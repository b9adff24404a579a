public import Logging
public import TariffCore

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
    /// Runs between planning and committing; tests use it to store another import in between.
    var beforeCommit: (@Sendable (_ attempt: Int) async throws -> Void)?

    /// How often an import is planned again when another import was stored while it planned.
    static let attempts = 3

    public init(store: any TariffStore, reference: ReferenceData, logger: Logger, deck: String = "base") {
        self.store = store
        self.reference = reference
        self.logger = logger
        self.deck = deck
    }

    public func importFile(
        path: String,
        displayName: String? = nil,
        options: DeckOptions,
        dryRun: Bool = false,
        isDemo: Bool = false,
        progress: (@Sendable (Int, Int?) -> Void)? = nil
    ) async throws -> ImportOutcome {
        let name = displayName ?? path
        let started = ContinuousClock.now
        var attempt = 1
        while true {
            // Planned in a function of its own so that the parsed file is freed before the write.
            let plan = try await planImport(path: path, name: name, options: options, progress: progress)
            let additions = plan.additions
            logger.debug("deck planned", metadata: ["file": "\(name)", "additions": "\(additions)", "elapsed": "\(ContinuousClock.now - started)"])
            guard !dryRun else {
                return ImportOutcome(
                    file: name,
                    kind: options.kind,
                    rowCount: plan.rowCount,
                    additions: additions,
                    summary: plan.summary,
                    version: nil
                )
            }
            try await beforeCommit?(attempt)
            do {
                let version = try await store.decks.commit(
                    DeckCommit(
                        deck: deck,
                        kind: options.kind.rawValue,
                        source: name,
                        createdAt: options.now,
                        rowCount: plan.rowCount,
                        summary: plan.summary,
                        isDemo: isDemo,
                        rates: plan.rates,
                        numberPrices: plan.numberPrices,
                        servicePrices: plan.servicePrices,
                        templatePrices: plan.templatePrices,
                        basedOn: plan.basedOn
                    )
                )
                await writeBookFile(after: version, plan: plan)
                return finished(version, plan: plan, name: name, options: options, started: started)
            } catch StoreError.deckChanged(let changed) where attempt < Self.attempts {
                // Another import was stored after this one read the deck: plan again on top of it,
                // so that the later file wins as a whole, as if the two had run one after the other.
                logger.notice(
                    "deck changed while importing; planning again",
                    metadata: ["file": "\(name)", "deck": "\(changed)", "attempt": "\(attempt)"]
                )
                attempt += 1
            }
        }
    }

    private func finished(
        _ version: DeckVersion,
        plan: ImportPlan,
        name: String,
        options: DeckOptions,
        started: ContinuousClock.Instant
    ) -> ImportOutcome {
        let additions = plan.additions
        logger.info(
            "deck imported",
            metadata: [
                "file": "\(name)", "deck": "\(deck)", "version": "\(version.id)", "rows": "\(plan.rowCount)", "additions": "\(additions)",
                "elapsed": "\(ContinuousClock.now - started)",
            ]
        )
        return ImportOutcome(file: name, kind: options.kind, rowCount: plan.rowCount, additions: additions, summary: plan.summary, version: version)
    }

    /// A large import leaves the book file at its own version, so that the next start reads
    /// the file instead of compiling the million rows it just stored: from the rows in hand
    /// when the deck was empty, else from a sound file of the version it was planned on. A small
    /// one does not (the next reader applies it in moments), nor does anything that cannot.
    private func writeBookFile(after version: DeckVersion, plan: ImportPlan) async {
        let additions = plan.additions
        guard additions >= bookFileThreshold, let path = store.bookFilePath(deck: deck) else { return }
        let started = ContinuousClock.now
        do {
            func stored<Entry: TimelineEntry>(_ entries: [Entry]) -> [Entry] {
                entries.map { entry in
                    var stored = entry
                    stored.deckVersion = version.id
                    return stored
                }
            }
            let (rates, numbers, services) = (stored(plan.rates), stored(plan.numberPrices), stored(plan.servicePrices))
            let templates = stored(plan.templatePrices)
            let book: RateBook
            if plan.basedOn == nil {
                book = try RateBook(
                    deck: deck,
                    version: version.id,
                    reference: reference,
                    rates: rates,
                    numberPrices: numbers,
                    servicePrices: services,
                    templatePrices: templates
                )
            } else {
                let held = try RateBookFile.read(path: path, deck: deck, versions: try await store.decks.versions(deck: deck), reference: reference)
                guard held.version == plan.basedOn else { return }
                book = try held.applying(
                    version: version.id,
                    rates: rates,
                    numberPrices: numbers,
                    servicePrices: services,
                    templatePrices: templates
                )
            }
            try RateBookFile.write(book, stamp: RateBookFile.stamp(of: version), path: path)
            logger.info(
                "book file written",
                metadata: [
                    "file": "\(path)", "version": "\(version.id)", "rates": "\(book.count)",
                    "elapsed": "\(ContinuousClock.now - started)",
                ]
            )
        } catch {
            logger.notice("book file left for the next reader to rebuild", metadata: ["file": "\(path)", "reason": "\(error)"])
        }
    }

    /// Additions from which an import writes the book file itself (tests lower it).
    var bookFileThreshold = 50_000

    private struct ImportPlan {
        var basedOn: Int64?
        var rowCount = 0
        var rates: [Rate] = []
        var numberPrices: [NumberPrice] = []
        var servicePrices: [ServicePrice] = []
        var templatePrices: [TemplatePrice] = []
        var summary = ChangeSummary()

        var additions: Int { rates.count + numberPrices.count + servicePrices.count + templatePrices.count }
    }

    private func planImport(
        path: String,
        name: String,
        options: DeckOptions,
        progress: (@Sendable (Int, Int?) -> Void)?
    ) async throws -> ImportPlan {
        var reader: CSVReader
        do { reader = try CSVReader(path: path) } catch {
            throw ImportFailure(file: name, problems: [ImportProblem(file: name, line: 0, column: "-", message: error.description)])
        }
        let parsed = try DeckParser.parse(&reader, file: name, options: options, reference: reference, progress: progress)
        let now = options.now
        // Read before the prices: a version stored in between then makes the commit refuse
        // (and plan again) instead of being silently merged.
        var result = ImportPlan(basedOn: try await store.decks.latestVersion(deck: deck), rowCount: parsed.rowCount)
        var notice = NoticeCheck(days: options.minimumNoticeDays, now: now, file: name)
        if !parsed.rates.isEmpty {
            let existing = try await storedRates(for: parsed.rates, partial: options.partial)
            if parsed.rates.contains(where: { $0.flag != nil }) {
                let current = Dictionary(grouping: existing, by: \.key).mapValues { Timeline($0) }
                let flagProblems = DeckPlanner.checkFlags(parsed.rates, current: { current[$0]?.at(now)?.terms }, file: name)
                guard flagProblems.isEmpty else { throw ImportFailure(file: name, problems: flagProblems) }
            }
            struct Scope: Hashable {
                let product: Product
                let origin: OriginScope
            }
            let scopes = Set(parsed.rates.map { Scope(product: $0.entry.key.product, origin: $0.entry.key.origin) })
            let plan = DeckPlanner.planRates(
                existing: existing,
                rows: parsed.rates,
                completeScope: options.partial ? nil : { scopes.contains(Scope(product: $0.product, origin: $0.origin)) },
                closeAt: closingInstant(parsed.rates.lazy.map(\.entry.effectiveFrom).min(), options: options),
                now: now
            )
            result.rates = plan.additions
            result.summary.add(plan.summary)
            notice.check(plan.increases, rows: parsed.rates)
        }
        if !parsed.numberPrices.isEmpty {
            let existing = try await store.decks.numberPrices(deck: deck)
            let countries = Set(parsed.numberPrices.map(\.entry.key.country))
            let plan = DeckPlanner.planNumberPrices(
                existing: existing,
                rows: parsed.numberPrices,
                completeScope: options.partial ? nil : { countries.contains($0.country) },
                closeAt: closingInstant(parsed.numberPrices.lazy.map(\.entry.effectiveFrom).min(), options: options),
                now: now
            )
            result.numberPrices = plan.additions
            result.summary.add(plan.summary)
            notice.check(plan.increases, rows: parsed.numberPrices)
        }
        if !parsed.servicePrices.isEmpty {
            // A complete file is the whole price list of each metered product it names.
            let products = Set(parsed.servicePrices.map(\.entry.key.product))
            let existing = try await store.decks.servicePrices(deck: deck).filter { products.contains($0.key.product) }
            let plan = DeckPlanner.planServicePrices(
                existing: existing,
                rows: parsed.servicePrices,
                completeScope: options.partial ? nil : { products.contains($0.product) },
                closeAt: closingInstant(parsed.servicePrices.lazy.map(\.entry.effectiveFrom).min(), options: options),
                now: now
            )
            result.servicePrices = plan.additions
            result.summary.add(plan.summary)
            notice.check(plan.increases, rows: parsed.servicePrices)
        }
        if !parsed.templatePrices.isEmpty {
            // A complete file is the whole list of templates: one it omits is no longer offered.
            let plan = DeckPlanner.planTemplatePrices(
                existing: try await store.decks.templatePrices(deck: deck),
                rows: parsed.templatePrices,
                completeScope: options.partial ? nil : { _ in true },
                closeAt: closingInstant(parsed.templatePrices.lazy.map(\.entry.effectiveFrom).min(), options: options),
                now: now
            )
            result.templatePrices = plan.additions
            result.summary.add(plan.summary)
            notice.check(plan.increases, rows: parsed.templatePrices)
        }
        if let failure = notice.failure { throw failure }
        return result
    }

    /// The stored versions planning needs: a complete list closes what it omits, so it needs
    /// every key of its scopes (its products' origin lists), and no other; a partial import
    /// touches only the keys it names, read through the prefix index (a one-row change to a
    /// million-row deck reads a few rows).
    private func storedRates(for rows: [DeckRow<Rate>], partial: Bool) async throws -> [Rate] {
        struct Scope: Hashable {
            let product: Product
            let origin: OriginScope
        }
        var prefixes: [Scope: Set<String>] = [:]
        for row in rows {
            prefixes[Scope(product: row.entry.key.product, origin: row.entry.key.origin), default: []].insert(row.entry.key.prefix ?? "")
        }
        var result: [Rate] = []
        for (scope, named) in prefixes {
            // A complete list needs its whole scope; past some size, one pass over it also beats
            // many indexed reads.
            let selected = !partial || named.count > 50_000 ? nil : named.filter { !$0.isEmpty }.sorted()
            result += try await store.decks.rates(deck: deck, product: scope.product, origin: scope.origin, prefixes: selected)
        }
        return result
    }

    /// When rows a complete list omits stop being priced: at `--effective-from` if given, else
    /// when the file's earliest row takes effect, but never before the import itself.
    func closingInstant(_ earliest: Instant?, options: DeckOptions) -> Instant {
        if let given = options.effectiveFrom { return given }
        return max(options.now, earliest ?? options.now)
    }
}
