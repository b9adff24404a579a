import ArgumentParser
import TariffCore
import TariffHTTP
import TariffStore

struct PriceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "price",
        abstract: "Price a number, with the explanation: matched prefix, network, list, row, effective date.",
        discussion: "A metered product (speech synthesis, recording, ...) is priced without a number: --product NAME --units N."
    )

    @Argument(help: "The number called (or, for inbound products, the number receiving the call), e.g. +34612345678.")
    var number: String?

    @Option(help: "sms-outbound, voice-outbound, voice-inbound, sms-inbound, or a metered product of the deck.")
    var product: String = Product.voiceOutbound.rawValue

    @Option(help: "Metered products: also cost this many units.")
    var units: Int?

    @Option(help: "Metered products: the variant (a voice, a language, a model).")
    var variant: String?

    @Option(help: "Metered products: the country the product is used in (ISO code).")
    var country: String?

    @Option(help: "Where the call comes from: a number or an ISO country code (for inbound: the caller).")
    var from: String?

    @Option(help: "The instant to price at (ISO 8601; default now): past or future.")
    var at: String?

    @Option(help: "Also cost a call of this many seconds.")
    var seconds: Int?

    @Option(help: "Also cost this many messages.")
    var messages: Int?

    @Option(help: "Show amounts in this currency too, at the stored exchange rate.")
    var currency: String?

    @Option(help: "Price through this price plan (`tariff plan create`), as an account on it sees prices.")
    var plan: String?

    @Option(help: "table or json.")
    var format: OutputFormat = .table

    @Option(
        help:
            "Price every number of this file instead (CSV: one number per line, or a header naming a `number` column; or NDJSON: {\"number\": ...} per line)."
    )
    var file: String?

    @Option(name: .shortAndLong, help: "With --file: write the prices here (.csv or .ndjson; default: standard output, in the input's format).")
    var output: String?

    @Option(help: "With --file: also write the summary here, as JSON.")
    var summary: String?

    @OptionGroup var global: GlobalOptions

    enum OutputFormat: String, ExpressibleByArgument { case table, json }

    func run() async throws {
        for (name, value) in [("--seconds", seconds), ("--messages", messages), ("--units", units)] {
            if let value, !UsageCharge.usageRange.contains(value) {
                throw ValidationError("\(name) \(value): expected 0 to \(UsageCharge.usageRange.upperBound)")
            }
        }
        let instant: Instant
        do { instant = try at.map { try Instant(parsing: $0) } ?? global.now() } catch { throw ValidationError("--at: \(error)") }
        let target = try currencyOption(currency)
        guard let product = Product(apiName: product) else {
            if file != nil {
                throw ValidationError("--file prices numbers: give --product sms-outbound, voice-outbound, voice-inbound or sms-inbound")
            }
            return try await priceService(at: instant, target: target)
        }
        for (name, given) in [("--units", units != nil), ("--variant", variant != nil), ("--country", country != nil)] where given {
            throw ValidationError("\(name) is for metered products: \(product.rawValue) is priced per number")
        }
        if let file { return try await priceFile(file, product: product, at: instant, target: target) }
        for (name, given) in [("--output", output != nil), ("--summary", summary != nil)] where given {
            throw ValidationError("\(name) is for --file")
        }
        guard let number else { throw ValidationError("give the number to price (e.g. +34612345678), or --file") }
        let phone: PhoneNumber
        do { phone = try PhoneNumber(parsing: number) } catch { throw ValidationError(error.description) }
        let origin = try parseOrigin()

        let (book, fx) = try await withStore(global) { store in
            let reference = try await store.reference.tables().compile()
            // Only the rows that can price this number: one number never compiles the whole deck.
            let rows = try await RateBookLoader.load(store: store, reference: reference, pricing: phone, product: product)
            return (
                try await priced(rows, store, reference: reference),
                ExchangeRateTable(rates: try await store.exchangeRates.all(), asOf: instant)
            )
        }
        let quote: PriceQuote
        do { quote = try book.quote(phone, product: product, from: origin, at: instant) } catch {
            if error.isNotANumber { throw ValidationError(error.description) }
            printError(error.description)
            throw ExitCode(2)
        }
        let report = try PriceReport(quote: quote, seconds: seconds, messages: messages, target: target, fx: fx)
        switch format {
        case .json: printJSON(report)
        case .table: print(report.text)
        }
    }

    /// A metered product: priced by product, variant and country, from the deck's service prices.
    private func priceService(at instant: Instant, target: CurrencyCode?) async throws {
        guard ServicePriceKey.isProductName(product) else {
            throw ValidationError("--product '\(product)': sms-outbound, voice-outbound, voice-inbound, sms-inbound or a metered product's name")
        }
        for (name, given) in [("a number", number != nil), ("--from", from != nil), ("--seconds", seconds != nil), ("--messages", messages != nil)]
        where given {
            throw ValidationError("\(name): \(product) is a metered product, priced by --units (and --variant, --country)")
        }
        if let variant, !ServicePriceKey.isToken(variant) {
            throw ValidationError("--variant: 1 to 64 printable characters without spaces, commas or quotes")
        }
        let (book, fx) = try await withStore(global) { store in
            let reference = try await store.reference.tables().compile()
            return (
                try await priced(try await RateBookLoader.loadServices(store: store, reference: reference), store, reference: reference),
                ExchangeRateTable(rates: try await store.exchangeRates.all(), asOf: instant)
            )
        }
        var countryCode: String?
        if let country {
            guard let known = book.reference.country(country) else { throw ValidationError("--country '\(country)' is not a known ISO country code") }
            countryCode = known.iso2
        }
        let quote: ServiceQuote
        do { quote = try book.services.quote(product: product, variant: variant, country: countryCode, at: instant) } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        let report = try ServicePriceReport(quote: quote, units: units, target: target, fx: fx)
        switch format {
        case .json: printJSON(report)
        case .table: print(report.text)
        }
    }

    func parseOrigin() throws -> CallOrigin? {
        guard let from else { return nil }
        do { return try CallOrigin(parsing: from) } catch {
            throw ValidationError("--from: give an ISO country code (PL) or a number: \(error)")
        }
    }

    /// `book` through the plan `--plan` names, with its override decks; the book as it is
    /// without the option. An unknown plan is an error, not the deck's prices.
    func priced(_ book: RateBook, _ store: any TariffStore, reference: ReferenceData) async throws -> PricedBook {
        guard let plan else { return PricedBook(book) }
        guard let schedule = try await store.plans.schedule(named: plan, reference: reference) else {
            throw ValidationError("--plan: no plan '\(plan)' (see `tariff plan list`)")
        }
        return try await StoredPlanVersion.priced(book, through: schedule, store: store, reference: reference)
    }
}
