import ArgumentParser
import Foundation
import TariffCore
import TariffStore

struct ChangesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "List the prices that start, rise, fall or close: after a deck version, or from an instant on.",
        discussion: """
            --since 12 lists what the imports after deck version 12 changed; --since 2026-12-01 lists the changes \
            that take effect on or after that instant, scheduled ones included. Each line has the price before and \
            after and the date it changes.
            """
    )

    @Option(help: "A deck version (0 for everything) or an instant (2026-12-01, 2026-12-01T10:00:00Z).")
    var since: String

    @Option(help: "voice, sms, a rate product (voice-outbound, sms-outbound, voice-inbound, sms-inbound) or numbers; default all.")
    var product: String?

    @Option(help: "Only this country (ISO code).")
    var country: String?

    @Option(help: "Show prices in this currency, at the stored exchange rate in force now.")
    var currency: String?

    @Option(help: "table, csv or json.")
    var format: Format = .table

    @Option(name: .shortAndLong, help: "Write here instead of standard output.")
    var output: String?

    @OptionGroup var global: GlobalOptions

    enum Format: String, ExpressibleByArgument { case table, csv, json }

    func run() async throws {
        let target = try currencyOption(currency)
        let now = try global.now()
        let (book, fx) = try await withStore(global) { store in
            (
                try await RateBookLoader.loadUsingFile(store: store, reference: try await store.reference.tables().compile(), logger: global.logger),
                ExchangeRateTable(rates: try await store.exchangeRates.all(), asOf: now)
            )
        }
        let filter: ChangeFilter
        do { filter = try ChangeFilter(since: since, product: product, country: country, reference: book.reference) } catch {
            throw ValidationError("--\(error.parameter): \(error.reason)")
        }
        let changes = book.changes(filter)
        do { try PriceChangeRecord.checkConvertible(changes, to: target, fx: fx) } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        let sink = try outputHandle(output)
        switch format {
        case .csv:
            // Written as it is made: a feed of a million changes is never one string.
            var text = PriceChangeRecord.csvHeader
            for change in changes {
                text += try PriceChangeRecord(change, currency: target, fx: fx).csvLine
                if text.utf8.count >= 1 << 20 {
                    try sink.write(contentsOf: Data(text.utf8))
                    text = ""
                }
            }
            try sink.write(contentsOf: Data(text.utf8))
        case .json:
            let records = try changes.map { change throws(ConversionError) in try PriceChangeRecord(change, currency: target, fx: fx) }
            try sink.write(contentsOf: Data(try Self.json(records).utf8))
        case .table:
            guard !changes.isEmpty else {
                printError("no price changes since \(filter.since)")
                return
            }
            let records = try changes.map { change throws(ConversionError) in try PriceChangeRecord(change, currency: target, fx: fx) }
            let text = table(
                records.map { [$0.effectiveAt, $0.change, $0.key, $0.oldPrice ?? "-", $0.newPrice ?? "-", $0.currency, String($0.deckVersion)] },
                header: ["effective", "change", "price", "old", "new", "currency", "version"]
            )
            try sink.write(contentsOf: Data((text + "\n").utf8))
        }
    }

    static func json(_ records: [PriceChangeRecord]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // The records name their keys in snake case themselves.
        return String(decoding: try encoder.encode(records), as: UTF8.self) + "\n"
    }
}
