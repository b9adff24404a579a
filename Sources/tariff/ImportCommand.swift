public import ArgumentParser
import TariffCore
import TariffStore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a rate deck, a carrier A–Z deck or a numbers price list: all rows or none."
    )

    @Argument(help: "The CSV file.")
    var file: String

    @Option(
        name: [.long, .customLong("format")],
        help:
            "rates (Tariff deck), carrier (A–Z deck), numbers (subscription prices), templates (SIP registrations and packages) or inventory (numbers to rent out); --format is the same."
    )
    var kind: ImportKind = .rates

    enum ImportKind: String, ExpressibleByArgument {
        case rates, carrier, numbers, templates, inventory
    }

    @Option(help: "Product for rows that give none: sms-outbound, voice-outbound, voice-inbound, sms-inbound.")
    var product: Product?

    @Option(help: "Currency (ISO 4217) for rows that give none.")
    var currency: String?

    @Option(help: "Origin for rows that give none: any, domestic, eea, international.")
    var origin: OriginScope?

    @Option(help: "Effective date for rows that give none, and when omitted rows close (ISO 8601).")
    var effectiveFrom: String?

    @Option(help: "The deck to import into: base (what accounts are priced from), or a deck of own prices a price plan names.")
    var deck = "base"

    @Flag(help: "Apply only the rows given and keep every other price (default: the file is the complete list).")
    var partial = false

    @Flag(help: "Validate and print the change summary; store nothing.")
    var dryRun = false

    @Option(help: "The notice a price rise needs, in days: a file raising a price sooner is refused.")
    var minimumNotice = DeckOptions.defaultNoticeDays

    @Flag(help: "Import price rises with less notice than --minimum-notice.")
    var allowShortNotice = false

    @Flag(help: "Print the outcome as JSON.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let deckKind: DeckKind
        switch kind {
        case .rates: deckKind = .rates
        case .carrier: deckKind = .carrier
        case .numbers: deckKind = .numbers
        case .templates: deckKind = .templates
        case .inventory: return try await importStock()
        }
        guard NewPlanVersion.isName(deck) else { throw ValidationError("--deck '\(deck)': 1 to 64 letters, digits, '-', '_' or '.'") }
        guard (0...DeckOptions.maximumNoticeDays).contains(minimumNotice) else {
            throw ValidationError("--minimum-notice \(minimumNotice): expected 0 to \(DeckOptions.maximumNoticeDays) days")
        }
        var options = DeckOptions(
            kind: deckKind,
            product: product,
            origin: origin,
            partial: partial,
            now: try global.now(),
            minimumNoticeDays: allowShortNotice ? nil : minimumNotice
        )
        if let currency {
            guard let code = CurrencyCode(currency) else { throw ValidationError("--currency '\(currency)' is not an ISO 4217 code") }
            options.currency = code
        }
        if let effectiveFrom {
            do { options.effectiveFrom = try Instant(parsing: effectiveFrom) } catch { throw ValidationError("--effective-from: \(error)") }
        }
        let progress = ProgressBar(label: "importing \(file)")
        do {
            let outcome = try await withStore(global) { store in
                let reference = try await store.reference.tables().compile()
                let importer = DeckImporter(store: store, reference: reference, logger: global.logger, deck: deck)
                let outcome = try await importer.importFile(path: file, options: options, dryRun: dryRun) { progress.update(done: $0, total: $1) }
                if !dryRun {
                    let version = outcome.version.map { "version \($0.id)" } ?? "no new version"
                    let detail = "\(outcome.kind.rawValue) from \(file), \(outcome.rowCount) rows, \(version): \(outcome.summary.description)"
                    await audit(store, global, "deck.import", target: "deck:\(outcome.version?.deck ?? "base")", detail: detail)
                }
                return outcome
            }
            progress.finish()
            report(outcome)
        } catch let failure as ImportFailure {
            progress.finish()
            throw fail(failure)
        }
    }

    /// Numbers to rent out, all or none; numbers already in stock are left as they are.
    private func importStock() async throws {
        let now = try global.now()
        let report: StockReport
        do {
            report = try await withStore(global) { store in
                let report = try await StockImporter(store: store, reference: try await store.reference.tables().compile())
                    .importFile(path: file, dryRun: dryRun, now: now)
                if !dryRun { await audit(store, global, "deck.import", target: "stock", detail: "inventory from \(file), \(report.rows) rows") }
                return report
            }
        } catch let failure as ImportFailure {
            throw fail(failure)
        }
        if json {
            printJSON(report)
        } else if dryRun {
            print("dry run: \(file): \(report.rows) numbers are valid; nothing was stored")
        } else {
            print("imported \(file): \(report.rows) numbers (\(report.added) new in stock, \(report.rows - report.added) already there)")
        }
    }

    private func report(_ outcome: ImportOutcome) {
        if json {
            printJSON(ImportReport(outcome: outcome, dryRun: dryRun))
            return
        }
        let verb = dryRun ? "dry run: would import" : "imported"
        print("\(verb) \(outcome.file): \(outcome.rowCount) rows (\(outcome.kind.rawValue))")
        print("changes: \(outcome.summary.description)")
        if let version = outcome.version {
            print("deck \(version.deck) version \(version.id): \(outcome.additions) price versions added")
        } else {
            print("\(outcome.additions) price versions would be added; nothing was stored")
        }
    }
}

extension DeckKind: ExpressibleByArgument {}
extension Product: ExpressibleByArgument {}
extension OriginScope: ExpressibleByArgument {}
