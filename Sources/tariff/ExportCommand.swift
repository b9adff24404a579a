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

    @Option(help: "rates (default), numbers (subscription prices), services (metered products) or templates (SIP registrations, packages).")
    var kind: Kind = .rates

    enum Kind: String, ExpressibleByArgument { case rates, carrier, numbers, services, templates }

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
        let book = try await withStore(global) { store in
            try await RateBookLoader.loadUsingFile(store: store, reference: try await store.reference.tables().compile(), logger: global.logger)
        }
        // Written as they are listed: a million rows never sit in memory as lines.
        let sink = try outputHandle(output)
        var writer = LineWriter(handle: sink)
        switch kind {
        case .rates, .carrier:
            try writer.write(DeckCSV.rateHeader)
            // Most rows of a deck share a few effective dates: each is formatted once.
            var dates: [Instant: String] = [:]
            try book.forEachRate(at: instant, product: product, scheduled: !noScheduled) { rate throws in
                let date =
                    dates[rate.effectiveFrom]
                    ?? {
                        let text = rate.effectiveFrom.iso8601
                        dates[rate.effectiveFrom] = text
                        return text
                    }()
                try writer.write(fields: DeckCSV.fields(for: rate, date: date))
            }
        case .numbers:
            try writer.write(DeckCSV.numberHeader)
            for price in book.numberPrices(at: instant, scheduled: !noScheduled) { try writer.write(DeckCSV.line(for: price)) }
        case .services:
            try writer.write(DeckCSV.serviceHeader)
            for price in book.servicePrices(at: instant, scheduled: !noScheduled) { try writer.write(fields: DeckCSV.fields(for: price)) }
        case .templates:
            try writer.write(DeckCSV.templateHeader)
            for price in book.templatePrices(at: instant, scheduled: !noScheduled) { try writer.write(fields: DeckCSV.fields(for: price)) }
        }
        try writer.flush()
        if let output {
            try sink.close()
            printError("wrote \(writer.lines - 1) rows to \(output)")
        }
    }
}

/// Lines gathered into large writes.
struct LineWriter {
    let handle: FileHandle
    private var buffer: [UInt8] = []
    private(set) var lines = 0

    init(handle: FileHandle) {
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    mutating func write(_ line: String) throws {
        buffer += line.utf8
        buffer.append(0x0A)
        lines += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// A row of cells, escaped as ``DeckCSV/field(_:)`` does, without building the line first.
    mutating func write(fields: [String]) throws {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            buffer += DeckCSV.field(field).utf8
        }
        buffer.append(0x0A)
        lines += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Rows in the Tariff deck formats (docs/deck-format.md).
enum DeckCSV {
    static let rateHeader =
        "product,country,network,prefix,number_type,origin,price,currency,increment,connect_fee,effective_from,description,resource"
    static let numberHeader = "country,category,region_code,region_name,installation_price,monthly_price,currency,incoming_resource,effective_from"

    /// The cells of a rate's row; `date` is its effective date as ISO 8601.
    static func fields(for rate: Rate, date: String) -> [String] {
        let key = rate.key
        let terms = rate.terms!
        return [
            key.product.rawValue, key.country ?? "", key.network ?? "", key.prefix ?? "", key.numberType ?? "", key.origin.rawValue,
            terms.price.plainText, terms.currency.rawValue, key.product.isVoice ? terms.increment?.description ?? "" : "",
            key.product.isVoice ? terms.connectFee.plainText : "", date, terms.description, terms.resource,
        ]
    }

    /// Metered products, in the rate deck format (`tariff import` reads them back as rates).
    static let serviceHeader = "product,variant,country,unit,price,per,minimum,increment,connect_fee,currency,effective_from,description,resource"

    static func fields(for price: ServicePrice) -> [String] {
        let key = price.key
        let terms = price.terms!
        return [
            key.product, key.variant ?? "", key.country ?? "", terms.unit, terms.price.plainText, String(terms.perUnits), String(terms.minimum),
            terms.increment.description, terms.setupFee.plainText, terms.currency.rawValue, price.effectiveFrom.iso8601, terms.description,
            terms.resource,
        ]
    }

    static let templateHeader = "template,type,name,installation_price,monthly_price,currency,includes,effective_from"

    static func fields(for price: TemplatePrice) -> [String] {
        let terms = price.terms!
        return [
            price.key.name, terms.type, terms.displayName, terms.installation.plainText, terms.monthly.plainText, terms.currency.rawValue,
            terms.includes.map(\.description).joined(separator: ";"), price.effectiveFrom.iso8601,
        ]
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
