import ArgumentParser
import Foundation
import TariffCore
import TariffStore

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the prices in force at an instant, and the changes scheduled after it, as a deck that re-imports to the same prices."
    )

    @Option(help: "Only this product.")
    var product: Product?

    @Option(help: "rates (default) or numbers (subscription prices).")
    var kind: DeckKind = .rates

    @Option(help: "The instant (ISO 8601; default now).")
    var at: String?

    @Flag(help: "Only the prices in force at the instant, without later scheduled changes.")
    var noScheduled = false

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let instant: Instant
        do { instant = try at.map { try Instant(parsing: $0) } ?? global.now() } catch { throw ValidationError("--at: \(error)") }
        let book = try await withStore(global) { try await RateBookLoader.load(store: $0) }
        var lines: [String]
        switch kind {
        case .rates, .carrier:
            lines = [DeckCSV.rateHeader]
            lines += book.rates(at: instant, product: product, scheduled: !noScheduled).map(DeckCSV.line(for:))
        case .numbers:
            lines = [DeckCSV.numberHeader]
            lines += book.numberPrices(at: instant, scheduled: !noScheduled).map(DeckCSV.line(for:))
        }
        let text = lines.joined(separator: "\n") + "\n"
        if let output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
            printError("wrote \(lines.count - 1) rows to \(output)")
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

/// Rows in the Tariff deck formats (docs/deck-format.md).
enum DeckCSV {
    static let rateHeader = "product,country,network,prefix,number_type,origin,price,currency,increment,connect_fee,effective_from,description,resource"
    static let numberHeader = "country,category,region_code,region_name,installation_price,monthly_price,currency,incoming_resource,effective_from"

    static func line(for rate: Rate) -> String {
        let key = rate.key
        let terms = rate.terms!
        return [
            key.product.rawValue, key.country ?? "", key.network ?? "", key.prefix ?? "", key.numberType ?? "", key.origin.rawValue,
            terms.price.plainText, terms.currency.rawValue, key.product.isVoice ? terms.increment?.description ?? "" : "",
            key.product.isVoice ? terms.connectFee.plainText : "", rate.effectiveFrom.iso8601, terms.description, terms.resource,
        ].map(field).joined(separator: ",")
    }

    static func line(for price: NumberPrice) -> String {
        let terms = price.terms!
        return [
            price.key.country, price.key.category, price.key.regionCode ?? "", terms.regionName ?? "", terms.installation.plainText,
            terms.monthly.plainText, terms.currency.rawValue, terms.incomingResource ?? "", price.effectiveFrom.iso8601,
        ].map(field).joined(separator: ",")
    }

    /// RFC 4180 quoting where needed, and no cell a spreadsheet would run as a formula.
    static func field(_ text: String) -> String { CSVCell.escaped(text) }
}
